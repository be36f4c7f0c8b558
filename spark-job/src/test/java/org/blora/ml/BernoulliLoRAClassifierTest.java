package org.blora.ml;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.ml.evaluation.MulticlassClassificationEvaluator;
import org.apache.spark.ml.feature.VectorAssembler;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.tuning.CrossValidator;
import org.apache.spark.ml.tuning.CrossValidatorModel;
import org.apache.spark.ml.tuning.ParamGridBuilder;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.blora.core.model.Mlp;
import org.blora.core.model.Module;
import org.blora.io.Safetensors;
import org.blora.spark.SparkTestBase;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The MLP classifier in Spark ML: inside a Pipeline after a VectorAssembler it fits the same merged weights, bit
 * for bit, as the command line on the same rows and keys; the model saves, loads and predicts the same classes
 * and probabilities; a CrossValidator over two ranks picks one by accuracy; a validation share drives early
 * stopping.
 */
class BernoulliLoRAClassifierTest extends SparkTestBase {
    static final int D = 8;
    static final int K = 3;
    @TempDir
    static Path tmp;
    Dataset<Row> raw;

    @BeforeAll
    void data() {
        // Three classes whose means differ in a few features, plus noise: separable, but not trivially.
        SplittableRandom rng = new SplittableRandom(11);
        List<Row> rows = new ArrayList<>();
        StructType schema = new StructType();
        for (int j = 0; j < D; j++) {
            schema = schema.add("x" + j, DataTypes.DoubleType);
        }
        schema = schema.add("label", DataTypes.DoubleType);
        for (int i = 0; i < 240; i++) {
            int label = rng.nextInt(K);
            Object[] v = new Object[D + 1];
            for (int j = 0; j < D; j++) {
                v[j] = (j % K == label ? 1.5 : 0.0) + rng.nextGaussian();
            }
            v[D] = (double) label;
            rows.add(RowFactory.create(v));
        }
        Path file = tmp.resolve("raw.parquet");
        spark.createDataFrame(rows, schema).coalesce(1).write().parquet(file.toString());
        raw = spark.read().parquet(file.toString());
    }

    static VectorAssembler assembler() {
        String[] cols = new String[D];
        for (int j = 0; j < D; j++) {
            cols[j] = "x" + j;
        }
        return new VectorAssembler().setInputCols(cols).setOutputCol("features");
    }

    static BernoulliLoRAClassifier classifier() {
        return new BernoulliLoRAClassifier().setLayers(D + ",6," + K).setRank(1).setP(0.5).setLinkEpochs(1)
                .setBatch(16).setEpochs(3).setStepSize(0.05).setClients(2).setSeed(3);
    }

    @Test
    void pipelineFitEqualsTheCommandLineAndSurvivesSaveAndLoad() throws IOException {
        PipelineModel fitted = new Pipeline().setStages(new PipelineStage[] {assembler(), classifier()}).fit(raw);
        BernoulliLoRAClassificationModel model = (BernoulliLoRAClassificationModel) fitted.stages()[1];

        Path data = tmp.resolve("assembled.parquet");
        assembler().transform(raw).select("features", "label").coalesce(1).write().parquet(data.toString());
        Path out = tmp.resolve("cli");
        List<String> args = new ArrayList<>(List.of("train"));
        for (Map.Entry<String, String> e : classifier().configuration().entrySet()) {
            if (!e.getKey().equals("data.source") && !e.getKey().equals("data.path")) {
                args.add("--set");
                args.add(e.getKey() + "=" + e.getValue());
            }
        }
        args.addAll(List.of("--set", "data.source=path", "--set", "data.path=" + data, "--set", "data.format=parquet",
                "--set", "spark.master=local[2]", "--out=" + out));
        assertEquals(0, org.blora.cli.Main.execute(args.toArray(new String[0])));
        Map<String, Safetensors.Tensor> cli =
                Safetensors.read(Files.readAllBytes(out.resolve("adapter/adapter.safetensors")), "cli");
        double[] w = model.weights();
        int adapted = 0;
        for (Module m : Mlp.layout(model.layers()).modules()) {
            double[] mine = java.util.Arrays.copyOfRange(w, m.offset(), m.end());
            assertArrayEquals(cli.get(m.name() + ".merged").data(), mine, 0.0, m.name());
            if (!java.util.Arrays.equals(cli.get(m.name() + ".base").data(), mine)) {
                adapted++;
            }
        }
        assertEquals(2, adapted, "both weight matrices moved, the biases did not");

        // Probabilities sum to one, the prediction is their argmax, and the accuracy is the run's.
        Dataset<Row> scored = fitted.transform(raw);
        List<Row> before = scored.select("prediction", "probability", "rawPrediction").collectAsList();
        for (Row r : before.subList(0, 10)) {
            double[] prob = ((Vector) r.get(1)).toArray();
            assertEquals(1.0, java.util.Arrays.stream(prob).sum(), 1e-12);
            assertEquals(org.blora.core.model.Model.argmax(prob), r.getDouble(0), 0.0);
            assertEquals(Math.log(prob[0]), ((Vector) r.get(2)).apply(0), 1e-12);
        }
        double accuracy = new MulticlassClassificationEvaluator().setMetricName("accuracy").evaluate(scored);
        double runAccuracy = new com.fasterxml.jackson.databind.ObjectMapper().readTree(out.resolve("summary.json").toFile())
                .get("accuracy").asDouble();
        assertEquals(runAccuracy, accuracy, 1e-12, "transform's accuracy on the training rows is the run's");
        assertTrue(accuracy > 1.0 / K + 0.1, "accuracy " + accuracy + " beats chance");

        Path saved = tmp.resolve("pipeline");
        fitted.write().save(saved.toString());
        PipelineModel loaded = PipelineModel.load(saved.toString());
        assertEquals(before, loaded.transform(raw).select("prediction", "probability", "rawPrediction").collectAsList());
        BernoulliLoRAClassificationModel reloaded = (BernoulliLoRAClassificationModel) loaded.stages()[1];
        assertArrayEquals(model.weights(), reloaded.weights(), 0.0);
        assertEquals(model.uid(), reloaded.uid());

        // A model saved before the chain description was renamed (data/adapter_config.json) loads the same.
        Path chain;
        try (var files = Files.walk(saved)) {
            chain = files.filter(p -> p.getFileName().toString().equals(org.blora.io.RunOutputs.CHAIN)).findFirst().orElseThrow();
        }
        Files.move(chain, chain.resolveSibling(org.blora.io.RunOutputs.CHAIN_BEFORE));
        Files.deleteIfExists(chain.resolveSibling("." + org.blora.io.RunOutputs.CHAIN + ".crc"));
        assertArrayEquals(model.weights(), ((BernoulliLoRAClassificationModel) PipelineModel.load(saved.toString()).stages()[1])
                .weights(), 0.0);
    }

    @Test
    void crossValidatorPicksARankByAccuracy() {
        BernoulliLoRAClassifier c = classifier().setEpochs(1).setBatch(40);
        ParamMap[] grid = new ParamGridBuilder().addGrid(c.rank(), new int[] {1, 2}).build();
        MulticlassClassificationEvaluator accuracy = new MulticlassClassificationEvaluator().setMetricName("accuracy");
        CrossValidator cv = new CrossValidator().setEstimator(new Pipeline().setStages(new PipelineStage[] {assembler(), c}))
                .setEstimatorParamMaps(grid).setEvaluator(accuracy).setNumFolds(2).setSeed(5);
        CrossValidatorModel m = cv.fit(raw);
        double[] metrics = m.avgMetrics();
        assertEquals(2, metrics.length);
        for (double a : metrics) {
            assertTrue(a > 0 && a <= 1, "accuracy " + a);
        }
        BernoulliLoRAClassificationModel best = (BernoulliLoRAClassificationModel) ((PipelineModel) m.bestModel()).stages()[1];
        BernoulliLoRAClassifier parent = (BernoulliLoRAClassifier) best.parent();
        int expected = metrics[1] > metrics[0] ? 2 : 1;
        assertEquals(expected, (int) (Integer) parent.getOrDefault(parent.rank()));
    }

    @Test
    void aValidationShareStopsEarlyAndPatienceWithoutOneIsRefused() {
        Dataset<Row> features = assembler().transform(raw);
        // A step size this large stops improving the validation loss quickly: patience 1 ends the run early.
        BernoulliLoRAClassificationModel m = classifier().setEpochs(30).setStepSize(0.5).setValidationFraction(0.25)
                .setEarlyStopPatience(1).fit(features);
        assertEquals(K, m.numClasses());
        assertTrue(m.summary().stopReason().startsWith("early stopping"), m.summary().stopReason());
        assertTrue(m.summary().epochs() < 30, "stopped after " + m.summary().epochs() + " epochs");
        Exception e = assertThrows(Exception.class, () -> classifier().setEarlyStopPatience(1).fit(features));
        assertTrue(String.valueOf(e.getMessage()).contains("validationFraction"), e.getMessage());
    }

    @Test
    void summaryHasTheAccuracyPerRoundAndTheKeptFolderThePeftExport() throws IOException {
        Path kept = tmp.resolve("kept-classifier");
        BernoulliLoRAClassificationModel m = classifier().setEpochs(2).setBatch(40).setValidationFraction(0.25)
                .setOutputPath(kept.toString()).fit(assembler().transform(raw));
        Dataset<Row> history = m.summary().history();
        assertEquals(List.of("round", "epoch", "loss", "gradNormSq", "stepSize", "side", "cumUplinkBits", "accuracy",
                "valLoss", "valAccuracy"), List.of(history.columns()));
        assertEquals(m.summary().totalIterations() + 1, history.count());
        Row last = history.orderBy(org.apache.spark.sql.functions.col("round").desc()).first();
        com.fasterxml.jackson.databind.JsonNode run = new com.fasterxml.jackson.databind.ObjectMapper()
                .readTree(kept.resolve("summary.json").toFile());
        assertEquals(run.get("accuracy").asDouble(), last.getDouble(7), 0.0);
        assertEquals(run.get("val_accuracy").asDouble(), last.getDouble(9), 0.0);
        assertTrue(last.getDouble(7) > 1.0 / K, "accuracy " + last.getDouble(7));
        assertTrue(Files.exists(kept.resolve("adapter/peft/" + org.blora.io.PeftAdapter.WEIGHTS)));
        assertTrue(Files.exists(kept.resolve("adapter/peft/" + org.blora.io.PeftAdapter.BASE)));
    }
}
