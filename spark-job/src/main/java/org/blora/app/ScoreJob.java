package org.blora.app;

import java.io.IOException;
import java.io.PrintStream;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.spark.sql.SparkSession;
import org.blora.config.Choice;
import org.blora.config.ConfigException;
import org.blora.config.DataSource;
import org.blora.config.DataSplit;
import org.blora.config.ModelSection;
import org.blora.config.PretrainSection;
import org.blora.config.RunConfig;
import org.blora.config.RunSection;
import org.blora.config.TrainSpec;
import org.blora.core.linalg.Dense;
import org.blora.core.model.Model;
import org.blora.core.model.ModelLayout;
import org.blora.core.objective.DataLoss;
import org.blora.core.objective.NonConvexRegularizer;
import org.blora.core.oracle.Iterate;
import org.blora.core.oracle.OracleRequest;
import org.blora.core.oracle.OracleResult;
import org.blora.io.AdapterFiles;
import org.blora.io.JsonFiles;
import org.blora.io.RunFolder;
import org.blora.spark.SparkOracle;

/**
 * Scores a finished run's fine-tuned model on data, distributed like training: the run's resolved configuration
 * (config.properties) with the data keys overridden by {@code --set}, theta = the run's merged adapter, and one
 * full pass over the clients for the loss (with the run's regulariser weight), ||grad f||^2 and, for a
 * classifier, the accuracy. On the training data it reproduces the run's final loss.
 */
public final class ScoreJob {
    private ScoreJob() {
    }

    public record Score(long rows, double loss, double gradNormSq, double accuracy) {
        Map<String, Object> asMap() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("rows", rows);
            m.put("loss", loss);
            m.put("grad_norm_sq", gradNormSq);
            if (!Double.isNaN(accuracy)) {
                m.put("accuracy", accuracy);
            }
            return m;
        }
    }

    /** The score of the run's own adapter on the training split, printed as one JSON object on {@code log}. */
    public static Score run(String runDir, List<String> sets, String master, PrintStream log) {
        return run(runDir, null, "train", sets, master, log);
    }

    /**
     * The score, printed as one JSON object on {@code log}, of the model in {@code adapterDir} (either format
     * {@link AdapterFiles} reads; null = the run's own adapter/) on the {@code split} (train; val or test of
     * data.source=mnist) of the run's data with {@code sets} applied.
     */
    public static Score run(String runDir, String adapterDir, String split, List<String> sets, String master, PrintStream log) {
        SparkSession spark = Sessions.start("blora-spark score", master, 5);
        try {
            RunFolder run = new RunFolder(runDir, spark.sparkContext().hadoopConfiguration());
            if (!run.holdsFinishedRun()) {
                throw new ConfigException("--run: " + runDir + " holds no finished run (summary.json); give a train job's --out");
            }
            String props = run.readText("config.properties");
            Properties p = new Properties();
            p.load(new StringReader(props));
            Map<String, String> c = new LinkedHashMap<>();
            p.forEach((k, v) -> c.put((String) k, (String) v));
            // Not pre-trained and not initialised again: theta comes from the adapter read below.
            RunConfig config = RunConfig.of(c).with(PretrainSection.ENABLED, "false").with(ModelSection.INIT, "")
                    .with(RunSection.CHECKPOINT_EVERY, "0");
            // The regulariser weight the run used (reg.lambda=auto resolves on its data), from its facts.
            double lambda = fact(props, "lambda");
            config = config.with(ModelSection.LAMBDA, Double.toString(Double.isNaN(lambda) ? 0.0 : lambda));
            for (String s : sets) {
                int eq = s.indexOf('=');
                if (eq <= 0) {
                    throw new ConfigException("--set must be key=value, got '" + s + "'");
                }
                config = config.with(s.substring(0, eq).trim(), s.substring(eq + 1).trim());
            }
            TrainSpec spec = new TrainSpec(config);
            DataSplit part = Choice.parse("--split", split, DataSplit.class);
            if (part != DataSplit.TRAIN && spec.data().source() != DataSource.MNIST) {
                throw new ConfigException("--split " + split + ": only data.source=mnist has val and test splits "
                        + "(score other data by pointing data.path at them)");
            }
            String from = adapterDir == null ? run.path("adapter").toString() : adapterDir;
            AdapterFiles.Adapter model;
            try {
                model = AdapterFiles.read(from, spark.sparkContext().hadoopConfiguration());
            } catch (IllegalArgumentException e) {
                throw new ConfigException("--adapter: " + e.getMessage());
            }
            try (DataSession data = new DataSession(spark, log)) {
                DataSession.Loaded l = part == DataSplit.TRAIN ? data.blocks(spec) : data.heldOut(spec, part);
                Model runModel = RunModel.of(spec, l.features());
                DataLoss loss = runModel.loss();
                ModelLayout layout = runModel.layout();
                if (!layout.equals(model.layout())) {
                    throw new ConfigException("--adapter: " + from + " holds " + model.layout() + " but the run's model on "
                            + l.features() + " features is " + layout + " (score it on data of the width it was trained on)");
                }
                double[] theta = model.theta();
                try (SparkOracle oracle = new SparkOracle(data.sc(), l.blocks(), loss, layout.size(), l.rows(), 0)) {
                    OracleResult r = OracleResult.sumInOrder(oracle.evaluate(OracleRequest.fullOnly(0),
                            new Iterate(0, theta, null, null)));
                    NonConvexRegularizer reg = new NonConvexRegularizer(Double.isNaN(spec.model().lambda())
                            ? 0.0 : spec.model().lambda());
                    double[] g = r.gradSum().clone();
                    Dense.scale(1.0 / l.rows(), g);
                    reg.addGradient(theta, 1.0, g);
                    Score s = new Score(l.rows(), r.lossSum() / l.rows() + reg.value(theta), Dense.normSq(g),
                            loss.classifier() ? r.correct() / (double) l.rows() : Double.NaN);
                    log.println(JsonFiles.render(s.asMap()));
                    return s;
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            Sessions.release(spark);
        }
    }

    /** A "# key=value" fact line of config.properties, or NaN. */
    private static double fact(String props, String key) {
        for (String line : props.split("\n")) {
            if (line.startsWith("# " + key + "=")) {
                try {
                    return Double.parseDouble(line.substring(key.length() + 3).trim());
                } catch (NumberFormatException e) {
                    return Double.NaN;
                }
            }
        }
        return Double.NaN;
    }
}
