package org.blora.cli;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;
import org.blora.core.chain.BernoulliLoRA;
import org.blora.core.chain.LowRankChain;
import org.blora.core.chain.StepRule;
import org.blora.core.estimator.Gd;
import org.blora.core.estimator.GradientEstimator;
import org.blora.core.estimator.Mvr;
import org.blora.core.estimator.Page;
import org.blora.core.estimator.Sgd;
import org.blora.core.linalg.Shape;
import org.blora.core.objective.DataBlock;
import org.blora.core.objective.LeastSquares;
import org.blora.core.objective.NonConvexRegularizer;
import org.blora.core.sketch.SketchSampler;
import org.blora.core.train.RoundListener;
import org.blora.core.train.RoundRecord;
import org.blora.core.train.SmoothnessEstimate;
import org.blora.core.train.StopReason;
import org.blora.core.train.TrainResult;
import org.blora.core.train.TrainerState;
import org.blora.core.train.Trainer;
import org.blora.data.Blocks;
import org.blora.data.ClientDataReader;
import org.blora.data.SyntheticClients;
import org.blora.io.Checkpoint;
import org.blora.io.Checkpoints;
import org.blora.io.RunFolder;
import org.blora.io.RunOutputs;
import org.blora.spark.SparkOracle;
import scala.Tuple2;

/**
 * Wires one training run: the clients' data as cached blocks, the Spark oracle, the smoothness estimate, the
 * core trainer, and the run folder. Nothing here does math or distribution itself.
 */
public final class TrainRun {
    /** Facts learned while setting up, reported in config.properties and summary.json. */
    public record Setup(Shape shape, long rows, int clients, double gramNorm, int powerIterations, double lambda,
                        double lHat, double gamma, String stepRule) {
    }

    public record Outcome(TrainResult result, List<RoundRecord> rows, LowRankChain chain, Setup setup) {
    }

    private TrainRun() {
    }

    public static Outcome run(SparkSession spark, TrainSpec spec, RunFolder out, PrintStream log) {
        return run(spark, spec, out, log, null);
    }

    /** As {@link #run(SparkSession, TrainSpec, RunFolder, PrintStream)}, resuming from a checkpoint when not null. */
    public static Outcome run(SparkSession spark, TrainSpec spec, RunFolder out, PrintStream log, Checkpoint from) {
        JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        JavaRDD<DataBlock> blocks = load(spark, sc, spec);
        try {
            return train(sc, spec, blocks, out, log, from);
        } finally {
            blocks.unpersist(false);
        }
    }

    static JavaRDD<DataBlock> load(SparkSession spark, JavaSparkContext sc, TrainSpec spec) {
        sc.setJobDescription("load data");
        JavaRDD<DataBlock> blocks;
        if (spec.synthetic != null) {
            int maxRows = Blocks.maxRows(spec.synthetic.features(), spec.blockBytes);
            blocks = SyntheticClients.generate(sc, spec.synthetic, spec.clients, maxRows, spec.split);
        } else {
            int d = "libsvm".equals(spec.format) ? spec.shapeFor(shapeSizeFromConfig(spec)).size() : -1;
            blocks = ClientDataReader.read(spark, spec.path, spec.format, spec.clients, d, spec.blockBytes);
        }
        return blocks.persist(StorageLevel.MEMORY_AND_DISK());
    }

    private static int shapeSizeFromConfig(TrainSpec spec) {
        if ("auto".equalsIgnoreCase(spec.shapeText)) {
            throw new ConfigException("data.format=libsvm needs model.shape=MxN (the feature count is not in the file)");
        }
        try {
            return Shape.parse(spec.shapeText).size();
        } catch (IllegalArgumentException e) {
            throw new ConfigException(e.getMessage());
        }
    }

    private static Outcome train(JavaSparkContext sc, TrainSpec spec, JavaRDD<DataBlock> blocks, RunFolder out,
                                 PrintStream log, Checkpoint from) {
        // One pass materialises the cache and tells rows per client and the feature count.
        List<Tuple2<Long, Integer>> perClient = blocks.mapPartitions(it -> {
            long n = 0;
            int d = -1;
            while (it.hasNext()) {
                DataBlock b = it.next();
                n += b.rows;
                d = b.cols;
            }
            return List.of(new Tuple2<>(n, d)).iterator();
        }, true).collect();
        long rows = 0;
        int d = perClient.get(0)._2();
        for (int c = 0; c < perClient.size(); c++) {
            if (perClient.get(c)._1() == 0) {
                throw new ConfigException("client " + c + " has no rows (lower clients, or re-split the data)");
            }
            if (perClient.get(c)._2() != d) {
                throw new ConfigException("data.path: rows have " + d + " features in client 0 but "
                        + perClient.get(c)._2() + " in client " + c + " (every row needs the same feature count)");
            }
            rows += perClient.get(c)._1();
        }
        Shape shape = spec.shapeFor(d);
        spec.checkRank(shape);
        if (!"gd".equals(spec.estimator) && spec.batch > rows) {
            throw new ConfigException("optim.batch (" + spec.batch + ") exceeds the " + rows + " rows; lower optim.batch");
        }
        log.printf("[train] %d rows x %d features on %d clients, W is %s, method %s r=%d p=%s, estimator %s%s%n",
                rows, d, spec.clients, shape, spec.method.key(), spec.rank, spec.p, spec.estimator,
                "none".equals(spec.protocol) ? (spec.sketchFirst ? ", sketch-first" : "")
                        : ", protocol " + spec.protocol + " with " + spec.compressor + ", participation " + spec.participation);

        int snapshotEvery = spec.snapshotEvery; // 0 (auto): a full-W snapshot only when an executor needs one
        org.blora.core.federated.Protocol protocol = spec.protocol(d);
        if (protocol != null) {
            sc.setCheckpointDir(out.uri() + "/checkpoints/client-state");
        }
        try (SparkOracle oracle = new SparkOracle(sc, blocks, new LeastSquares(), d, rows, snapshotEvery)) {
            double gramNorm = Double.NaN;
            int powerIterations = 0;
            boolean needNorm = Double.isNaN(spec.lambda) || "theory".equals(spec.stepRule);
            if (needNorm) {
                SmoothnessEstimate.Result r = SmoothnessEstimate.lanczos(oracle, d, spec.seed, spec.smoothnessTol, 10_000);
                gramNorm = r.value();
                powerIterations = r.iterations();
                log.printf("[train] ||X^T X / N||_2 = %.6e (%d Lanczos stages)%n", gramNorm, powerIterations);
            }
            double lambda = Double.isNaN(spec.lambda) ? gramNorm : spec.lambda;
            NonConvexRegularizer reg = new NonConvexRegularizer(lambda);
            double lHat = needNorm ? gramNorm + reg.curvatureBound() : Double.NaN;
            StepRule rule = switch (spec.stepRule) {
                case "theory" -> StepRule.constant(spec.stepC / lHat);
                case "constant" -> StepRule.constant(spec.stepSize);
                default -> StepRule.polyak(spec.polyakFStar);
            };
            double gamma = "theory".equals(spec.stepRule) ? spec.stepC / lHat : spec.stepSize;
            Setup setup = new Setup(shape, rows, spec.clients, gramNorm, powerIterations, lambda, lHat, gamma,
                    rule.describe());

            BernoulliLoRA method = new BernoulliLoRA(spec.method, shape, spec.rank, spec.p,
                    SketchSampler.parse(spec.sketch), spec.seed);
            GradientEstimator estimator = protocol != null
                    ? new org.blora.core.federated.FederatedEstimator(protocol, spec.seed, spec.clients, d)
                    : switch (spec.estimator) {
                case "gd" -> new Gd();
                case "sgd" -> new Sgd(spec.seed, rows, spec.batch);
                case "page" -> new Page(spec.seed, rows, spec.batch,
                        Double.isNaN(spec.pageQ) ? Page.defaultQ(spec.batch, rows) : spec.pageQ);
                default -> new Mvr(spec.seed, rows, spec.batch, spec.mvrB);
            };
            Trainer trainer = new Trainer(method, estimator, rule, reg, spec.metricsEvery, spec.rounds, spec.epochs, spec.tol,
                    spec.sketchFirst);
            LowRankChain chain;
            List<RoundRecord> records;
            TrainerState state;
            if (from == null) {
                chain = new LowRankChain(shape, RunOutputs.initialW(spec.init, shape, sc.hadoopConfiguration()));
                records = new ArrayList<>();
                state = TrainerState.start();
            } else {
                if (!from.shape().equals(shape)) {
                    throw new ConfigException("run.resume: the checkpoint of round " + from.round() + " has W of shape "
                            + from.shape() + " but the data gives " + shape + " (resume with the same data, or use another --out)");
                }
                chain = from.chain();
                records = new ArrayList<>(from.rows());
                state = from.state();
                log.printf("[train] resuming from checkpoint round-%d (%.1f s of training so far)%n", from.round(),
                        state.wallMs() / 1000.0);
            }
            Map<String, String> resolved = spec.config.asMap();
            Progress progress = new Progress(log, spec.progressSeconds, spec.rounds);
            oracle.setRoundBudgetLabel("/" + spec.rounds);
            sc.setJobDescription(null);
            TrainResult result = trainer.run(oracle, chain, new RoundListener() {
                @Override
                public void onRound(RoundRecord record, LowRankChain c) {
                    records.add(record);
                    progress.onRound(record, c);
                }

                @Override
                public void onState(TrainerState s, LowRankChain c) {
                    if (spec.checkpointEvery > 0 && s.round() % spec.checkpointEvery == 0) {
                        Checkpoints.write(out, resolved, s, c, records);
                    }
                }
            }, state);
            log.printf("[train] %s after %d rounds, %.2f epochs, ||grad f||^2 = %.3e, loss = %.9e, %.1f s%n",
                    result.stopReason().text, result.rounds(), result.epochs(), result.gradNormSq(), result.loss(),
                    result.wallMs() / 1000.0);
            Map<String, String> facts = new LinkedHashMap<>();
            facts.put("broadcast_numbers", Long.toString(oracle.broadcastNumbers()));
            if (protocol != null && out.exists("checkpoints/client-state")) {
                out.delete("checkpoints/client-state");
            }
            facts.put("task_link_numbers", Long.toString(oracle.linkNumbers()));
            facts.put("snapshots", Integer.toString(oracle.snapshots()));
            RunOutputs.write(out, spec, setup, result, records, chain, facts);
            if (result.stopReason() == StopReason.DIVERGED) {
                int lastGood = -1;
                for (RoundRecord r : records) {
                    if (Double.isFinite(r.loss()) && Double.isFinite(r.gradNormSq())) {
                        lastGood = r.round();
                    }
                }
                Checkpoints.removeNewerThan(out, lastGood);
                if (Checkpoints.any(out)) {
                    log.printf("[train] kept the checkpoints before the divergence in %s/%s%n", out.uri(), Checkpoints.DIR);
                }
            } else if (!spec.checkpointKeep) {
                Checkpoints.removeAll(out);
            }
            return new Outcome(result, records, chain, setup);
        }
    }
}
