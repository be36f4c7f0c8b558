package org.blora.core.objective;

import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.blora.core.linalg.Dense;

/**
 * A synthetic convex non-smooth problem f(w) = (1/N) sum_i f_i(w) with a known minimiser and f*, for checking
 * the convex theorems (constant and Polyak steps need f*, R = ||w0 - w*|| and the Lipschitz constant L0):
 * <ul>
 *   <li>{@link #noiselessLad}: y = X w*, so f* = 0 at w* exactly;</li>
 *   <li>{@link #lad}: y = X w* + Laplace noise, f* from {@link ReferenceSolve} with its certified accuracy;</li>
 *   <li>{@link #separableHinge}: labels sign(u . x) on rows kept only where |u . x| >= margin (||u|| = 1), so
 *       w* = u / margin has every margin y_i x_i . w* >= 1 and f* = 0.</li>
 * </ul>
 * Rows are x_i ~ N(0, I_d), all in one block of client 0.
 */
public record ConvexProblem(String name, DataLoss loss, DataBlock data, FStar fStar) {

    public static ConvexProblem noiselessLad(int rows, int d, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        double[] wStar = gaussian(d, rng);
        DataBlock block = linear(rows, d, wStar, 0.0, rng);
        return new ConvexProblem("lad-noiseless", new LeastAbsoluteDeviations(), block,
                new FStar(0.0, 0.0, wStar, "noiseless least absolute deviations: f(w*) = 0"));
    }

    /** Laplace noise of the given scale (mean |noise| = scale); f* by a certified reference solve. */
    public static ConvexProblem lad(int rows, int d, double noise, long seed) {
        if (!(noise >= 0.0) || Double.isInfinite(noise)) {
            throw new IllegalArgumentException("the noise scale must be >= 0 and finite, got " + noise);
        }
        SplittableRandom rng = new SplittableRandom(seed);
        double[] wStar = gaussian(d, rng);
        DataBlock block = linear(rows, d, wStar, noise, rng);
        return new ConvexProblem("lad", new LeastAbsoluteDeviations(), block,
                ReferenceSolve.leastAbsoluteDeviations(List.of(block)));
    }

    public static ConvexProblem separableHinge(int rows, int d, double margin, long seed) {
        if (!(margin > 0.0 && margin < 1.0)) {
            throw new IllegalArgumentException("the margin must be in (0, 1) so that rows are kept often, got " + margin);
        }
        SplittableRandom rng = new SplittableRandom(seed);
        double[] u = gaussian(d, rng);
        Dense.scale(1.0 / Math.sqrt(Dense.normSq(u)), u);
        double[] x = new double[rows * d];
        double[] y = new double[rows];
        for (int i = 0; i < rows; ) {
            double[] xi = gaussian(d, rng);
            double s = Dense.dot(xi, u);
            if (Math.abs(s) >= margin) {
                System.arraycopy(xi, 0, x, i * d, d);
                y[i++] = Math.signum(s);
            }
        }
        double[] wStar = u.clone();
        Dense.scale(1.0 / margin, wStar);
        return new ConvexProblem("hinge-separable", new Hinge(), new DataBlock(0, 0, rows, d, x, y),
                new FStar(0.0, 0.0, wStar, "separable hinge with margin " + margin + ": f(u / margin) = 0"));
    }

    public int dim() {
        return data.cols;
    }

    /** f(w) = (1/N) sum_i f_i(w). */
    public double value(double[] w) {
        return loss.accumulate(data, w, new double[data.cols]) / data.rows;
    }

    /** A subgradient of f at w (the loss's choice at kinks); returns f(w). */
    public double subgradient(double[] w, double[] g) {
        Arrays.fill(g, 0.0);
        double f = loss.accumulate(data, w, g) / data.rows;
        Dense.scale(1.0 / data.rows, g);
        return f;
    }

    /** L0 = (1/N) sum_i ||x_i|| (both losses are 1-Lipschitz in x_i . w). */
    public double lipschitz() {
        return Lipschitz.meanRowNorm(List.of(data));
    }

    /** R = ||w0 - w*|| for the known minimiser. */
    public double distanceToMinimiser(double[] w0) {
        return Math.sqrt(Dense.normSq(Dense.minus(w0, fStar.minimiser())));
    }

    private static double[] gaussian(int d, SplittableRandom rng) {
        double[] out = new double[d];
        for (int j = 0; j < d; j++) {
            out[j] = rng.nextGaussian();
        }
        return out;
    }

    /** rows x_i ~ N(0, I), y_i = x_i . w* + Laplace(noise). */
    private static DataBlock linear(int rows, int d, double[] wStar, double noise, SplittableRandom rng) {
        double[] x = new double[rows * d];
        double[] y = new double[rows];
        for (int i = 0; i < rows; i++) {
            double s = 0.0;
            for (int j = 0; j < d; j++) {
                x[i * d + j] = rng.nextGaussian();
                s += x[i * d + j] * wStar[j];
            }
            double e = noise == 0.0 ? 0.0 : -noise * Math.log(1.0 - rng.nextDouble());
            y[i] = s + (rng.nextBoolean() ? e : -e);
        }
        return new DataBlock(0, 0, rows, d, x, y);
    }
}
