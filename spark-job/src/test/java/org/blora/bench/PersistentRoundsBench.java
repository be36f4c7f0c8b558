package org.blora.bench;

import java.io.OutputStream;
import java.io.PrintStream;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.storage.StorageLevel;
import org.blora.core.chain.BernoulliLoRA;
import org.blora.core.chain.LowRankChain;
import org.blora.core.chain.Method;
import org.blora.core.estimator.Gd;
import org.blora.core.estimator.GradientEstimator;
import org.blora.core.estimator.Page;
import org.blora.core.estimator.Sgd;
import org.blora.core.linalg.Shape;
import org.blora.core.objective.DataBlock;
import org.blora.core.objective.LeastSquares;
import org.blora.core.objective.NonConvexRegularizer;
import org.blora.core.optim.StepRule;
import org.blora.core.oracle.GradientOracle;
import org.blora.core.sketch.GaussianSketch;
import org.blora.core.train.Trainer;
import org.blora.data.Blocks;
import org.blora.data.SyntheticClients;
import org.blora.data.regression.RegressionSpec;
import org.blora.spark.SparkOracle;
import org.blora.spark.persistent.PersistentRounds;

/**
 * Rounds in one barrier stage (run.rounds=persistent) against a stage per round, side by side on the same cached
 * blocks: minibatch (SGD, b = 100) and PAGE rounds, and the round time against the number of clients (2, 8, 32, 128
 * on the same rows) in both modes.
 */
final class PersistentRoundsBench {
    private static final PrintStream QUIET = new PrintStream(OutputStream.nullOutputStream());

    private PersistentRoundsBench() {
    }

    /** Medians of persistent SGD and PAGE rounds on {@code blocks}. */
    record Rounds(Samples sgd, Samples page) {
    }

    static Rounds measure(JavaSparkContext sc, JavaRDD<DataBlock> blocks, long rows, int features, Shape shape,
                          int sgdRounds, Report rep) {
        Samples sgd;
        Samples page;
        try (PersistentRounds rounds = new PersistentRounds(sc, List.of(blocks), new LeastSquares(), features, null, 0,
                600, QUIET)) {
            GradientOracle oracle = rounds.oracle(0, rows);
            sgd = timeRounds(oracle, shape, new Sgd(1, rows, 100), Math.max(20, sgdRounds / 5), sgdRounds);
            page = timeRounds(oracle, shape, new Page(1, rows, 100, Page.defaultQ(100, rows)),
                    Math.max(20, sgdRounds / 15), sgdRounds / 3);
            rep.note("persistent rounds: %d tasks, %d stage launch(es)", rounds.tasks(), rounds.launches());
        }
        rep.row("SGD round, batch 100, persistent (one barrier stage)", sgd);
        rep.row("PAGE round, b = 100, persistent (median: a minibatch round)", page);
        return new Rounds(sgd, page);
    }

    /** Persistent GD rounds and the fastest floor kernel's median measured between them. */
    record GdRounds(Samples round, double floorMs) {
    }

    /**
     * Full-gradient rounds of the real trainer with run.rounds=persistent, each followed (outside the timed interval)
     * by one pass of every floor kernel over the same rows, as for the stage-mode GD rounds.
     */
    static GdRounds gdRounds(JavaSparkContext sc, JavaRDD<DataBlock> blocks, long rows, int features, Shape shape,
                       int gdRounds, List<List<DataBlock>> clients, Report rep) {
        Samples[] floors = RoundBenchmark.samples(FloorKernel.values().length);
        Samples gd;
        try (RoundBenchmark.FloorPass floorPass = new RoundBenchmark.FloorPass(clients, features, 2);
             PersistentRounds rounds = new PersistentRounds(sc, List.of(blocks), new LeastSquares(), features, null, 0,
                     600, QUIET)) {
            int warm = Math.max(5, gdRounds / 5);
            RoundTimer timer = new RoundTimer(warm);
            timer.between = () -> floorPass.runAll(floors);
            RoundBenchmark.run(rounds.oracle(0, rows), shape, new Gd(), StepRule.constant(1e-7), 1, warm + gdRounds,
                    timer);
            gd = timer.samples;
        }
        for (FloorKernel k : FloorKernel.values()) {
            rep.row("floor: " + k.label + ", 2 threads, one pass between consecutive persistent GD rounds",
                    floors[k.ordinal()]);
        }
        rep.row("GD round, persistent (one barrier stage, local[2], 2 clients)", gd);
        return new GdRounds(gd, RoundBenchmark.fastest(floors));
    }

    /** Median round times with 2, 8, 32 and 128 clients on the same rows, both modes; the 128-vs-2 ratios. */
    static void clientScaling(JavaSparkContext sc, long rows, int features, int roundsPerPoint, Report rep) {
        Shape shape = RoundBenchmark.shape(features);
        RegressionSpec spec = new RegressionSpec(rows, features, features / 2, 32, 0.9, 50.0, 10.0, 84);
        int maxRows = Blocks.maxRows(features, Blocks.DEFAULT_BLOCK_BYTES);
        double[] stage = new double[2];
        double[] persistent = new double[2];
        for (int clients : new int[] {2, 8, 32, 128}) {
            JavaRDD<DataBlock> blocks = SyntheticClients.generate(sc, spec, clients, maxRows)
                    .persist(StorageLevel.MEMORY_AND_DISK());
            blocks.count();
            int warm = Math.max(10, roundsPerPoint / 5);
            Samples s;
            try (SparkOracle oracle = new SparkOracle(sc, blocks, new LeastSquares(), features, rows, 0)) {
                s = timeRounds(oracle, shape, new Sgd(1, rows, 100), warm, roundsPerPoint);
            }
            Samples p;
            try (PersistentRounds rounds = new PersistentRounds(sc, List.of(blocks), new LeastSquares(), features,
                    null, 0, 600, QUIET)) {
                p = timeRounds(rounds.oracle(0, rows), shape, new Sgd(1, rows, 100), warm, roundsPerPoint);
            }
            blocks.unpersist(true);
            rep.row(String.format("SGD round (b = 100), %d clients, %d x %d: stage", clients, rows, features), s);
            rep.row(String.format("SGD round (b = 100), %d clients, %d x %d: persistent", clients, rows, features), p);
            if (clients == 2) {
                stage[0] = s.median();
                persistent[0] = p.median();
            } else if (clients == 128) {
                stage[1] = s.median();
                persistent[1] = p.median();
            }
        }
        rep.ratio("round_128_vs_2_clients_stage", stage[1] / stage[0]);
        rep.ratio("round_128_vs_2_clients_persistent", persistent[1] / persistent[0]);
    }

    /** Wall time per round of the real trainer (Bernoulli-LoRA, r = 1), after {@code warm} rounds. */
    static Samples timeRounds(GradientOracle oracle, Shape shape, GradientEstimator est, int warm, int rounds) {
        RoundTimer timer = new RoundTimer(warm);
        BernoulliLoRA method = new BernoulliLoRA(Method.BERNOULLI, shape, 1, 0.5, new GaussianSketch(), 1);
        Trainer trainer = new Trainer(method, est, StepRule.constant(1e-7), new NonConvexRegularizer(0.0),
                Integer.MAX_VALUE, warm + rounds, 1e12, 0.0);
        trainer.run(oracle, new LowRankChain(shape, new double[shape.size()]), timer);
        timer.samples.dropLast(); // the final round evaluates the full gradient for the summary
        return timer.samples;
    }
}
