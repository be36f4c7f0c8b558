package org.blora.ml;

import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.StructType;
import org.blora.core.model.MlpModel;
import org.blora.core.model.Model;
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

    private final Model model;
    private final double[] theta;

    /**
     * @param model the classifier (BernoulliLoRAClassifier's MLP)
     * @param theta its merged parameters, in its layout's order
     */
    BernoulliLoRAClassificationModel(String uid, Model model, double[] theta, RunAdapter adapter) {
        super(uid, adapter);
        if (!model.classifier()) {
            throw new IllegalArgumentException(model.name() + " is not a classifier");
        }
        if (theta.length != model.layout().size()) {
            throw new IllegalArgumentException("theta has " + theta.length + " entries, the " + model.name() + " needs "
                    + model.layout().size());
        }
        this.model = model;
        this.theta = theta.clone();
    }

    /** The MLP's widths, inputs to classes. */
    public int[] layers() {
        if (model instanceof MlpModel mlp) {
            return mlp.layers();
        }
        throw new UnsupportedOperationException(model.name() + " has no MLP widths");
    }

    public int numClasses() {
        return model.classes();
    }

    /** The merged parameters in the model's layout order (a copy). */
    public double[] weights() {
        return theta.clone();
    }

    /** log P(class | x) for one row of features, evaluation mode. */
    public double[] logProbabilities(Vector features) {
        return model.logProbabilities(theta, features.toArray());
    }

    /** The predicted class of one row: the first most probable. */
    public double predict(Vector features) {
        return Model.argmax(logProbabilities(features));
    }

    @Override
    public Dataset<Row> transform(Dataset<?> dataset) {
        transformSchema(dataset.schema());
        return Predictions.classifier(dataset, getFeaturesCol(), new Predictions.ClassifierColumns(getPredictionCol(),
                getOrDefault(probabilityCol()), getOrDefault(rawPredictionCol())), model, theta);
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
        return copied(new BernoulliLoRAClassificationModel(uid(), model, theta, adapter()), extra);
    }

    /**
     * The classifier a run's adapter folder holds (its {@code adapter/}, or a saved model's {@code data/}): how the
     * command line's runs are scored in Spark ML.
     */
    public static BernoulliLoRAClassificationModel fromAdapter(String uid, String dir,
                                                               org.apache.hadoop.conf.Configuration conf) {
        org.blora.io.RunFolder folder = new org.blora.io.RunFolder(dir, conf);
        org.blora.io.AdapterFiles.Adapter m = RunAdapter.model(folder);
        if (!m.model().classifier()) {
            throw new IllegalArgumentException(dir + " holds a " + m.model().name() + ", not a classifier");
        }
        return new BernoulliLoRAClassificationModel(uid, m.model(), m.theta(), RunAdapter.in(folder));
    }

    public static MLReader<BernoulliLoRAClassificationModel> read() {
        return new MLReader<>() {
            @Override
            public BernoulliLoRAClassificationModel load(String path) {
                Saved s = BloraModel.read(path, sparkSession(), BernoulliLoRAClassificationModel.class);
                if (!s.model().model().classifier()) {
                    throw new IllegalArgumentException(path + "/data holds a " + s.model().model().name() + ", not a classifier");
                }
                return s.restore(new BernoulliLoRAClassificationModel(s.metadata().uid(), s.model().model(), s.model().theta(),
                        s.adapter()));
            }
        };
    }

    public static BernoulliLoRAClassificationModel load(String path) {
        return read().load(path);
    }
}
