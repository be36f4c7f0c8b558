package org.blora.ml;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
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
import org.blora.io.Safetensors;
import org.blora.spark.SparkTestBase;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Spark ML API: the estimator in a Pipeline after a VectorAssembler fits the same W, bit for bit, as the
 * command line on the same rows and keys; the model saves, loads and predicts the same; a CrossValidator picks a
 * rank.
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
        Map<String, String> keys = regressor().configuration("unused");
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
}
