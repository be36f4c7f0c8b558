package org.blora.core.train;

import java.util.SplittableRandom;
import org.blora.core.linalg.Dense;
import org.blora.core.random.Purpose;
import org.blora.core.random.RandomStreams;

/**
 * ||X^T X / N||_2 by power iteration on the data, one oracle stage per iteration, stopped when the Rayleigh
 * quotient changes by less than {@code relTol} relatively. This is the paper's lambda ("auto") and, plus the
 * regulariser's curvature bound 2 lambda, the L_hat of the theory stepsize gamma = c / L_hat.
 */
public final class SmoothnessEstimate {
    private SmoothnessEstimate() {
    }

    public record Result(double value, int iterations) {
    }

    public static Result gramNorm(GradientOracle oracle, int d, long seed, double relTol, int maxIterations) {
        SplittableRandom rng = RandomStreams.of(seed, 0, RandomStreams.DRIVER, Purpose.POWER_ITERATION);
        double[] v = new double[d];
        for (int j = 0; j < d; j++) {
            v[j] = rng.nextGaussian();
        }
        Dense.scale(1.0 / Math.sqrt(Dense.normSq(v)), v);
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
}
