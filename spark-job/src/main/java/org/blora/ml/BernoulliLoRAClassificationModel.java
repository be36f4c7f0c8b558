package org.blora.ml;

import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.StructType;
import org.blora.core.model.Mlp;
import org.blora.spark.Predictions;

/**
 * The fitted MLP classifier of {@link BernoulliLoRAClassifier}: theta = every module's merged weights
 * W0 + sum_t B_t A_t (and the frozen biases). {@code transform} adds, per row, the predicted class (the first most
 * probable), the class probabilities and their logarithms (rawPrediction), in evaluation mode (no dropout).
 * Saved as {@link BloraModel} says: the Params as metadata and the run's adapter files under {@code path/data}.
 */
public final class BernoulliLoRAClassificationModel extends BloraModel<BernoulliLoRAClassificationModel>
        implements ClassifierColumnParams<BernoulliLoRAClassificationModel> {
    private static final long serialVersionUID = 1L;

    private final int[] layers;
    private final double[] theta;

    /**
     * @param layers the MLP's widths, inputs to classes
     * @param theta  the merged parameters in {@link Mlp#layout(int[])} order
     */
    BernoulliLoRAClassificationModel(String uid, int[] layers, double[] theta, RunAdapter adapter) {
        super(uid, adapter);
        if (theta.length != Mlp.layout(layers).size()) {
            throw new IllegalArgumentException("theta has " + theta.length + " entries, the MLP "
                    + java.util.Arrays.toString(layers) + " needs " + Mlp.layout(layers).size());
        }
        this.layers = layers.clone();
        this.theta = theta.clone();
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
        return Predictions.mlp(dataset, getFeaturesCol(), new Predictions.ClassifierColumns(getPredictionCol(),
                getOrDefault(probabilityCol()), getOrDefault(rawPredictionCol())), layers, theta);
    }

    @Override
    public StructType transformSchema(StructType schema) {
        return outputSchema(schema, getPredictionCol(), getOrDefault(probabilityCol()), getOrDefault(rawPredictionCol()));
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
        return copied(new BernoulliLoRAClassificationModel(uid(), layers, theta, adapter()), extra);
    }

    /**
     * The classifier a run's adapter folder holds (its {@code adapter/}, or a saved model's {@code data/}): how the
     * command line's runs are scored in Spark ML.
     */
    public static BernoulliLoRAClassificationModel fromAdapter(String uid, String dir,
                                                               org.apache.hadoop.conf.Configuration conf) {
        org.blora.io.RunFolder folder = new org.blora.io.RunFolder(dir, conf);
        org.blora.io.AdapterFiles.Model m = RunAdapter.model(folder);
        if (!m.mlp()) {
            throw new IllegalArgumentException(dir + " holds a linear model, not an MLP classifier");
        }
        return new BernoulliLoRAClassificationModel(uid, m.layers(), m.theta(), RunAdapter.in(folder));
    }

    public static MLReader<BernoulliLoRAClassificationModel> read() {
        return new MLReader<>() {
            @Override
            public BernoulliLoRAClassificationModel load(String path) {
                Saved s = BloraModel.read(path, sparkSession(), BernoulliLoRAClassificationModel.class);
                if (!s.model().mlp()) {
                    throw new IllegalArgumentException(path + "/data holds a linear model, not an MLP classifier");
                }
                return s.restore(new BernoulliLoRAClassificationModel(s.metadata().uid(), s.model().layers(), s.model().theta(),
                        s.adapter()));
            }
        };
    }

    public static BernoulliLoRAClassificationModel load(String path) {
        return read().load(path);
    }
}
