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
import org.blora.core.model.Module;
import org.blora.spark.Predictions;

/**
 * The fitted linear model of {@link BernoulliLoRARegressor}: W = W0 + sum_t B_t A_t (m x n, row-major), and
 * {@code transform} adds the prediction x . vec(W) (no intercept) for every row. Saved as {@link BloraModel} says:
 * the Params as metadata and the run's adapter files under {@code path/data}.
 */
public final class BernoulliLoRARegressionModel extends BloraModel<BernoulliLoRARegressionModel> {
    private static final long serialVersionUID = 1L;

    private final double[] w;
    private final int m;
    private final int n;

    BernoulliLoRARegressionModel(String uid, double[] w, int m, int n, RunAdapter adapter) {
        super(uid, adapter);
        if (w.length != (long) m * n) {
            throw new IllegalArgumentException("W has " + w.length + " entries, expected " + m + " x " + n);
        }
        this.w = w.clone();
        this.m = m;
        this.n = n;
    }

    /** The fine-tuned W, row-major (a copy). */
    public double[] weights() {
        return w.clone();
    }

    public int rows() {
        return m;
    }

    public int cols() {
        return n;
    }

    /** x . vec(W): the model's prediction for one row of features. */
    public double predict(Vector features) {
        return Predictions.linear(w, features);
    }

    @Override
    public Dataset<Row> transform(Dataset<?> dataset) {
        transformSchema(dataset.schema());
        return Predictions.linear(dataset, getFeaturesCol(), getPredictionCol(), w);
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
        return copied(new BernoulliLoRARegressionModel(uid(), w, m, n, adapter()), extra);
    }

    public static MLReader<BernoulliLoRARegressionModel> read() {
        return new MLReader<>() {
            @Override
            public BernoulliLoRARegressionModel load(String path) {
                Saved s = BloraModel.read(path, sparkSession(), BernoulliLoRARegressionModel.class);
                if (s.model().mlp()) {
                    throw new IllegalArgumentException(path + "/data holds an MLP classifier, not a linear model");
                }
                Module w = s.model().layout().modules().get(0);
                return s.restore(new BernoulliLoRARegressionModel(s.metadata().uid(), s.model().theta(), w.rows(), w.cols(),
                        s.adapter()));
            }
        };
    }

    public static BernoulliLoRARegressionModel load(String path) {
        return read().load(path);
    }
}
