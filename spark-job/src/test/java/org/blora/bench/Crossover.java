package org.blora.bench;

import java.util.List;
import java.util.Locale;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.blora.core.estimator.Gd;
import org.blora.core.estimator.Page;
import org.blora.core.linalg.Shape;
import org.blora.core.objective.DataBlock;
import org.blora.core.objective.LeastSquares;
import org.blora.core.optim.StepRule;
import org.blora.spark.SparkOracle;

/**
 * Where NumPy in one process wins and where the job does: for each data size (rows x features, 2 clients,
 * local[2]), a GD round and a PAGE round (b = 100) of the real job next to the same rounds in NumPy on the very
 * same rows, side by side in one run. Spark's fixed cost per stage dominates small rounds; the pass over the data
 * dominates large ones. Prints one table and a {@code gd_round_vs_numpy_N} / {@code page_round_vs_numpy_N} ratio
 * per size ({@code bench/run.sh --crossover 1000,10000,100000}).
 */
final class Crossover {
    private Crossover() {
    }

    static void measure(JavaSparkContext sc, long[] sizes, int features, Shape shape, int gdRounds, int pageRounds,
                        Report rep) throws Exception {
        StringBuilder table = new StringBuilder(String.format(Locale.ROOT,
                "Crossover, %d features, 2 clients, local[2] against NumPy in one process (2 BLAS threads), medians:%n%n"
                        + "| rows | data | GD round, job ms | GD round, NumPy ms | job / NumPy | PAGE round, job ms "
                        + "| PAGE round, NumPy ms | job / NumPy |%n|---:|---:|---:|---:|---:|---:|---:|---:|%n", features));
        LeastSquares ls = new LeastSquares();
        // A first pass over the smallest size, not recorded: the first sizes measured otherwise pay the JIT's
        // warm-up (measured here: 17.6 ms per GD round at 1,000 rows the first time, 9.6 ms the second).
        long[] runs = new long[sizes.length + 1];
        runs[0] = java.util.Arrays.stream(sizes).min().orElseThrow();
        System.arraycopy(sizes, 0, runs, 1, sizes.length);
        for (int i = 0; i < runs.length; i++) {
            long n = runs[i];
            boolean warmUp = i == 0;
            JavaRDD<DataBlock> blocks = RoundBenchmark.cachedBlocks(sc, RoundBenchmark.spec(n, features), features, rep);
            List<List<DataBlock>> clients = List.of(RoundBenchmark.EXECUTOR_BLOCKS.get(0),
                    RoundBenchmark.EXECUTOR_BLOCKS.get(1));
            String at = String.format(Locale.ROOT, warmUp ? " (N = %,d, warm-up)" : " (N = %,d)", n);
            Samples gd;
            try (SparkOracle oracle = new SparkOracle(sc, blocks, ls, features, n, 0)) {
                int warm = Math.max(3, gdRounds / 5);
                RoundTimer timer = new RoundTimer(warm);
                RoundBenchmark.run(oracle, shape, new Gd(), StepRule.constant(1e-7), 1, warm + gdRounds, timer);
                gd = timer.samples;
            }
            rep.row("GD round (SparkOracle + Trainer, local[2], 2 clients)" + at, gd);
            Samples page;
            try (SparkOracle oracle = new SparkOracle(sc, blocks, ls, features, n, 0)) {
                int warm = Math.max(20, pageRounds / 5);
                RoundTimer timer = new RoundTimer(warm);
                RoundBenchmark.run(oracle, shape, new Page(1, n, 100, Page.defaultQ(100, n)),
                        StepRule.constant(1e-7), Integer.MAX_VALUE, warm + pageRounds, timer);
                page = timer.samples;
                page.dropLast(); // the final round evaluates the full gradient for the summary
            }
            rep.row("PAGE round, b = 100, q = b/(b+N) (median: a minibatch round)" + at, page);
            NumpyRounds numpy = warmUp ? null : NumpyRounds.run(clients, n, features, shape, rep, at);
            blocks.unpersist(true);
            RoundBenchmark.EXECUTOR_BLOCKS.clear();
            if (warmUp) {
                continue;
            }
            double npGd = numpy == null ? Double.NaN : numpy.gdRoundMs();
            double npPage = numpy == null ? Double.NaN : numpy.pageRoundMs();
            table.append(String.format(Locale.ROOT, "| %,d | %s | %.2f | %.2f | %.2f | %.2f | %.2f | %.2f |%n", n,
                    size(8.0 * n * features), gd.median(), npGd, gd.median() / npGd, page.median(), npPage,
                    page.median() / npPage));
            rep.ratio("gd_round_vs_numpy_" + n, gd.median() / npGd);
            rep.ratio("page_round_vs_numpy_" + n, page.median() / npPage);
        }
        rep.table = table.toString();
    }

    private static String size(double bytes) {
        return bytes >= 1e9 ? String.format(Locale.ROOT, "%.2f GB", bytes / 1e9)
                : String.format(Locale.ROOT, "%.0f MB", bytes / 1e6);
    }
}
