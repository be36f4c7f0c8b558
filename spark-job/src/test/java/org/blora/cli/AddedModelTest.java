package org.blora.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.blora.io.Safetensors;
import org.blora.spark.SharedSpark;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Adding a model takes what docs/ARCHITECTURE.md says and nothing else: {@link TanhModel}, a test-only class
 * implementing {@code ModelKind} and {@code Model}, registered in the test resources'
 * {@code META-INF/services/org.blora.core.model.ModelKind}. With model.type=tanh-test the command line trains it in
 * the local SparkSession (its loss on the executors, its layout in the chains, the checkpoints and both adapter
 * formats), {@code score} reads either adapter back through the kind and reproduces the run's final loss, and
 * {@code apply} writes the model's own predictions, tanh(x . vec(v)).
 */
class AddedModelTest {
    @TempDir
    static Path tmp;

    @Test
    void aModelRegisteredFromTheTestsTrainsScoresAndApplies() throws IOException {
        SparkSession spark = SharedSpark.get();
        SplittableRandom rng = new SplittableRandom(5);
        double[] truth = {0.6, -0.4, 0.2, 0.0, 0.5, -0.3, 0.1, 0.4, -0.2};
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            double[] x = rng.doubles(9, -1, 1).toArray();
            double z = 0;
            for (int j = 0; j < 9; j++) {
                z += x[j] * truth[j];
            }
            rows.add(RowFactory.create((long) i, Math.tanh(z) + 0.1 * rng.nextGaussian(), Vectors.dense(x)));
        }
        StructType schema = new StructType().add("id", DataTypes.LongType).add("label", DataTypes.DoubleType)
                .add("features", org.apache.spark.ml.linalg.SQLDataTypes.VectorType());
        Path data = tmp.resolve("tanh.parquet");
        spark.createDataFrame(rows, schema).coalesce(1).write().parquet(data.toString());

        Path run = tmp.resolve("run");
        CliRunner.Result r = CliRunner.run(TrainEndToEndTest.args(run, "data.source=path", "data.path=" + data,
                "model.type=tanh-test", "lora.rank=1", "optim.step.rule=constant", "optim.step.size=1.0",
                "optim.rounds=60", "optim.tol=0", "reg.lambda=0", "export.peft.dtype=f64"));
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.out().contains("tanh test model"), r.out());
        List<String> metrics = Files.readAllLines(run.resolve("metrics.csv"));
        double first = Double.parseDouble(metrics.get(1).split(",")[3]);
        double last = Double.parseDouble(metrics.get(metrics.size() - 1).split(",")[3]);
        assertTrue(last < 0.2 * first, "the loss falls from " + first + " to " + last);

        // score: the run's adapter and its PEFT export are read back as the tanh model (module v) through its kind.
        double loss = RunFiles.summary(run).get("loss").asDouble();
        assertEquals(last, loss, 0.0);
        for (String adapter : new String[] {run.resolve("adapter").toString(), run.resolve("adapter/peft").toString()}) {
            JsonNode s = ScoreApplyTest.json(CliRunner.run("score", "--run", run.toString(), "--adapter", adapter,
                    "--master", "local[2]"));
            assertEquals(loss, s.get("loss").asDouble(), 1e-12 * loss, adapter);
        }

        // apply: the model's own prediction, tanh(x . vec(v)), of the run's merged v.
        Path out = tmp.resolve("predictions");
        r = CliRunner.run("apply", "--adapter", run.toString(), "--data", data.toString(), "--out", out.toString(),
                "--master", "local[2]");
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.out().contains("200 rows") && r.out().contains("tanh test model"), r.out());
        double[] v = Safetensors.read(Files.readAllBytes(run.resolve("adapter/adapter.safetensors")), "adapter")
                .get("v.merged").data();
        List<Row> in = spark.read().parquet(data.toString()).orderBy("id").collectAsList();
        List<Row> pred = spark.read().parquet(out.toString()).orderBy("id").collectAsList();
        assertEquals(200, pred.size());
        for (int i = 0; i < in.size(); i++) {
            Vector x = in.get(i).getAs("features");
            double z = 0;
            for (int j = 0; j < v.length; j++) {
                z += x.apply(j) * v[j];
            }
            assertEquals(Math.tanh(z), pred.get(i).<Double>getAs("prediction"), 0.0);
        }
    }

    @Test
    void anUnknownModelTypeNamesTheRegisteredKinds() {
        CliRunner.Result r = CliRunner.run(TrainEndToEndTest.args(tmp.resolve("never"), "model.type=nope"));
        assertEquals(2, r.exitCode(), r.out() + r.err());
        assertTrue(r.err().contains("model.type must be one of [linear, mlp, tanh-test], got 'nope'"), r.err());
    }
}
