package org.blora.ml;

import org.apache.spark.ml.Model;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.util.DefaultParamsReader;
import org.apache.spark.ml.util.DefaultParamsReader$;
import org.apache.spark.ml.util.DefaultParamsWriter$;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.ml.util.MLWritable;
import org.apache.spark.ml.util.MLWriter;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.StructType;
import org.blora.core.model.Mlp;
import org.blora.io.AdapterFiles;
import org.blora.io.RunFolder;
import org.blora.io.RunOutputs;
import org.blora.spark.Predictions;
import scala.Option;

/**
 * The fitted MLP classifier of {@link BernoulliLoRAClassifier}: theta = every module's merged weights
 * W0 + sum_t B_t A_t (and the frozen biases). {@code transform} adds, per row, the predicted class (the first most
 * probable), the class probabilities and their logarithms (rawPrediction), in evaluation mode (no dropout).
 * Saved with {@link #write()}: the Params as Spark ML metadata, and under {@code path/data} the run's adapter files
 * (adapter.safetensors with each module's base, merged weights and chain links; chain.json), which the
 * apply and score jobs read too.
 */
public final class BernoulliLoRAClassificationModel extends Model<BernoulliLoRAClassificationModel> implements MLWritable {
    private static final long serialVersionUID = 1L;

    private final String uid;
    private final int[] layers;
    private final double[] theta;
    private final byte[] adapter;
    private final String adapterConfig;
    /** Why and when fit's training stopped; null for a loaded model. */
    private String stopReason;
    private double epochsTrained = Double.NaN;
    private final Param<String> featuresCol;
    private final Param<String> predictionCol;
    private final Param<String> probabilityCol;
    private final Param<String> rawPredictionCol;

    /**
     * @param layers        the MLP's widths, inputs to classes
     * @param theta         the merged parameters in {@link Mlp#layout(int[])} order
     * @param adapter       the adapter.safetensors bytes the parameters come from (written by {@link #write()})
     * @param adapterConfig its chain.json, the description of the chains
     */
    public BernoulliLoRAClassificationModel(String uid, int[] layers, double[] theta, byte[] adapter, String adapterConfig) {
        if (theta.length != Mlp.layout(layers).size()) {
            throw new IllegalArgumentException("theta has " + theta.length + " entries, the MLP "
                    + java.util.Arrays.toString(layers) + " needs " + Mlp.layout(layers).size());
        }
        this.uid = uid;
        this.layers = layers.clone();
        this.theta = theta.clone();
        this.adapter = adapter.clone();
        this.adapterConfig = adapterConfig;
        featuresCol = new Param<>(this, "featuresCol", "features column (a vector)");
        predictionCol = new Param<>(this, "predictionCol", "predicted class column (a double)");
        probabilityCol = new Param<>(this, "probabilityCol", "class probabilities column (a vector; empty = none)");
        rawPredictionCol = new Param<>(this, "rawPredictionCol", "class log-probabilities column (a vector; empty = none)");
        setDefault(featuresCol, "features");
        setDefault(predictionCol, "prediction");
        setDefault(probabilityCol, "probability");
        setDefault(rawPredictionCol, "rawPrediction");
    }

    @Override
    public String uid() {
        return uid;
    }

    public Param<String> featuresCol() {
        return featuresCol;
    }

    public Param<String> predictionCol() {
        return predictionCol;
    }

    public Param<String> probabilityCol() {
        return probabilityCol;
    }

    public Param<String> rawPredictionCol() {
        return rawPredictionCol;
    }

    public BernoulliLoRAClassificationModel setFeaturesCol(String v) {
        return (BernoulliLoRAClassificationModel) set(featuresCol, v);
    }

    public BernoulliLoRAClassificationModel setPredictionCol(String v) {
        return (BernoulliLoRAClassificationModel) set(predictionCol, v);
    }

    public BernoulliLoRAClassificationModel setProbabilityCol(String v) {
        return (BernoulliLoRAClassificationModel) set(probabilityCol, v);
    }

    public BernoulliLoRAClassificationModel setRawPredictionCol(String v) {
        return (BernoulliLoRAClassificationModel) set(rawPredictionCol, v);
    }

    /** Why fit's training stopped (the run's stop_reason), or null for a model that was loaded. */
    public String stopReason() {
        return stopReason;
    }

    /** The epochs fit trained (NaN for a model that was loaded). */
    public double epochsTrained() {
        return epochsTrained;
    }

    BernoulliLoRAClassificationModel trainedFor(String reason, double epochs) {
        stopReason = reason;
        epochsTrained = epochs;
        return this;
    }

    /** The MLP's widths, inputs to classes. */
    public int[] layers() {
        return layers.clone();
    }

    public int numClasses() {
        return layers[layers.length - 1];
    }

    /** The merged parameters in {@link Mlp#layout(int[])} order (a copy). */
    public double[] weights() {
        return theta.clone();
    }

    /** log P(class | x) for one row of features, evaluation mode. */
    public double[] logProbabilities(Vector features) {
        return new Mlp(layers, 0.0, 0L).logProbabilities(theta, features.toArray());
    }

    /** The predicted class of one row: the first most probable. */
    public double predict(Vector features) {
        return Predictions.argmax(logProbabilities(features));
    }

    @Override
    public Dataset<Row> transform(Dataset<?> dataset) {
        transformSchema(dataset.schema());
        return Predictions.mlp(dataset, getOrDefault(featuresCol), new Predictions.ClassifierColumns(getOrDefault(predictionCol),
                getOrDefault(probabilityCol), getOrDefault(rawPredictionCol)), layers, theta);
    }

    @Override
    public StructType transformSchema(StructType schema) {
        return outputSchema(schema, getOrDefault(predictionCol), getOrDefault(probabilityCol), getOrDefault(rawPredictionCol));
    }

    static StructType outputSchema(StructType schema, String prediction, String probability, String raw) {
        StructType s = schema;
        if (!raw.isEmpty()) {
            s = Predictions.withVector(s, raw);
        }
        if (!probability.isEmpty()) {
            s = Predictions.withVector(s, probability);
        }
        return prediction.isEmpty() ? s : Predictions.withDouble(s, prediction);
    }

    @Override
    public BernoulliLoRAClassificationModel copy(ParamMap extra) {
        BernoulliLoRAClassificationModel copy = new BernoulliLoRAClassificationModel(uid, layers, theta, adapter, adapterConfig);
        copy.trainedFor(stopReason, epochsTrained);
        return copyValues(copy, extra).setParent(parent());
    }

    @Override
    public MLWriter write() {
        return new Writer(this);
    }

    public static MLReader<BernoulliLoRAClassificationModel> read() {
        return new Reader();
    }

    public static BernoulliLoRAClassificationModel load(String path) {
        return read().load(path);
    }

    private static final class Writer extends MLWriter {
        private final BernoulliLoRAClassificationModel model;

        Writer(BernoulliLoRAClassificationModel model) {
            this.model = model;
        }

        @Override
        public void saveImpl(String path) {
            DefaultParamsWriter$.MODULE$.saveMetadata(model, path, sparkSession());
            RunFolder data = new RunFolder(path + "/data", sparkSession().sparkContext().hadoopConfiguration());
            data.write("adapter.safetensors", model.adapter);
            data.writeText(RunOutputs.CHAIN, model.adapterConfig);
        }
    }

    private static final class Reader extends MLReader<BernoulliLoRAClassificationModel> {
        @Override
        public BernoulliLoRAClassificationModel load(String path) {
            DefaultParamsReader.Metadata meta = DefaultParamsReader$.MODULE$.loadMetadata(path, sparkSession(),
                    BernoulliLoRAClassificationModel.class.getName());
            String dir = path + "/data";
            AdapterFiles.Model m = AdapterFiles.read(dir, sparkSession().sparkContext().hadoopConfiguration());
            if (!m.mlp()) {
                throw new IllegalArgumentException(dir + " holds a linear model, not an MLP classifier");
            }
            RunFolder data = new RunFolder(dir, sparkSession().sparkContext().hadoopConfiguration());
            BernoulliLoRAClassificationModel model = new BernoulliLoRAClassificationModel(meta.uid(), m.layers(), m.theta(),
                    data.read("adapter.safetensors"), RunOutputs.chainDescription(data));
            meta.getAndSetParams(model, Option.empty());
            return model;
        }
    }
}
