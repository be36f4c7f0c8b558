package org.blora.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.blora.io.JsonFiles;
import org.blora.io.Safetensors;
import org.blora.ml.BernoulliLoRAClassificationModel;
import org.blora.spark.SharedSpark;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The score and apply jobs on both adapter formats: a linear run on Parquet rows (3 x 3 W) and an MLP run on tiny
 * MNIST-format data (IDX files written here, prep-mnist, classes 0-2), both exporting PEFT in F64. Scoring the run's
 * own adapter or its PEFT export reproduces the run's final loss to 1e-12 and, on the test split, its test
 * accuracy; apply writes one row per input row whose predictions are the Spark ML model's transform; bad input is
 * one line, exit code 2, nothing written.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ScoreApplyTest {
    @TempDir
    static Path tmp;
    Path linearData;
    Path linearRun;
    Path prepared;
    Path mlpRun;

    @BeforeAll
    void runs() throws IOException {
        SparkSession spark = SharedSpark.get();
        SplittableRandom rng = new SplittableRandom(21);
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            double[] x = rng.doubles(9, -1, 1).toArray();
            rows.add(RowFactory.create((long) i, x[0] - 2 * x[4] + 0.5 * x[8] + 0.1 * rng.nextGaussian(), Vectors.dense(x)));
        }
        StructType schema = new StructType().add("id", DataTypes.LongType).add("label", DataTypes.DoubleType)
                .add("features", org.apache.spark.ml.linalg.SQLDataTypes.VectorType());
        linearData = tmp.resolve("linear.parquet");
        spark.createDataFrame(rows, schema).coalesce(1).write().parquet(linearData.toString());
        linearRun = tmp.resolve("linear-run");
        CliRunner.Result r = CliRunner.run(TrainEndToEndTest.args(linearRun, "data.source=path", "data.path=" + linearData,
                "lora.rank=1", "optim.rounds=30", "optim.tol=0", "reg.lambda=0.05", "export.peft.dtype=f64"));
        assertEquals(0, r.exitCode(), r.err());

        Path raw = Files.createDirectories(tmp.resolve("raw"));
        MlpEndToEndTest.images(raw, "train", 180, 1);
        MlpEndToEndTest.images(raw, "t10k", 60, 2);
        prepared = tmp.resolve("prepared");
        r = CliRunner.run("prep-mnist", "--in", raw.toString(), "--out", prepared.toString(),
                "--val", "36", "--master", "local[2]");
        assertEquals(0, r.exitCode(), r.err());
        mlpRun = tmp.resolve("mlp-run");
        r = CliRunner.run(TrainEndToEndTest.args(mlpRun, "data.source=mnist", "data.path=" + prepared, "data.classes=0-2",
                "model.type=mlp", "model.layers=16,8,3", "lora.rank=1", "lora.link.epochs=1", "optim.optimizer=adamw",
                "optim.estimator=sgd", "optim.batch=10", "optim.step.rule=constant", "optim.step.size=0.05",
                "optim.epochs=2", "optim.rounds=100000", "optim.tol=0", "reg.lambda=0", "run.metrics.every=epoch",
                "run.seed=2", "export.peft.dtype=f64"));
        assertEquals(0, r.exitCode(), r.err());
    }

    static JsonNode json(CliRunner.Result r) {
        assertEquals(0, r.exitCode(), r.err());
        return JsonFiles.read(r.out().substring(r.out().indexOf('{'), r.out().lastIndexOf('}') + 1), "score output");
    }

    static void assertRejected(CliRunner.Result r, Path out, String... mustMention) {
        assertEquals(2, r.exitCode(), r.out() + r.err());
        List<String> errors = r.err().lines().filter(l -> l.startsWith("error: ")).toList();
        assertEquals(1, errors.size(), r.err());
        for (String m : mustMention) {
            assertTrue(errors.get(0).contains(m), "'" + errors.get(0) + "' should mention '" + m + "'");
        }
        if (out != null) {
            assertFalse(Files.exists(out), "nothing may be written to " + out);
        }
    }

    @Test
    void scoreReproducesTheFinalLossFromBothFormats() throws IOException {
        double loss = RunFiles.summary(linearRun).get("loss").asDouble();
        for (String adapter : new String[] {linearRun.resolve("adapter").toString(),
                linearRun.resolve("adapter/peft").toString()}) {
            JsonNode s = json(CliRunner.run("score", "--run", linearRun.toString(), "--adapter", adapter,
                    "--master", "local[2]"));
            assertEquals(loss, s.get("loss").asDouble(), 1e-12 * Math.abs(loss), adapter);
            assertEquals(200, s.get("rows").asInt());
        }
        JsonNode summary = RunFiles.summary(mlpRun);
        for (String adapter : new String[] {mlpRun.resolve("adapter").toString(), mlpRun.resolve("adapter/peft").toString()}) {
            JsonNode train = json(CliRunner.run("score", "--run", mlpRun.toString(), "--adapter", adapter,
                    "--master", "local[2]"));
            assertEquals(summary.get("loss").asDouble(), train.get("loss").asDouble(),
                    1e-12 * summary.get("loss").asDouble(), adapter);
            assertEquals(summary.get("accuracy").asDouble(), train.get("accuracy").asDouble(), 0.0, adapter);
            JsonNode test = json(CliRunner.run("score", "--run", mlpRun.toString(), "--adapter", adapter, "--split", "test",
                    "--master", "local[2]"));
            assertEquals(summary.get("test_loss").asDouble(), test.get("loss").asDouble(),
                    1e-12 * summary.get("test_loss").asDouble(), adapter);
            assertEquals(summary.get("test_accuracy").asDouble(), test.get("accuracy").asDouble(), 0.0, adapter);
        }
    }

    @Test
    void applyWritesTheLinearPredictions() throws IOException {
        Path out = tmp.resolve("linear-predictions");
        CliRunner.Result r = CliRunner.run("apply", "--adapter", linearRun.resolve("adapter/peft").toString(), "--data",
                linearData.toString(), "--out", out.toString(), "--master", "local[2]");
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.out().contains("200 rows"), r.out());
        double[] w = Safetensors.read(Files.readAllBytes(linearRun.resolve("adapter/adapter.safetensors")), "adapter")
                .get("W.merged").data();
        SparkSession spark = SharedSpark.get();
        List<Row> in = spark.read().parquet(linearData.toString()).orderBy("id").collectAsList();
        List<Row> pred = spark.read().parquet(out.toString()).orderBy("id").collectAsList();
        assertEquals(200, pred.size());
        assertEquals(List.of("id", "label", "prediction"), List.of(spark.read().parquet(out.toString()).columns()));
        for (int i = 0; i < in.size(); i++) {
            Vector x = in.get(i).getAs("features");
            double s = 0;
            for (int j = 0; j < w.length; j++) {
                s += x.apply(j) * w[j];
            }
            // W0 + B A from the F64 PEFT factors equals the chain's merged W to rounding.
            assertEquals(s, pred.get(i).<Double>getAs("prediction"), 1e-12 * (1 + Math.abs(s)));
        }
        // A finished output is kept unless --overwrite.
        assertRejected(CliRunner.run("apply", "--adapter", linearRun.toString(), "--data", linearData.toString(), "--out",
                out.toString(), "--master", "local[2]"), null, "--out", "finished output", "--overwrite");
        assertEquals(0, CliRunner.run("apply", "--adapter", linearRun.toString(), "--data", linearData.toString(), "--out",
                out.toString(), "--overwrite", "--master", "local[2]").exitCode());
    }

    @Test
    void applyWritesTheClassifierPredictionsOfItsTransform() throws IOException {
        SparkSession spark = SharedSpark.get();
        Path out = tmp.resolve("mlp-predictions");
        CliRunner.Result r = CliRunner.run("apply", "--adapter", mlpRun.resolve("adapter").toString(), "--data",
                prepared.toString(), "--out", out.toString(), "--master", "local[2]");
        assertEquals(0, r.exitCode(), r.err());
        Dataset<Row> written = spark.read().parquet(out.toString());
        Dataset<Row> input = spark.read().parquet(prepared.toString());
        assertEquals(input.count(), written.count());

        // The Spark ML model with the run's merged weights predicts the same bits.
        Map<String, Safetensors.Tensor> t =
                Safetensors.read(Files.readAllBytes(mlpRun.resolve("adapter/adapter.safetensors")), "adapter");
        List<Double> theta = new ArrayList<>();
        for (String m : new String[] {"l1", "l1.bias", "l2", "l2.bias"}) {
            for (double v : t.get(m + ".merged").data()) {
                theta.add(v);
            }
        }
        BernoulliLoRAClassificationModel model =
                BernoulliLoRAClassificationModel.fromAdapter("m", mlpRun.resolve("adapter").toString(),
                spark.sparkContext().hadoopConfiguration());
        assertArrayEquals(theta.stream().mapToDouble(Double::doubleValue).toArray(), model.weights(), 0.0);
        Map<Long, Row> expected = new HashMap<>();
        for (Row row : model.transform(input.withColumn("features",
                org.apache.spark.ml.functions.array_to_vector(functions.col("features"))))
                .select("id", "prediction", "probability").collectAsList()) {
            expected.put(row.getLong(0), row);
        }
        long hits = 0;
        long test = 0;
        for (Row row : written.select("id", "prediction", "probability", "label", "split").collectAsList()) {
            Row e = expected.get(row.getLong(0));
            assertEquals(e.getDouble(1), row.getDouble(1), 0.0);
            assertArrayEquals(((Vector) e.get(2)).toArray(), ((Vector) row.get(2)).toArray(), 0.0);
            if (row.getString(4).equals("test") && ((Number) row.get(3)).intValue() <= 2) {
                test++;
                hits += ((Number) row.get(3)).intValue() == (int) row.getDouble(1) ? 1 : 0;
            }
        }
        assertEquals(RunFiles.summary(mlpRun).get("test_accuracy").asDouble(), hits / (double) test, 1e-15,
                "apply's accuracy on the test rows of classes 0-2 is the run's test accuracy");
    }

    @Test
    void badAdaptersAreOneLineAndWriteNothing() {
        Path out = tmp.resolve("never");
        assertRejected(CliRunner.run("apply", "--adapter", tmp.resolve("no-such-adapter").toString(), "--data",
                linearData.toString(), "--out", out.toString(), "--master", "local[2]"), out, "--adapter", "no-such-adapter");
        // The linear model takes 9 features, the MNIST rows have 16.
        assertRejected(CliRunner.run("apply", "--adapter", linearRun.resolve("adapter/peft").toString(), "--data",
                prepared.toString(), "--out", out.toString(), "--master", "local[2]"),
                out, "--adapter", "9 input features", "16");
        assertRejected(CliRunner.run("apply", "--adapter", linearRun.toString(), "--data", tmp.resolve("nothing").toString(),
                "--out", out.toString(), "--master", "local[2]"), out, "--data", "does not exist");
        assertRejected(CliRunner.run("score", "--run", mlpRun.toString(), "--adapter", linearRun.resolve("adapter").toString(),
                "--master", "local[2]"), null, "--adapter", "W 3x3", "l1 8x16");
        assertRejected(CliRunner.run("score", "--run", linearRun.toString(), "--split", "test", "--master", "local[2]"),
                null, "--split test", "data.source=mnist");
    }
}
