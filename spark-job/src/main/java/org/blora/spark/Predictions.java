package org.blora.spark;

import java.util.List;
import org.apache.spark.ml.linalg.DenseVector;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.Metadata;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.blora.core.model.Model;

/**
 * A fine-tuned model's predictions as new columns of a DataFrame, computed row by row on the executors by the
 * {@link Model}: a regression model's prediction (the linear model's x . vec(W)), or a classifier's class
 * log-probabilities (evaluation mode, no dropout), their exponentials and the predicted class (the first most
 * probable, as the accuracy of training counts it). The Spark ML models and the apply job both add their columns
 * here, so they predict the same bits.
 */
public final class Predictions {
    private Predictions() {
    }

    /** The columns a classifier adds; an empty name leaves that column out. */
    public record ClassifierColumns(String prediction, String probability, String rawPrediction) {
    }

    /** Adds {@code predictionCol}, a regression model's prediction, for the vector column {@code featuresCol}. */
    public static Dataset<Row> regression(Dataset<?> data, String featuresCol, String predictionCol, Model model,
                                          double[] theta) {
        double[] t = theta.clone();
        UDF1<Vector, Double> predict = x -> model.predict(t, x.toArray());
        return data.withColumn(predictionCol, functions.udf(predict, DataTypes.DoubleType).apply(functions.col(featuresCol)));
    }

    /**
     * Adds a classifier's log-probabilities, probabilities and predicted class (the first most probable) for the
     * vector column {@code featuresCol}.
     */
    public static Dataset<Row> classifier(Dataset<?> data, String featuresCol, ClassifierColumns cols, Model model,
                                          double[] theta) {
        double[] t = theta.clone();
        UDF1<Vector, Vector> raw = x -> new DenseVector(model.logProbabilities(t, x.toArray()));
        UDF1<Vector, Vector> probability = lp -> {
            double[] p = lp.toArray();
            for (int j = 0; j < p.length; j++) {
                p[j] = StrictMath.exp(p[j]);
            }
            return new DenseVector(p);
        };
        UDF1<Vector, Double> predict = lp -> (double) Model.argmax(lp.toArray());
        String rawCol = cols.rawPrediction().isEmpty() ? "_blora_raw" : cols.rawPrediction();
        Dataset<Row> out = data.withColumn(rawCol,
                functions.udf(raw, SQLDataTypes.VectorType()).apply(functions.col(featuresCol)));
        Column lp = functions.col(rawCol);
        if (!cols.probability().isEmpty()) {
            out = out.withColumn(cols.probability(), functions.udf(probability, SQLDataTypes.VectorType()).apply(lp));
        }
        if (!cols.prediction().isEmpty()) {
            out = out.withColumn(cols.prediction(), functions.udf(predict, DataTypes.DoubleType).apply(lp));
        }
        return cols.rawPrediction().isEmpty() ? out.drop(rawCol) : out;
    }

    /**
     * Adds the model's prediction columns: a classifier's {@code cols}, or a regression model's prediction under
     * {@code cols.prediction()}.
     */
    public static Dataset<Row> of(Dataset<?> data, String featuresCol, ClassifierColumns cols, Model model, double[] theta) {
        return model.classifier() ? classifier(data, featuresCol, cols, model, theta)
                : regression(data, featuresCol, cols.prediction(), model, theta);
    }

    /** {@code schema} with the prediction column appended; IllegalArgumentException when it exists already. */
    public static StructType withDouble(StructType schema, String col) {
        check(schema, col);
        return schema.add(new StructField(col, DataTypes.DoubleType, false, Metadata.empty()));
    }

    /** {@code schema} with a vector column appended; IllegalArgumentException when it exists already. */
    public static StructType withVector(StructType schema, String col) {
        check(schema, col);
        return schema.add(new StructField(col, SQLDataTypes.VectorType(), false, Metadata.empty()));
    }

    private static void check(StructType schema, String col) {
        if (List.of(schema.fieldNames()).contains(col)) {
            throw new IllegalArgumentException("the column " + col + " exists already: choose another output column name");
        }
    }
}
