package org.blora.ml;

import java.util.List;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.Metadata;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.blora.core.model.Model;
import org.blora.spark.Predictions;

/**
 * The fitted linear model of {@link BernoulliLoRARegressor}: W = W0 + sum_t B_t A_t (m x n, row-major), and
 * {@code transform} adds the prediction x . vec(W) (no intercept) for every row. Saved as {@link BloraModel} says:
 * the Params as metadata and the run's adapter files under {@code path/data}.
 */
public final class BernoulliLoRARegressionModel extends BloraModel<BernoulliLoRARegressionModel> {
    private static final long serialVersionUID = 1L;

    private final Model model;
    private final double[] w;

    /**
     * @param model the regression model (the linear model W, m x n)
     * @param w     its merged parameters, W row-major
     */
    BernoulliLoRARegressionModel(String uid, Model model, double[] w, RunAdapter adapter) {
        super(uid, adapter);
        if (model.classifier()) {
            throw new IllegalArgumentException(model.name() + " is a classifier, not a regression model");
        }
        if (w.length != model.layout().size()) {
            throw new IllegalArgumentException("W has " + w.length + " entries, the " + model.name() + " needs "
                    + model.layout().size());
        }
        this.model = model;
        this.w = w.clone();
    }

    /** The fine-tuned W, row-major (a copy). */
    public double[] weights() {
        return w.clone();
    }

    /** m: W's rows. */
    public int rows() {
        return model.layout().modules().get(0).rows();
    }

    /** n: W's columns. */
    public int cols() {
        return model.layout().modules().get(0).cols();
    }

    /** x . vec(W): the model's prediction for one row of features. */
    public double predict(Vector features) {
        return model.predict(w, features.toArray());
    }

    @Override
    public Dataset<Row> transform(Dataset<?> dataset) {
        transformSchema(dataset.schema());
        return Predictions.regression(dataset, getFeaturesCol(), getPredictionCol(), model, w);
    }

    @Override
    public StructType transformSchema(StructType schema) {
        return withPrediction(schema, getPredictionCol());
    }

    static StructType withPrediction(StructType schema, String predictionCol) {
        if (List.of(schema.fieldNames()).contains(predictionCol)) {
            throw new IllegalArgumentException("predictionCol: the column " + predictionCol + " exists already");
        }
        return schema.add(new StructField(predictionCol, DataTypes.DoubleType, false, Metadata.empty()));
    }

    @Override
    public BernoulliLoRARegressionModel copy(ParamMap extra) {
        return copied(new BernoulliLoRARegressionModel(uid(), model, w, adapter()), extra);
    }

    public static MLReader<BernoulliLoRARegressionModel> read() {
        return new MLReader<>() {
            @Override
            public BernoulliLoRARegressionModel load(String path) {
                Saved s = BloraModel.read(path, sparkSession(), BernoulliLoRARegressionModel.class);
                if (s.model().model().classifier()) {
                    throw new IllegalArgumentException(path + "/data holds a classifier (" + s.model().model().name()
                            + "), not a regression model");
                }
                return s.restore(new BernoulliLoRARegressionModel(s.metadata().uid(), s.model().model(), s.model().theta(),
                        s.adapter()));
            }
        };
    }

    public static BernoulliLoRARegressionModel load(String path) {
        return read().load(path);
    }
}
