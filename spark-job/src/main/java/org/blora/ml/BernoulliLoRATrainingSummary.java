package org.blora.ml;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.blora.core.train.RoundRecord;
import org.blora.core.train.Scores;
import org.blora.core.train.TrainResult;

/**
 * What fit's training did, like MLlib's LinearRegressionTrainingSummary: {@link #history()} has one row per
 * round (the rows of the run's metrics.csv): round, epoch, loss and gradNormSq = ||grad f||^2 of the full
 * objective (NaN on rounds without an evaluation), stepSize and side of the step taken, cumUplinkBits; a
 * classifier's adds accuracy on the training rows, valLoss and valAccuracy (NaN without a validation share).
 * Kept in memory only: a saved and loaded model has no summary.
 */
public final class BernoulliLoRATrainingSummary implements Serializable {
    private static final long serialVersionUID = 1L;

    private final transient Dataset<Row> history;
    private final double[] objectiveHistory;
    private final int totalIterations;
    private final double epochs;
    private final String stopReason;
    private final String outputPath;

    private BernoulliLoRATrainingSummary(Dataset<Row> history, double[] objectiveHistory, TrainResult result, String outputPath) {
        this.history = history;
        this.objectiveHistory = objectiveHistory;
        this.totalIterations = result.rounds();
        this.epochs = result.epochs();
        this.stopReason = result.stopReason().text;
        this.outputPath = outputPath;
    }

    static BernoulliLoRATrainingSummary of(SparkSession spark, TrainResult result, List<RoundRecord> records, String outputPath) {
        boolean scored = records.stream().anyMatch(r -> !Scores.NONE.equals(r.scores()));
        StructType schema = new StructType().add("round", DataTypes.IntegerType, false).add("epoch", DataTypes.DoubleType, false)
                .add("loss", DataTypes.DoubleType, false).add("gradNormSq", DataTypes.DoubleType, false)
                .add("stepSize", DataTypes.DoubleType, false).add("side", DataTypes.StringType, false)
                .add("cumUplinkBits", DataTypes.LongType, false);
        if (scored) {
            schema = schema.add("accuracy", DataTypes.DoubleType, false).add("valLoss", DataTypes.DoubleType, false)
                    .add("valAccuracy", DataTypes.DoubleType, false);
        }
        List<Row> rows = new ArrayList<>(records.size());
        List<Double> losses = new ArrayList<>();
        for (RoundRecord r : records) {
            List<Object> v = new ArrayList<>(List.of(r.round(), r.epoch(), r.loss(), r.gradNormSq(), r.stepSize(), r.side(),
                    r.cumUplinkBits()));
            if (scored) {
                v.addAll(List.of(r.scores().accuracy(), r.scores().valLoss(), r.scores().valAccuracy()));
            }
            rows.add(RowFactory.create(v.toArray()));
            if (!Double.isNaN(r.loss())) {
                losses.add(r.loss());
            }
        }
        return new BernoulliLoRATrainingSummary(spark.createDataFrame(rows, schema),
                losses.stream().mapToDouble(Double::doubleValue).toArray(), result, outputPath);
    }

    /** One row per round (see the class doc); rounds without an evaluation have NaN loss and gradNormSq. */
    public Dataset<Row> history() {
        if (history == null) {
            throw new IllegalStateException("the history DataFrame stays on the driver that ran fit");
        }
        return history;
    }

    /** The loss of every evaluated round, in order (what MLlib calls the objective history). */
    public double[] objectiveHistory() {
        return objectiveHistory.clone();
    }

    /** The rounds trained. */
    public int totalIterations() {
        return totalIterations;
    }

    /** The epochs trained (passes over the training rows' worth of gradients). */
    public double epochs() {
        return epochs;
    }

    /** Why training stopped: the round or epoch budget, the tolerance, early stopping, or divergence. */
    public String stopReason() {
        return stopReason;
    }

    /** The kept run folder (the outputPath Param), or null when fit trained in a temporary folder. */
    public String outputPath() {
        return outputPath;
    }
}
