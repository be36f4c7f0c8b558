package org.blora.ml;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.Property;
import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.ml.evaluation.RegressionEvaluator;
import org.apache.spark.ml.feature.VectorAssembler;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.tuning.CrossValidator;
import org.apache.spark.ml.tuning.CrossValidatorModel;
import org.apache.spark.ml.tuning.ParamGridBuilder;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.blora.core.train.RoundRecord;
import org.blora.io.AdapterFiles;
import org.blora.io.MetricsCsv;
import org.blora.io.PeftAdapter;
import org.blora.io.Safetensors;
import org.blora.spark.SparkTestBase;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Spark ML API: the estimator in a Pipeline after a VectorAssembler fits the same W, bit for bit, as the
 * command line on the same rows and keys; the model saves, loads and predicts the same, as an adapter folder; a
 * CrossValidator picks a rank; the training summary is the run's metrics and a kept run folder holds the PEFT
 * export; model.shape=auto fits 10 features as 2 x 5; a bad Param fails when set, in the Params' names.
 */
class BernoulliLoRARegressorTest extends SparkTestBase {
    @TempDir
    static Path tmp;
    Dataset<Row> raw;

    @BeforeAll
    void data() {
        SplittableRandom rng = new SplittableRandom(8);
        double[] w = rng.doubles(16, -1, 1).toArray();
        List<Row> rows = new ArrayList<>();
        StructType schema = new StructType();
        for (int j = 0; j < 16; j++) {
            schema = schema.add("x" + j, DataTypes.DoubleType);
        }
        schema = schema.add("label", DataTypes.DoubleType);
        for (int i = 0; i < 300; i++) {
            Object[] v = new Object[17];
            double y = 0;
            for (int j = 0; j < 16; j++) {
                double x = rng.nextGaussian();
                v[j] = x;
                y += w[j] * x;
            }
            v[16] = y + 0.1 * rng.nextGaussian();
            rows.add(RowFactory.create(v));
        }
        // One partition, written and read back: the DataFrame and the Parquet file hold the rows in one order.
        Path file = tmp.resolve("raw.parquet");
        spark.createDataFrame(rows, schema).coalesce(1).write().parquet(file.toString());
        raw = spark.read().parquet(file.toString());
    }

    static VectorAssembler assembler() {
        String[] cols = new String[16];
        for (int j = 0; j < 16; j++) {
            cols[j] = "x" + j;
        }
        return new VectorAssembler().setInputCols(cols).setOutputCol("features");
    }

    static BernoulliLoRARegressor regressor() {
        return new BernoulliLoRARegressor().setRank(2).setP(0.5).setRounds(150).setTol(0).setClients(2).setSeed(3)
                .setRegLambda("0.1");
    }

    @Test
    void pipelineFitEqualsTheCommandLineBitForBit() throws IOException {
        PipelineModel fitted = new Pipeline().setStages(new PipelineStage[] {assembler(), regressor()}).fit(raw);
        BernoulliLoRARegressionModel model = (BernoulliLoRARegressionModel) fitted.stages()[1];

        // The same rows through the command line: the assembled features and labels as Parquet, same keys.
        Path data = tmp.resolve("assembled.parquet");
        assembler().transform(raw).select("features", "label").coalesce(1).write().parquet(data.toString());
        Path out = tmp.resolve("cli");
        Map<String, String> keys = regressor().configuration();
        List<String> args = new ArrayList<>(List.of("train"));
        keys.forEach((k, v) -> {
            if (!k.equals("data.source") && !k.equals("data.path")) {
                args.add("--set");
                args.add(k + "=" + v);
            }
        });
        args.addAll(List.of("--set", "data.source=path", "--set", "data.path=" + data, "--set", "data.format=parquet",
                "--set", "spark.master=local[2]", "--out=" + out));
        assertEquals(0, org.blora.cli.Main.execute(args.toArray(new String[0])));
        double[] cli = Safetensors.read(Files.readAllBytes(out.resolve("adapter/adapter.safetensors")), "adapter")
                .get("W.merged").data();
        assertArrayEquals(cli, model.weights(), 0.0);
        assertEquals(4, model.rows());

        // Predictions are x . vec(W), and a saved and loaded pipeline predicts the same.
        List<Row> before = fitted.transform(raw).select("features", "prediction").collectAsList();
        Row first = before.get(0);
        assertEquals(model.predict(first.getAs(0)), first.getDouble(1), 0.0);
        Path saved = tmp.resolve("pipeline");
        fitted.write().save(saved.toString());
        List<Row> after = PipelineModel.load(saved.toString()).transform(raw).select("features", "prediction").collectAsList();
        assertEquals(before, after);
        BernoulliLoRARegressionModel reloaded = (BernoulliLoRARegressionModel) PipelineModel.load(saved.toString()).stages()[1];
        assertArrayEquals(model.weights(), reloaded.weights(), 0.0);
    }

    @Test
    void crossValidatorPicksARank() {
        BernoulliLoRARegressor reg = regressor().setRounds(60);
        ParamMap[] grid = new ParamGridBuilder().addGrid(reg.rank(), new int[] {1, 2}).build();
        CrossValidator cv = new CrossValidator().setEstimator(new Pipeline().setStages(new PipelineStage[] {assembler(), reg}))
                .setEstimatorParamMaps(grid).setEvaluator(new RegressionEvaluator().setMetricName("rmse"))
                .setNumFolds(2).setSeed(5);
        CrossValidatorModel m = cv.fit(raw);
        assertEquals(2, m.avgMetrics().length);
        assertTrue(m.avgMetrics()[0] > 0 && m.avgMetrics()[1] > 0);
        // Two gradient-projected rounds per link on a 4 x 4 W: rank 2 moves twice as much per round and fits better.
        BernoulliLoRARegressionModel best = (BernoulliLoRARegressionModel) ((PipelineModel) m.bestModel()).stages()[1];
        BernoulliLoRARegressor parent = (BernoulliLoRARegressor) best.parent();
        assertEquals(2, (int) (Integer) parent.getOrDefault(parent.rank()));
    }

    @Test
    void summaryIsTheRunsMetricsAndTheKeptFolderHoldsThePeftExport() throws IOException {
        Path kept = tmp.resolve("kept-regressor");
        BernoulliLoRARegressor reg = regressor().setRounds(40).setOutputPath(kept.toString());
        BernoulliLoRARegressionModel model = (BernoulliLoRARegressionModel) new Pipeline()
                .setStages(new PipelineStage[] {assembler(), reg}).fit(raw).stages()[1];
        assertTrue(model.hasSummary());
        BernoulliLoRATrainingSummary summary = model.summary();
        assertEquals(40, summary.totalIterations());
        assertEquals(kept.toString(), summary.outputPath());

        // One row per round, rounds 0..T, the loss and gradient columns those of the kept metrics.csv.
        Dataset<Row> history = summary.history();
        assertEquals(List.of("round", "epoch", "loss", "gradNormSq", "stepSize", "side", "cumUplinkBits"),
                List.of(history.columns()));
        List<Row> rows = history.orderBy("round").collectAsList();
        List<RoundRecord> csv = MetricsCsv.parse(Files.readString(kept.resolve("metrics.csv")));
        assertEquals(41, rows.size());
        assertEquals(csv.size(), rows.size());
        for (int t = 0; t < rows.size(); t++) {
            assertEquals(t, rows.get(t).getInt(0));
            assertEquals(csv.get(t).loss(), rows.get(t).getDouble(2), Math.ulp(csv.get(t).loss()) * 4);
            assertEquals(csv.get(t).gradNormSq(), rows.get(t).getDouble(3), Math.ulp(csv.get(t).gradNormSq()) * 4);
        }
        assertTrue(rows.get(40).getDouble(2) < rows.get(0).getDouble(2), "the loss fell");
        assertEquals(41, summary.objectiveHistory().length);

        // The kept folder is a whole run: summary.json, the adapter, and its PEFT export.
        assertTrue(Files.exists(kept.resolve("summary.json")));
        assertTrue(Files.exists(kept.resolve("adapter/peft/" + PeftAdapter.WEIGHTS)));
        assertTrue(Files.exists(kept.resolve("adapter/peft/" + PeftAdapter.CONFIG)));
        Exception again = assertThrows(IllegalArgumentException.class, () -> reg.fit(assembler().transform(raw)));
        assertTrue(again.getMessage().startsWith("outputPath: "), again.getMessage());

        // Saved, the model is an adapter folder the apply job reads; loaded, it has no summary.
        Path saved = tmp.resolve("saved-regressor");
        model.write().save(saved.toString());
        AdapterFiles.Adapter adapter = AdapterFiles.read(saved.resolve("data").toString(),
                spark.sparkContext().hadoopConfiguration());
        assertArrayEquals(model.weights(), adapter.theta(), 0.0);
        BernoulliLoRARegressionModel loaded = BernoulliLoRARegressionModel.load(saved.toString());
        assertArrayEquals(model.weights(), loaded.weights(), 0.0);
        assertFalse(loaded.hasSummary());
        assertThrows(IllegalStateException.class, loaded::summary);
    }

    @Test
    void tenFeaturesFitAsTheSquarestShape() {
        String[] ten = new String[10];
        for (int j = 0; j < 10; j++) {
            ten[j] = "x" + j;
        }
        Dataset<Row> df = new VectorAssembler().setInputCols(ten).setOutputCol("features").transform(raw);
        BernoulliLoRARegressionModel model = regressor().setRounds(30).fit(df);
        assertEquals(2, model.rows());
        assertEquals(5, model.cols());
        assertTrue(model.summary().objectiveHistory()[30] < model.summary().objectiveHistory()[0]);
        // Rank 3 does not fit a 2 x 5 W: the message speaks of the Params.
        Exception e = assertThrows(IllegalArgumentException.class, () -> regressor().setRank(3).fit(df));
        assertEquals("rank=3 exceeds min(m, n)=2 for shape=2x5 (set rank <= 2)", e.getMessage());
    }

    @Test
    void aBadParamFailsWhenSetNamingTheParam() {
        Map<String, Runnable> bad = new java.util.LinkedHashMap<>();
        bad.put("p must be in [0, 1], got 2.0", () -> regressor().setP(2));
        bad.put("rank must be >= 1, got 0", () -> regressor().setRank(0));
        bad.put("method must be one of [bernoulli, rac, fpft, lora, cola, asymm], got 'bernouli'",
                () -> regressor().setMethod("bernouli"));
        bad.put("shape must be auto or MxN (e.g. 4x4), got '4by4'", () -> regressor().setShape("4by4"));
        bad.put("regLambda must be auto or a number >= 0, got '-1'", () -> regressor().setRegLambda("-1"));
        bad.put("protocol must be one of [none, qgd, marina, ef21], got 'diana'", () -> regressor().setProtocol("diana"));
        bad.put("batch must be >= 1, got 0", () -> regressor().setBatch(0));
        bad.put("compressorK must be in (0, 1], got 0.0", () -> regressor().setCompressorK(0));
        bad.put("validationFraction must be in [0, 1), got 1.0", () -> regressor().setValidationFraction(1));
        bad.put("layers must be two or more positive widths, e.g. 784,64,5, got '784'",
                () -> new BernoulliLoRAClassifier().setLayers("784"));
        bad.put("firstSide must be one of [random, A, B], got 'C'", () -> new BernoulliLoRAClassifier().setFirstSide("C"));
        bad.forEach((message, set) -> {
            Exception e = assertThrows(IllegalArgumentException.class, set::run);
            assertEquals(message, e.getMessage());
        });
        // A rule across Params is checked by fit and reported in the Params' names too.
        Exception e = assertThrows(IllegalArgumentException.class,
                () -> regressor().setMethod("rac").setP(0.5).fit(assembler().transform(raw)));
        assertEquals("p must be 0 (always train B) or 1 (always train A) for method=rac, got 0.5", e.getMessage());
    }

    @Test
    void federatedParamsReachTheRun() {
        Dataset<Row> df = assembler().transform(raw);
        BernoulliLoRATrainingSummary exact = regressor().setRounds(5).setProtocol("qgd").fit(df).summary();
        BernoulliLoRATrainingSummary compressed = regressor().setRounds(5).setProtocol("qgd").setCompressor("randk")
                .setCompressorK(0.25).fit(df).summary();
        long exactBits = exact.history().orderBy("round").collectAsList().get(5).getLong(6);
        long randkBits = compressed.history().orderBy("round").collectAsList().get(5).getLong(6);
        assertTrue(randkBits > 0 && randkBits < exactBits / 2,
                randkBits + " uplink bits with Rand-K 1/4, " + exactBits + " with identity");
    }

    @Test
    void fitLogsTheRunsProgressLines() {
        List<String> lines = new java.util.concurrent.CopyOnWriteArrayList<>();
        AbstractAppender capture = new AbstractAppender("capture", null, null, true, Property.EMPTY_ARRAY) {
            @Override
            public void append(org.apache.logging.log4j.core.LogEvent event) {
                lines.add(event.getMessage().getFormattedMessage());
            }
        };
        capture.start();
        org.apache.logging.log4j.core.Logger logger = ((org.apache.logging.log4j.core.LoggerContext)
                org.apache.logging.log4j.LogManager.getContext(false)).getLogger(BernoulliLoRARegressor.class.getName());
        org.apache.logging.log4j.Level before = logger.getLevel();
        logger.addAppender(capture);
        logger.setLevel(org.apache.logging.log4j.Level.INFO);
        try {
            regressor().setRounds(10).fit(assembler().transform(raw));
        } finally {
            logger.removeAppender(capture);
            logger.setLevel(before);
            capture.stop();
        }
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("[train] 300 rows x 16 features on 2 clients, W is 4x4")),
                lines.toString());
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("[train] round 10/10") && l.contains("final")), lines.toString());
    }
}
