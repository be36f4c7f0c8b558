package org.blora.ml;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.ml.evaluation.MulticlassClassificationEvaluator;
import org.apache.spark.ml.evaluation.RegressionEvaluator;
import org.apache.spark.ml.feature.VectorAssembler;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.blora.spark.SparkTestBase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The examples of docs/SPARK-ML.md, run: each ```java block of that page is a passage of this file, word for word
 * (checked here), so the page's code compiles and does what the page says.
 */
class SparkMlExampleTest extends SparkTestBase {
    @TempDir
    Path tmp;

    /** 600 rows of ten columns x0..x9 and a label, linear in them plus noise (class labels: 3 groups). */
    private Dataset<Row> table(boolean classes) {
        SplittableRandom rng = new SplittableRandom(4);
        double[] w = rng.doubles(10, -1, 1).toArray();
        StructType schema = new StructType();
        for (int j = 0; j < 10; j++) {
            schema = schema.add("x" + j, DataTypes.DoubleType);
        }
        schema = schema.add("label", DataTypes.DoubleType);
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < 600; i++) {
            Object[] v = new Object[11];
            double y = 0;
            int label = rng.nextInt(3);
            for (int j = 0; j < 10; j++) {
                double x = rng.nextGaussian() + (classes && j % 3 == label ? 1.5 : 0);
                v[j] = x;
                y += w[j] * x;
            }
            v[10] = classes ? label : y + 0.05 * rng.nextGaussian();
            rows.add(RowFactory.create(v));
        }
        return spark.createDataFrame(rows, schema).coalesce(1);
    }

    @Test
    void regressorExample() throws IOException {
        Dataset<Row>[] parts = table(false).randomSplit(new double[] {0.8, 0.2}, 7);
        Dataset<Row> train = parts[0];
        Dataset<Row> test = parts[1];
        String[] columns = {"x0", "x1", "x2", "x3", "x4", "x5", "x6", "x7", "x8", "x9"};
        String runDir = tmp.resolve("run").toString();
        String modelDir = tmp.resolve("model").toString();
        // example:regressor
        VectorAssembler assembler = new VectorAssembler().setInputCols(columns).setOutputCol("features");
        BernoulliLoRARegressor lora = new BernoulliLoRARegressor()
                .setRank(1).setP(0.5).setRounds(300).setClients(4)   // 10 features: W is 2 x 5
                .setOutputPath(runDir);                               // keep metrics.csv and the PEFT export
        PipelineModel model = new Pipeline().setStages(new PipelineStage[] {assembler, lora}).fit(train);

        BernoulliLoRARegressionModel fitted = (BernoulliLoRARegressionModel) model.stages()[1];
        fitted.summary().history().select("round", "loss", "gradNormSq").show(3);
        double rmse = new RegressionEvaluator().setMetricName("rmse").evaluate(model.transform(test));

        model.write().overwrite().save(modelDir);                    // Params + data/adapter.safetensors
        PipelineModel again = PipelineModel.load(modelDir);
        // end

        assertEquals(2, fitted.rows());
        double spread = Math.sqrt(test.agg(org.apache.spark.sql.functions.var_pop("label")).first().getDouble(0));
        assertTrue(rmse < 0.5 * spread, "rmse " + rmse + " against the label's spread " + spread);
        assertEquals(model.transform(test).select("prediction").collectAsList(),
                again.transform(test).select("prediction").collectAsList());
        assertTrue(Files.exists(Path.of(runDir, "adapter", "peft", "adapter_model.safetensors")));
    }

    @Test
    void classifierExample() {
        Dataset<Row>[] parts = table(true).randomSplit(new double[] {0.8, 0.2}, 7);
        Dataset<Row> train = parts[0];
        Dataset<Row> test = parts[1];
        String[] columns = {"x0", "x1", "x2", "x3", "x4", "x5", "x6", "x7", "x8", "x9"};
        VectorAssembler assembler = new VectorAssembler().setInputCols(columns).setOutputCol("features");
        // example:classifier
        BernoulliLoRAClassifier mlp = new BernoulliLoRAClassifier()
                .setLayers("10,16,3")                       // features, hidden widths, classes
                .setRank(1).setP(0.5).setLinkEpochs(1)      // one chain link per epoch
                .setStepSize(0.02).setBatch(32).setEpochs(4)
                .setValidationFraction(0.2).setEarlyStopPatience(2);
        PipelineModel model = new Pipeline().setStages(new PipelineStage[] {assembler, mlp}).fit(train);

        BernoulliLoRAClassificationModel fitted = (BernoulliLoRAClassificationModel) model.stages()[1];
        fitted.summary().history().where("not isnan(accuracy)").select("epoch", "accuracy", "valAccuracy").show();
        double accuracy = new MulticlassClassificationEvaluator().setMetricName("accuracy").evaluate(model.transform(test));
        // end

        assertTrue(accuracy > 0.5, "accuracy " + accuracy + " on 3 classes");
        assertTrue(fitted.summary().history().where("not isnan(accuracy)").count() >= 1);
    }

    @Test
    void theDocsShowTheseExamplesWordForWord() throws IOException {
        String source = Files.readString(Path.of("src/test/java/org/blora/ml/SparkMlExampleTest.java"));
        String doc = Files.readString(Path.of("..", "docs", "SPARK-ML.md"));
        for (String name : List.of("regressor", "classifier")) {
            String begin = "// example:" + name + "\n";
            int b = source.indexOf(begin) + begin.length();
            String example = source.substring(b, source.indexOf("// end", b)).stripIndent().strip();
            assertTrue(doc.contains("```java\n" + example + "\n```"),
                    "docs/SPARK-ML.md shows the " + name + " example:\n" + example);
        }
    }

    @Test
    void theDocsListEveryParamOfBothEstimators() throws IOException {
        String doc = Files.readString(Path.of("..", "docs", "SPARK-ML.md"));
        for (org.apache.spark.ml.param.Params stage : List.of(new BernoulliLoRARegressor(), new BernoulliLoRAClassifier())) {
            for (org.apache.spark.ml.param.Param<?> p : stage.params()) {
                assertTrue(doc.contains("| `" + p.name() + "` |"), "docs/SPARK-ML.md has no row for " + p.name());
            }
        }
    }
}
