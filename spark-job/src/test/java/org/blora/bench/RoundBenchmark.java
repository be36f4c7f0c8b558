package org.blora.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.ml.linalg.VectorUDT;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.ml.regression.LinearRegression;
import org.apache.spark.ml.regression.LinearRegressionModel;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;
import org.blora.core.chain.BernoulliLoRA;
import org.blora.core.chain.LowRankChain;
import org.blora.core.chain.Method;
import org.blora.core.estimator.Gd;
import org.blora.core.estimator.GradientEstimator;
import org.blora.core.estimator.Page;
import org.blora.core.estimator.Sgd;
import org.blora.core.linalg.Kernels;
import org.blora.core.linalg.Shape;
import org.blora.core.objective.DataBlock;
import org.blora.core.objective.LeastSquares;
import org.blora.core.objective.NonConvexRegularizer;
import org.blora.core.optim.StepRule;
import org.blora.core.oracle.GradientOracle;
import org.blora.core.sketch.GaussianSketch;
import org.blora.core.train.RoundListener;
import org.blora.core.train.RoundRecord;
import org.blora.core.train.SmoothnessEstimate;
import org.blora.core.train.TrainResult;
import org.blora.core.train.Trainer;
import org.blora.data.Blocks;
import org.blora.data.SyntheticClients;
import org.blora.data.regression.GlobalRescale;
import org.blora.data.regression.MomentStats;
import org.blora.data.regression.PrepRegression;
import org.blora.data.regression.RegressionSpec;
import org.blora.spark.SparkOracle;
import org.blora.spark.persistent.PersistentRounds;

/**
 * One run on one data set (default: the paper's fine-tuning data, 10,000 x 4,096, rescaled to mean 1 std 2,
 * 2 clients in local[2]) that puts a training round next to its single-process floor and next to Spark
 * MLlib. Run by bench/run.sh; prints a table, the ratio lines, and writes bench/results.md.
 */
public final class RoundBenchmark {
    /** The cached blocks as the executors hold them (local mode: the same JVM), by partition. */
    static final Map<Integer, List<DataBlock>> EXECUTOR_BLOCKS = new ConcurrentHashMap<>();

    private static final int CLIENTS = 2;
    /** The paper's PAGE configuration (conf/experiments/paper-linreg-page.properties): metrics every 10 rounds. */
    private static final int PAGE_METRICS_EVERY = 10;
    private static final double PAGE_TOL = 5e-16;

    public static void main(String[] args) throws Exception {
        long rows = 10_000;
        int features = 4096;
        int gdRounds = 60;
        int sgdRounds = 1500;
        int floorReps = 40;
        int mllibIter = 40;
        boolean page = false;
        int pageRoundCap = 20_000;
        String out = "bench/results.md";
        int sweepParallel = 4;
        int sweepReps = 6;
        boolean sweepOnly = false;
        boolean kernelOnly = false;
        boolean pageOnly = false;
        boolean pageStage = false;
        long[] crossover = null;
        boolean roundsOnly = false;
        boolean mlpOnly = false;
        int mlpReps = 2;
        int mlpEpochs = 5;
        int mlpImages = 30_000;
        long scalingRows = 16_384;
        int scalingFeatures = 1024;
        int scalingRounds = 200;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--rows" -> rows = Long.parseLong(args[++i]);
                case "--features" -> features = Integer.parseInt(args[++i]);
                case "--gd-rounds" -> gdRounds = Integer.parseInt(args[++i]);
                case "--sgd-rounds" -> sgdRounds = Integer.parseInt(args[++i]);
                case "--floor-reps" -> floorReps = Integer.parseInt(args[++i]);
                case "--mllib-iter" -> mllibIter = Integer.parseInt(args[++i]);
                case "--page" -> page = true;
                case "--page-rounds" -> pageRoundCap = Integer.parseInt(args[++i]);
                case "--out" -> out = args[++i];
                case "--sweep-parallel" -> sweepParallel = Integer.parseInt(args[++i]);
                case "--sweep-reps" -> sweepReps = Integer.parseInt(args[++i]);
                case "--sweep-only" -> sweepOnly = true;
                case "--kernel-only" -> kernelOnly = true;
                case "--page-only" -> pageOnly = true;
                case "--page-stage" -> pageStage = true;
                case "--rounds-only" -> roundsOnly = true;
                case "--mlp-only" -> mlpOnly = true;
                case "--mlp-reps" -> mlpReps = Integer.parseInt(args[++i]);
                case "--mlp-epochs" -> mlpEpochs = Integer.parseInt(args[++i]);
                case "--mlp-images" -> mlpImages = Integer.parseInt(args[++i]);
                case "--scaling-rows" -> scalingRows = Long.parseLong(args[++i]);
                case "--scaling-features" -> scalingFeatures = Integer.parseInt(args[++i]);
                case "--scaling-rounds" -> scalingRounds = Integer.parseInt(args[++i]);
                case "--crossover" -> crossover = java.util.Arrays.stream(args[++i].split(","))
                        .mapToLong(v -> Long.parseLong(v.trim())).toArray();
                default -> throw new IllegalArgumentException("unknown flag " + args[i]
                        + " (--rows N --features D --gd-rounds R --sgd-rounds R --floor-reps K --mllib-iter K"
                        + " --page --page-rounds R --page-stage --sweep-parallel K --sweep-reps R"
                        + " --sweep-only --kernel-only --page-only"
                        + " --crossover N1,N2,... --rounds-only --scaling-rows N --scaling-features D"
                        + " --scaling-rounds R --mlp-only --mlp-reps R --mlp-epochs E --mlp-images N --out FILE)");
            }
        }
        if (crossover != null) {
            rows = java.util.Arrays.stream(crossover).max().orElse(rows); // the report's header: the largest size
        }
        Shape shape = shape(features);
        RegressionSpec spec = spec(rows, features);

        // Sessions' settings, but a session Sessions did not start: the sweeps of (10) join it and leave it running.
        SparkSession spark = SparkSession.builder().appName("blora-bench").master("local[2]")
                .config("spark.ui.showConsoleProgress", "false").config("spark.serializer.objectStreamReset", "1")
                .getOrCreate();
        spark.sparkContext().setLogLevel("WARN");
        JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        JobTimes listener = new JobTimes();
        sc.sc().addSparkListener(listener);
        Report rep = new Report(rows, features, shape, spark.version());
        rep.note("command: bench/run.sh %s", String.join(" ", args));
        if (crossover != null) {
            Crossover.measure(sc, crossover, features, shape, gdRounds, sgdRounds / 3, rep);
            rep.print(System.out);
            Files.writeString(Path.of(out), rep.markdown(), StandardCharsets.UTF_8);
            System.out.println("wrote " + out);
            spark.stop();
            return;
        }
        if (mlpOnly) {
            MlpRounds.measure(mlpReps, mlpEpochs, mlpImages, rep);
            rep.print(System.out);
            Files.writeString(Path.of(out), rep.markdown(), StandardCharsets.UTF_8);
            System.out.println("wrote " + out);
            spark.stop();
            return;
        }
        if (sweepOnly) {
            sweepRatios(rep, ParallelSweep.measure(rep, sweepParallel, sweepReps));
            rep.print(System.out);
            Files.writeString(Path.of(out), rep.markdown(), StandardCharsets.UTF_8);
            System.out.println("wrote " + out);
            spark.stop();
            return;
        }

        JavaRDD<DataBlock> blocks = cachedBlocks(sc, spec, features, rep);
        List<List<DataBlock>> clients = List.of(EXECUTOR_BLOCKS.get(0), EXECUTOR_BLOCKS.get(1));
        if (pageOnly) {
            Kernels.awaitVectorLoops();
            paperPage(sc, blocks, clients, rows, features, shape, pageRoundCap, pageStage, rep);
            rep.print(System.out);
            Files.writeString(Path.of(out), rep.markdown(), StandardCharsets.UTF_8);
            System.out.println("wrote " + out);
            spark.stop();
            return;
        }
        if (roundsOnly) {
            // Stage against persistent rounds only (minibatch and PAGE rounds, NumPy's PAGE round, client scaling).
            Samples stageSgd;
            Samples stagePage;
            try (SparkOracle oracle = new SparkOracle(sc, blocks, new LeastSquares(), features, rows, 0)) {
                stageSgd = PersistentRoundsBench.timeRounds(oracle, shape, new Sgd(1, rows, 100),
                        Math.max(20, sgdRounds / 5), sgdRounds);
                stagePage = PersistentRoundsBench.timeRounds(oracle, shape, new Page(1, rows, 100,
                        Page.defaultQ(100, rows)), Math.max(20, sgdRounds / 15), sgdRounds / 3);
            }
            rep.row("SGD round, batch 100, stage per round", stageSgd);
            rep.row("PAGE round, b = 100, stage per round", stagePage);
            PersistentRoundsBench.Rounds p = PersistentRoundsBench.measure(sc, blocks, rows, features, shape, sgdRounds, rep);
            NumpyRounds numpy = NumpyRounds.run(clients, rows, features, shape, rep);
            rep.ratio("minibatch_round_persistent_vs_stage", p.sgd().median() / stageSgd.median());
            if (numpy != null) {
                rep.ratio("page_round_vs_numpy", p.page().median() / numpy.pageRoundMs());
                rep.ratio("page_round_stage_vs_numpy", stagePage.median() / numpy.pageRoundMs());
            }
            PersistentRoundsBench.clientScaling(sc, scalingRows, scalingFeatures, scalingRounds, rep);
            rep.print(System.out);
            Files.writeString(Path.of(out), rep.markdown(), StandardCharsets.UTF_8);
            System.out.println("wrote " + out);
            spark.stop();
            return;
        }

        // (1) single-process floor over the very blocks the executors cache: our kernel and netlib's two forms,
        // one pass of each in turn per repetition, so all three see the same machine load.
        Kernels.awaitVectorLoops();
        Samples[] floor1Cpu = samples(FloorKernel.values().length);
        Samples[] floor2Cpu = samples(FloorKernel.values().length);
        Samples[] floor1 = floor(clients, features, 1, floorReps, floor1Cpu);
        Samples[] floor2 = floor(clients, features, 2, floorReps, floor2Cpu);
        for (FloorKernel k : FloorKernel.values()) {
            rep.row("floor: " + k.label + ", 1 thread", floor1[k.ordinal()]);
        }
        for (FloorKernel k : FloorKernel.values()) {
            rep.row("floor: " + k.label + ", 2 threads", floor2[k.ordinal()]);
        }
        for (FloorKernel k : FloorKernel.values()) {
            rep.row("floor: " + k.label + ", 2 threads, CPU time of the slower thread", floor2Cpu[k.ordinal()]);
        }
        double bestNetlib = Math.min(floor2[FloorKernel.NETLIB_ROW.ordinal()].median(),
                floor2[FloorKernel.NETLIB_GEMV16.ordinal()].median());
        double bestNetlibCpu = Math.min(floor2Cpu[FloorKernel.NETLIB_ROW.ordinal()].median(),
                floor2Cpu[FloorKernel.NETLIB_GEMV16.ordinal()].median());
        rep.ratio("kernel_vs_best_floor", floor2[FloorKernel.KERNEL.ordinal()].median() / bestNetlib);
        rep.ratio("kernel_vs_best_floor_cpu", floor2Cpu[FloorKernel.KERNEL.ordinal()].median() / bestNetlibCpu);

        // (9) the fixed-order matrix products against netlib's dgemm.
        double gemmVsDgemm = kernelOnly ? Double.NaN : GemmRows.measure(Math.max(40, floorReps), rep);

        // (7) Spark's fixed cost of a stage with no arithmetic, per primitive.
        Samples emptyStage = StageCosts.measure(sc, blocks, Math.max(40, (kernelOnly ? gdRounds : sgdRounds) / 4),
                shape.m() + shape.n(), rep);

        LeastSquares ls = new LeastSquares();
        // (2) full-gradient rounds of the real trainer (GD), (6) bytes per round.
        Samples gd;
        Samples[] floorInterleaved = samples(FloorKernel.values().length);
        FloorPass floorPass = new FloorPass(clients, features, 2);
        double bcastPerRound;
        double collectedPerRound;
        double linkPerRound;
        try (SparkOracle oracle = new SparkOracle(sc, blocks, ls, features, rows, 0)) {
            int warm = Math.max(5, gdRounds / 5);
            RoundTimer timer = new RoundTimer(warm);
            long[] bcastAt = new long[2];
            timer.between = () -> floorPass.runAll(floorInterleaved);
            timer.atWarm = () -> {
                bcastAt[0] = oracle.broadcastNumbers();
                bcastAt[1] = oracle.linkNumbers();
                waitBus(sc);
                listener.reset();
            };
            run(oracle, shape, new Gd(), StepRule.constant(1e-7), 1, warm + gdRounds, timer);
            waitBus(sc);
            gd = timer.samples;
            int n = gd.count() - 1; // the last record is the stopping round, which evaluates but takes no step
            bcastPerRound = 8.0 * (oracle.broadcastNumbers() - bcastAt[0]) / Math.max(1, n);
            linkPerRound = 8.0 * (oracle.linkNumbers() - bcastAt[1]) / Math.max(1, n);
            collectedPerRound = (double) listener.resultBytes.get() / (gd.count());
        }
        floorPass.close();
        for (FloorKernel k : FloorKernel.values()) {
            rep.row("floor: " + k.label + ", 2 threads, one pass between consecutive GD rounds",
                    floorInterleaved[k.ordinal()]);
        }
        rep.row("GD round (SparkOracle + Trainer, local[2], 2 clients)", gd);
        // (2b) the same GD rounds with run.rounds=persistent, the floor passes again between them.
        PersistentRoundsBench.GdRounds gdPersistent = PersistentRoundsBench.gdRounds(sc, blocks, rows, features, shape,
                gdRounds, clients, rep);
        rep.ratio("gd_round_vs_floor", gdPersistent.round().median() / gdPersistent.floorMs());
        rep.ratio("gd_round_stage_vs_floor", gd.median() / fastest(floorInterleaved));
        rep.ratio("gd_round_vs_empty_stage_plus_kernel", gd.median()
                / (emptyStage.median() + floorInterleaved[FloorKernel.KERNEL.ordinal()].median()));
        if (kernelOnly) {
            // Only the lines of the kernel and the full-gradient round: floor, GD round, NumPy's full round.
            NumpyRounds numpy = NumpyRounds.run(clients, rows, features, shape, rep);
            if (numpy != null) {
                rep.ratio("gd_round_vs_numpy", gdPersistent.round().median() / numpy.gdRoundMs());
                rep.ratio("gd_round_stage_vs_numpy", gd.median() / numpy.gdRoundMs());
            }
            rep.print(System.out);
            Files.writeString(Path.of(out), rep.markdown(), StandardCharsets.UTF_8);
            System.out.println("wrote " + out);
            spark.stop();
            return;
        }

        // (3) minibatch rounds: the fixed per-round cost.
        Samples sgd;
        waitBus(sc);
        listener.reset();
        try (SparkOracle oracle = new SparkOracle(sc, blocks, ls, features, rows, 0)) {
            int warm = Math.max(20, sgdRounds / 5);
            RoundTimer timer = new RoundTimer(warm);
            run(oracle, shape, new Sgd(1, rows, 100), StepRule.constant(1e-7), Integer.MAX_VALUE,
                    warm + sgdRounds, timer);
            sgd = timer.samples;
            sgd.dropLast(); // the final round evaluates the full gradient for the summary
        }
        rep.row("SGD round, batch 100 (fixed per-round cost)", sgd);
        waitBus(sc);
        long sgdTasks = Math.max(1, listener.tasks.get());
        rep.note("SGD rounds, per task (ms, Spark's task metrics): deserialize %.2f, run %.2f, result serialize %.2f, "
                        + "scheduling and result return %.2f; task binary and broadcasts %.0f B per round",
                (double) listener.deserializeMs.get() / sgdTasks, (double) listener.runMs.get() / sgdTasks,
                (double) listener.resultSerializeMs.get() / sgdTasks,
                (double) (listener.taskDurationMs.get() - listener.deserializeMs.get() - listener.runMs.get()
                        - listener.resultSerializeMs.get()) / sgdTasks,
                (double) listener.broadcastPieceBytes.get() / Math.max(1, sgdTasks / CLIENTS));

        // (3b) PAGE rounds, b = 100, q = b/(b+N): all but about 1% are minibatch rounds (two minibatch gradients,
        // a sketch, a QR), so the median is a minibatch round.
        Samples pageRounds;
        try (SparkOracle oracle = new SparkOracle(sc, blocks, ls, features, rows, 0)) {
            int warm = Math.max(20, sgdRounds / 15);
            RoundTimer timer = new RoundTimer(warm);
            run(oracle, shape, new Page(1, rows, 100, Page.defaultQ(100, rows)), StepRule.constant(1e-7),
                    Integer.MAX_VALUE, warm + sgdRounds / 3, timer);
            pageRounds = timer.samples;
            pageRounds.dropLast();
        }
        rep.row("PAGE round, b = 100, q = b/(b+N) (median: a minibatch round)", pageRounds);
        // (3c) the same minibatch and PAGE rounds with run.rounds=persistent (one barrier stage for all rounds).
        PersistentRoundsBench.Rounds persistentRounds = PersistentRoundsBench.measure(sc, blocks, rows, features, shape,
                sgdRounds, rep);

        // (4) MLlib LinearRegression (l-bfgs) on the same rows, 2 cached partitions.
        StructType schema = new StructType().add("label", DataTypes.DoubleType).add("features", new VectorUDT());
        JavaRDD<Row> rowRdd = blocks.flatMap(b -> {
            List<Row> rs = new ArrayList<>(b.rows);
            for (int i = 0; i < b.rows; i++) {
                double[] x = java.util.Arrays.copyOfRange(b.x, i * b.cols, (i + 1) * b.cols);
                rs.add(RowFactory.create(b.y[i], Vectors.dense(x)));
            }
            return rs.iterator();
        });
        Dataset<Row> df = spark.createDataFrame(rowRdd, schema).persist(StorageLevel.MEMORY_AND_DISK());
        rep.note("MLlib data frame: %d rows, %d partitions", df.count(), df.rdd().getNumPartitions());
        Samples mllibJob = new Samples();
        Samples mllibFitPerIter = new Samples();
        Samples mllibFit = new Samples();
        int mllibIters = 0;
        for (int rep2 = 0; rep2 < 3; rep2++) {
            waitBus(sc);
            listener.reset();
            long f0 = System.nanoTime();
            LinearRegressionModel model = new LinearRegression().setSolver("l-bfgs").setMaxIter(mllibIter)
                    .setTol(0.0).setRegParam(0.0).fit(df);
            long fitNs = System.nanoTime() - f0;
            waitBus(sc);
            mllibIters = model.summary().totalIterations();
            if (rep2 == 0) {
                continue; // warm-up fit
            }
            mllibFit.addNanos(fitNs);
            mllibFitPerIter.add(fitNs / 1e6 / Math.max(1, mllibIters));
            for (JobTimes.Job j : listener.jobs()) {
                if (j.callSite().contains("RDDLossFunction")) {
                    mllibJob.add(j.millis());
                }
            }
            if (mllibJob.count() == 0) {
                for (JobTimes.Job j : listener.jobs()) {
                    rep.note("mllib job %s %d ms", j.callSite(), j.millis());
                }
            }
        }
        df.unpersist();
        rep.row("MLlib gradient job (treeAggregate in RDDLossFunction, listener)", mllibJob);
        rep.row("MLlib fit time (l-bfgs, " + mllibIters + " iterations)", mllibFit);
        rep.row("MLlib fit time / iterations", mllibFitPerIter);

        // (5) time to ||grad f||^2 <= 5e-16 with the paper's PAGE configuration (behind --page).
        if (page) {
            paperPage(sc, blocks, clients, rows, features, shape, pageRoundCap, pageStage, rep);
        }

        long linkBytes = 8L * (shape.m() + shape.n());
        rep.bytes = String.format("bytes per round: broadcast %.0f B, link shipped inside the tasks %.0f B, "
                        + "collected (task results) %.0f B; 8 r (m+n) = %d B (r = 1), 8 m n = %d B, "
                        + "2 clients x 8 d = %d B",
                bcastPerRound, linkPerRound, collectedPerRound, linkBytes, 8L * features, 2L * 8 * features);

        // (8) NumPy in one process on the same rows (bench/numpy_round.py), 2 BLAS threads.
        NumpyRounds numpy = NumpyRounds.run(clients, rows, features, shape, rep);

        rep.ratio("gemm_vs_netlib_dgemm", gemmVsDgemm);
        rep.ratio("minibatch_round_ms", sgd.median());
        rep.ratio("minibatch_round_vs_empty_stage", sgd.median() / emptyStage.median());
        rep.ratio("minibatch_round_persistent_vs_stage", persistentRounds.sgd().median() / sgd.median());
        if (numpy != null) {
            rep.ratio("gd_round_vs_numpy", gdPersistent.round().median() / numpy.gdRoundMs());
            rep.ratio("gd_round_stage_vs_numpy", gd.median() / numpy.gdRoundMs());
            rep.ratio("page_round_vs_numpy", persistentRounds.page().median() / numpy.pageRoundMs());
            rep.ratio("page_round_stage_vs_numpy", pageRounds.median() / numpy.pageRoundMs());
        }
        rep.ratio("mllib_grad_job_vs_gd_round", mllibJob.median() / gd.median());
        rep.ratio("mllib_fit_iter_vs_gd_round", mllibFitPerIter.median() / gd.median());
        // (11) round time against the number of clients, both modes.
        PersistentRoundsBench.clientScaling(sc, scalingRows, scalingFeatures, scalingRounds, rep);
        // (10) a sweep one point after another against the same sweep with sweep.parallel=K, without and with shared passes.
        sweepRatios(rep, ParallelSweep.measure(rep, sweepParallel, sweepReps));
        // (12) the paper's MNIST fine-tuning run on generated images of MNIST's shape, both modes.
        MlpRounds.measure(mlpReps, mlpEpochs, mlpImages, rep);
        rep.print(System.out);
        Files.writeString(Path.of(out), rep.markdown(), StandardCharsets.UTF_8);
        System.out.println("wrote " + out);
        spark.stop();
    }

    /**
     * The paper's PAGE configuration (r 1, p 0.5, b 100, c 1, q = b/(b+N), metrics every 10 rounds, W0 = 0 instead
     * of the pre-trained x*_pre) to ||grad f||^2 <= 5e-16 with run.rounds=persistent (and with a stage per round
     * too when {@code alsoStage}), then the same in NumPy on the same rows (bench/numpy_paper_page.py): the lines
     * paper_page_time_vs_numpy (persistent) and paper_page_stage_time_vs_numpy.
     */
    static void paperPage(JavaSparkContext sc, JavaRDD<DataBlock> blocks, List<List<DataBlock>> clients, long rows,
                          int features, Shape shape, int pageRoundCap, boolean alsoStage, Report rep)
            throws IOException, InterruptedException {
        double persistentSec;
        try (PersistentRounds rounds = new PersistentRounds(sc, List.of(blocks), new LeastSquares(), features, null, 0,
                600, new java.io.PrintStream(java.io.OutputStream.nullOutputStream()))) {
            persistentSec = paperPageRun(rounds.oracle(0, rows), rows, features, shape, pageRoundCap, "persistent", rep);
        }
        double stageSec = Double.NaN;
        if (alsoStage) {
            try (SparkOracle oracle = new SparkOracle(sc, blocks, new LeastSquares(), features, rows, 0)) {
                stageSec = paperPageRun(oracle, rows, features, shape, pageRoundCap, "stage", rep);
            }
        }
        NumpyPaperPage np = NumpyPaperPage.run(clients, rows, features, shape, PAGE_METRICS_EVERY, PAGE_TOL,
                pageRoundCap, rep);
        if (np != null) {
            rep.note("NumPy, same settings and rows, W0=0: %s after %d rounds, ||grad f||^2 = %.3e, %.1f s, "
                            + "%.1f rounds/s", np.converged() ? "converged" : "round budget", np.rounds(),
                    np.gradNormSq(), np.seconds(), np.rounds() / np.seconds());
            rep.ratio("paper_page_time_vs_numpy", persistentSec / np.seconds());
            if (alsoStage) {
                rep.ratio("paper_page_stage_time_vs_numpy", stageSec / np.seconds());
            }
        }
    }

    /** One paper PAGE run through {@code oracle}: its smoothness estimate, then the timed training loop (s). */
    private static double paperPageRun(GradientOracle oracle, long rows, int features, Shape shape, int pageRoundCap,
                                       String mode, Report rep) {
        long s0 = System.nanoTime();
        SmoothnessEstimate.Result norm = SmoothnessEstimate.lanczos(oracle, features, 1, 1e-6, 10_000);
        double estMs = (System.nanoTime() - s0) / 1e6;
        NonConvexRegularizer reg = new NonConvexRegularizer(norm.value());
        double lHat = norm.value() + reg.curvatureBound();
        rep.note("%s: smoothness ||X^T X/N|| = %.4f in %d passes, %.0f ms (with the stage's launch in persistent "
                + "mode); L_hat = %.4f", mode, norm.value(), norm.stages(), estMs, lHat);
        BernoulliLoRA method = new BernoulliLoRA(Method.BERNOULLI, shape, 1, 0.5, new GaussianSketch(), 1);
        GradientEstimator est = new Page(1, rows, 100, Page.defaultQ(100, rows));
        Trainer trainer = new Trainer(method, est, StepRule.constant(1.0 / lHat), reg, PAGE_METRICS_EVERY,
                pageRoundCap, 1e9, PAGE_TOL);
        LowRankChain chain = new LowRankChain(shape, new double[features]);
        long p0 = System.nanoTime();
        TrainResult r = trainer.run(oracle, chain, new RoundListener() {
            @Override
            public void onRound(RoundRecord record, LowRankChain c) {
            }
        });
        double sec = (System.nanoTime() - p0) / 1e9;
        rep.pageLine = (rep.pageLine == null ? "" : rep.pageLine + "; ") + String.format(
                "%s: PAGE r=1 p=0.5 b=100 c=1 q=b/(b+N), metrics every %d, W0=0%s: %s after %d rounds, %.1f epochs, "
                        + "||grad f||^2 = %.3e, %.1f s, %.1f rounds/s",
                mode, PAGE_METRICS_EVERY, rows == 10_000 && features == 4096 ? "" : " (not the paper's data size)",
                r.stopReason(), r.rounds(), r.epochs(), r.gradNormSq(), sec, r.rounds() / sec);
        return sec;
    }

    private static void sweepRatios(Report rep, ParallelSweep.Ratios r) {
        rep.ratio("sweep_sequential_vs_parallel", r.sequentialVsParallel());
        rep.ratio("sweep_sequential_vs_parallel_unfused", r.sequentialVsUnfused());
        rep.ratio("sweep_unfused_vs_fused", r.unfusedVsFused());
        rep.ratio("sweep_sequential_persistent_vs_parallel", r.persistentVsParallel());
        rep.ratio("sweep_sequential_vs_sequential_persistent", r.sequentialVsPersistent());
    }

    /** A square W where the feature count is a square, else a row. */
    static Shape shape(int features) {
        int side = (int) Math.round(Math.sqrt(features));
        return side * side == features ? new Shape(side, side) : new Shape(1, features);
    }

    /** The paper's fine-tuning data at 10,000 x 4,096; a generator of the same kind at other sizes. */
    static RegressionSpec spec(long rows, int features) {
        return rows == 10_000 && features == 4096 ? RegressionSpec.paperFinetune()
                : new RegressionSpec(rows, features, features / 2, 32, 0.9, 50.0, 10.0, 84);
    }

    /**
     * Data generated on the executors, rescaled like the paper's fine-tuning set and cached; each partition's
     * blocks also recorded in {@link #EXECUTOR_BLOCKS} for the single-process passes.
     */
    static JavaRDD<DataBlock> cachedBlocks(JavaSparkContext sc, RegressionSpec spec, int features, Report rep) {
        long t0 = System.nanoTime();
        MomentStats stats = PrepRegression.statistics(sc, spec, CLIENTS);
        GlobalRescale rescale = new GlobalRescale(stats, GlobalRescale.PAPER_MEAN, GlobalRescale.PAPER_STD);
        int maxRows = Blocks.maxRows(features, Blocks.DEFAULT_BLOCK_BYTES);
        JavaRDD<DataBlock> blocks = SyntheticClients.generate(sc, spec, CLIENTS, maxRows).map(b -> {
            double[] row = new double[b.cols];
            for (int i = 0; i < b.rows; i++) {
                System.arraycopy(b.x, i * b.cols, row, 0, b.cols);
                b.y[i] = rescale.apply(row, b.y[i]);
                System.arraycopy(row, 0, b.x, i * b.cols, b.cols);
            }
            return b;
        }).persist(StorageLevel.MEMORY_AND_DISK());
        EXECUTOR_BLOCKS.clear();
        blocks.foreachPartition(it -> {
            List<DataBlock> mine = new ArrayList<>();
            it.forEachRemaining(mine::add);
            EXECUTOR_BLOCKS.put(org.apache.spark.TaskContext.getPartitionId(), mine);
        });
        rep.note("data %d x %d ready (generate + rescale + cache) in %.1f s", spec.rows(), features,
                (System.nanoTime() - t0) / 1e9);
        return blocks;
    }

    static void waitBus(JavaSparkContext sc) {
        try {
            sc.sc().listenerBus().waitUntilEmpty();
        } catch (Exception e) {
            throw new IllegalStateException("listener bus did not drain", e);
        }
    }

    /** The fastest median of the floor kernels. */
    static double fastest(Samples[] floors) {
        double ms = Double.POSITIVE_INFINITY;
        for (Samples s : floors) {
            ms = Math.min(ms, s.median());
        }
        return ms;
    }

    static TrainResult run(GradientOracle oracle, Shape shape, GradientEstimator est, StepRule rule,
                                   int metricsEvery, int rounds, RoundListener listener) {
        BernoulliLoRA method = new BernoulliLoRA(Method.BERNOULLI, shape, 1, 0.5, new GaussianSketch(), 1);
        Trainer trainer = new Trainer(method, est, rule, new NonConvexRegularizer(0.0), metricsEvery, rounds,
                1e12, 0.0);
        return trainer.run(oracle, new LowRankChain(shape, new double[shape.size()]), listener);
    }

    static Samples[] samples(int count) {
        Samples[] s = new Samples[count];
        for (int i = 0; i < count; i++) {
            s[i] = new Samples();
        }
        return s;
    }

    /** Per floor kernel, ms per full-gradient pass over all clients' blocks, clients split over {@code threads}. */
    static Samples[] floor(List<List<DataBlock>> clients, int d, int threads, int reps, Samples[] cpu) {
        Samples[] s = samples(FloorKernel.values().length);
        Samples[] warm = samples(FloorKernel.values().length);
        Samples[] warmCpu = samples(FloorKernel.values().length);
        try (FloorPass pass = new FloorPass(clients, d, threads)) {
            for (int rep = -Math.max(5, reps / 4); rep < reps; rep++) {
                pass.runAll(rep >= 0 ? s : warm, rep >= 0 ? cpu : warmCpu);
            }
        }
        return s;
    }

    /** The single-process floor: one full pass over every client's blocks, one task per client. */
    static final class FloorPass implements AutoCloseable {
        private final List<List<DataBlock>> clients;
        private final ExecutorService pool;
        private final double[][] grads;
        private final double[] w;
        double sink;

        FloorPass(List<List<DataBlock>> clients, int d, int threads) {
            this.clients = clients;
            this.pool = Executors.newFixedThreadPool(threads);
            this.grads = new double[clients.size()][d];
            this.w = new double[d];
            java.util.Arrays.fill(w, 1e-3);
        }

        /** One pass of each kernel in turn, into {@code into[kernel.ordinal()]}. */
        void runAll(Samples[] into) {
            runAll(into, null);
        }

        /**
         * The same, and the CPU time of the pass's slower thread into {@code cpu[kernel.ordinal()]}: on a loaded
         * machine the wall time also counts the time the threads waited for a core, the CPU time does not.
         */
        void runAll(Samples[] into, Samples[] cpu) {
            for (FloorKernel k : FloorKernel.values()) {
                double[] cpuMs = new double[1];
                into[k.ordinal()].add(run(k, cpuMs));
                if (cpu != null) {
                    cpu[k.ordinal()].add(cpuMs[0]);
                }
            }
        }

        double run(FloorKernel kernel, double[] cpuMs) {
            long t = System.nanoTime();
            List<Future<double[]>> fs = new ArrayList<>();
            for (int c = 0; c < clients.size(); c++) {
                int cc = c;
                fs.add(pool.submit(() -> {
                    long c0 = ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
                    java.util.Arrays.fill(grads[cc], 0.0);
                    double l = 0;
                    for (DataBlock b : clients.get(cc)) {
                        l += kernel.pass(b, w, grads[cc]);
                    }
                    long cpuNs = ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime() - c0;
                    return new double[] {l, cpuNs / 1e6};
                }));
            }
            try {
                for (Future<double[]> f : fs) {
                    double[] r = f.get();
                    sink += r[0];
                    cpuMs[0] = Math.max(cpuMs[0], r[1]);
                }
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
            return (System.nanoTime() - t) / 1e6;
        }

        @Override
        public void close() {
            pool.shutdown();
        }
    }
}
