package org.blora.core.train;

import java.util.List;
import java.util.SplittableRandom;
import java.util.function.UnaryOperator;
import org.blora.core.linalg.Dense;
import org.blora.core.linalg.Lanczos;
import org.blora.core.objective.DataBlock;
import org.blora.core.objective.DataLoss;
import org.blora.core.oracle.GradientOracle;
import org.blora.core.random.Purpose;
import org.blora.core.random.RandomStreams;

/**
 * ||X^T X / N||_2 on the data, one oracle stage (a product X^T X v) per step: power iteration, or Lanczos, which
 * the job uses (a few stages where power iteration needs hundreds), each stopped when the estimate changes by less
 * than {@code relTol} relatively. {@code stages} counts the oracle stages. This is the paper's lambda ("auto") and, plus the
 * regulariser's curvature bound 2 lambda, the L_hat of the theory stepsize gamma = c / L_hat.
 */
public final class SmoothnessEstimate {
    private SmoothnessEstimate() {
    }

    public record Result(double value, int stages) {
    }

    /** The common start vector of both methods: a unit Gaussian vector from the SMOOTHNESS stream. */
    private static double[] startVector(int d, long seed) {
        return startVector(d, RandomStreams.of(seed, 0, RandomStreams.DRIVER, Purpose.SMOOTHNESS));
    }

    private static double[] startVector(int d, SplittableRandom rng) {
        double[] v = new double[d];
        for (int j = 0; j < d; j++) {
            v[j] = rng.nextGaussian();
        }
        Dense.scale(1.0 / Math.sqrt(Dense.normSq(v)), v);
        return v;
    }

    public static Result gramNorm(GradientOracle oracle, int d, long seed, double relTol, int maxIterations) {
        double[] v = startVector(d, seed);
        double n = oracle.rows();
        double previous = Double.NaN;
        for (int it = 1; it <= maxIterations; it++) {
            double[] u = oracle.gramTimes(v);
            double rayleigh = Dense.dot(v, u) / n;
            double norm = Math.sqrt(Dense.normSq(u));
            if (norm == 0.0) {
                return new Result(0.0, it);
            }
            Dense.scale(1.0 / norm, u);
            v = u;
            if (Math.abs(rayleigh - previous) <= relTol * Math.abs(rayleigh)) {
                return new Result(rayleigh, it);
            }
            previous = rayleigh;
        }
        return new Result(previous, maxIterations);
    }

    /** The same norm by {@link Lanczos} (one oracle stage per Krylov vector). */
    public static Result lanczos(GradientOracle oracle, int d, long seed, double relTol, int maxIterations) {
        return lanczos(oracle::gramTimes, oracle.rows(), startVector(d, seed), relTol, maxIterations);
    }

    /**
     * ||X_l^T X_l / N_l||_2 of one client's rows, by the same Lanczos on the rows in memory (no oracle stage: a
     * Spark task runs it for its own client), from the unit Gaussian start vector of the client's SMOOTHNESS
     * stream, so the value depends only on (seed, client) and the rows.
     */
    public static Result clientGramNorm(List<DataBlock> blocks, DataLoss loss, int d, long seed, int client,
                                        double relTol) {
        long n = 0;
        for (DataBlock b : blocks) {
            n += b.rows;
        }
        if (n == 0) {
            throw new IllegalArgumentException("client " + client + " has no rows");
        }
        UnaryOperator<double[]> gram = v -> {
            double[] out = new double[d];
            for (DataBlock b : blocks) {
                loss.addGramTimes(b, v, out);
            }
            return out;
        };
        return lanczos(gram, n, startVector(d, RandomStreams.of(seed, 0, client, Purpose.SMOOTHNESS)), relTol, d);
    }

    private static Result lanczos(UnaryOperator<double[]> gramTimes, double n, double[] start, double relTol,
                                  int maxIterations) {
        Lanczos.Estimate e = Lanczos.largest(gramTimes, n, start, relTol, maxIterations);
        return new Result(e.value(), e.products());
    }
}
