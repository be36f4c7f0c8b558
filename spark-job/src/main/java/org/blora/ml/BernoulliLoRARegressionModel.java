package org.blora.ml;

import java.util.List;
import org.apache.spark.ml.Model;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.util.DefaultParamsReader;
import org.apache.spark.ml.util.DefaultParamsWriter$;
import org.apache.spark.ml.util.DefaultParamsReader$;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.ml.util.MLWritable;
import org.apache.spark.ml.util.MLWriter;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import scala.Option;

/**
 * The fitted linear model of {@link BernoulliLoRARegressor}: W = W0 + sum_t B_t A_t (m x n, row-major), and
 * {@code transform} adds the prediction x . vec(W) for every row. Saved with {@link #write()}: the Params as Spark
 * ML metadata, W as Parquet under {@code path/data} (one row: m, n, the row-major values).
 */
public final class BernoulliLoRARegressionModel extends Model<BernoulliLoRARegressionModel> implements MLWritable {
    private static final long serialVersionUID = 1L;

    private final String uid;
    private final double[] w;
    private final int m;
    private final int n;
    private final Param<String> featuresCol;
    private final Param<String> predictionCol;

    public BernoulliLoRARegressionModel(String uid, double[] w, int m, int n) {
        if (w.length != (long) m * n) {
            throw new IllegalArgumentException("W has " + w.length + " entries, expected " + m + " x " + n);
        }
        this.uid = uid;
        this.w = w.clone();
        this.m = m;
        this.n = n;
        featuresCol = new Param<>(this, "featuresCol", "features column (a vector)");
        predictionCol = new Param<>(this, "predictionCol", "prediction column");
        setDefault(featuresCol, "features");
        setDefault(predictionCol, "prediction");
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
        return org.blora.spark.Predictions.linear(w, features);
    }

    @Override
    public Dataset<Row> transform(Dataset<?> dataset) {
        transformSchema(dataset.schema());
        return org.blora.spark.Predictions.linear(dataset, getOrDefault(featuresCol), getOrDefault(predictionCol), w);
    }

    @Override
    public StructType transformSchema(StructType schema) {
        return withPrediction(schema, getOrDefault(predictionCol));
    }

    static StructType withPrediction(StructType schema, String predictionCol) {
        if (List.of(schema.fieldNames()).contains(predictionCol)) {
            throw new IllegalArgumentException("predictionCol: the column " + predictionCol + " exists already");
        }
        return schema.add(new StructField(predictionCol, DataTypes.DoubleType, false,
                org.apache.spark.sql.types.Metadata.empty()));
    }

    @Override
    public BernoulliLoRARegressionModel copy(ParamMap extra) {
        BernoulliLoRARegressionModel copy = new BernoulliLoRARegressionModel(uid, w, m, n);
        return copyValues(copy, extra).setParent(parent());
    }

    @Override
    public MLWriter write() {
        return new Writer(this);
    }

    public static MLReader<BernoulliLoRARegressionModel> read() {
        return new Reader();
    }

    public static BernoulliLoRARegressionModel load(String path) {
        return read().load(path);
    }

    private static final class Writer extends MLWriter {
        private final BernoulliLoRARegressionModel model;

        Writer(BernoulliLoRARegressionModel model) {
            this.model = model;
        }

        @Override
        public void saveImpl(String path) {
            DefaultParamsWriter$.MODULE$.saveMetadata(model, path, sparkSession());
            StructType schema = new StructType().add("m", DataTypes.IntegerType).add("n", DataTypes.IntegerType)
                    .add("w", DataTypes.createArrayType(DataTypes.DoubleType, false));
            Double[] values = new Double[model.w.length];
            for (int i = 0; i < values.length; i++) {
                values[i] = model.w[i];
            }
            sparkSession().createDataFrame(List.of(RowFactory.create(model.m, model.n, List.of(values))), schema)
                    .repartition(1).write().parquet(path + "/data");
        }
    }

    private static final class Reader extends MLReader<BernoulliLoRARegressionModel> {
        @Override
        public BernoulliLoRARegressionModel load(String path) {
            DefaultParamsReader.Metadata meta = DefaultParamsReader$.MODULE$.loadMetadata(path, sparkSession(),
                    BernoulliLoRARegressionModel.class.getName());
            Row r = sparkSession().read().parquet(path + "/data").first();
            List<Double> values = r.getList(2);
            double[] w = new double[values.size()];
            for (int i = 0; i < w.length; i++) {
                w[i] = values.get(i);
            }
            BernoulliLoRARegressionModel model = new BernoulliLoRARegressionModel(meta.uid(), w, r.getInt(0), r.getInt(1));
            meta.getAndSetParams(model, Option.empty());
            return model;
        }
    }
}
