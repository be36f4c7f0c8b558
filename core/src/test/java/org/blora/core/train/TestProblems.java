package org.blora.core.train;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.blora.core.objective.DataBlock;

/** Small regression problems for core tests: y = X w* + noise, rows split over clients. */
public final class TestProblems {
    private TestProblems() {
    }

    /**
     * Heterogeneous clients: sizes drawn from a Dirichlet(alpha) split (at least 10 rows each) and a per-client
     * shift of the targets (client c's labels get + shift * N(0,1)), so local optima differ.
     */
    public static List<List<DataBlock>> heterogeneous(int rows, int d, int clients, long seed, double alpha, double shift) {
        SplittableRandom rng = new SplittableRandom(seed);
        double[] g = new double[clients];
        double sum = 0;
        for (int c = 0; c < clients; c++) {
            g[c] = org.blora.core.random.Gamma.sample(alpha, rng);
            sum += g[c];
        }
        double[] wStar = new double[d];
        for (int j = 0; j < d; j++) {
            wStar[j] = rng.nextGaussian();
        }
        List<List<DataBlock>> out = new ArrayList<>();
        long first = 0;
        int left = rows;
        for (int c = 0; c < clients; c++) {
            int nc = c == clients - 1 ? left : Math.max(10, Math.min(left - 10 * (clients - c - 1), (int) (rows * g[c] / sum)));
            left -= nc;
            double offset = shift * rng.nextGaussian();
            out.add(List.of(block(c, first, nc, d, wStar, offset, 0.1, rng)));
            first += nc;
        }
        return out;
    }

    public static List<List<DataBlock>> regression(int rows, int d, int clients, long seed, double noise) {
        SplittableRandom rng = new SplittableRandom(seed);
        double[] wStar = new double[d];
        for (int j = 0; j < d; j++) {
            wStar[j] = rng.nextGaussian();
        }
        List<List<DataBlock>> out = new ArrayList<>();
        long first = 0;
        for (int c = 0; c < clients; c++) {
            int nc = rows / clients + (c < rows % clients ? 1 : 0);
            out.add(List.of(block(c, first, nc, d, wStar, 0.0, noise, rng)));
            first += nc;
        }
        return out;
    }

    /**
     * Classification for an MLP: x ~ N(0, I), label = argmax of a random linear teacher's scores (classes
     * 0..k-1), rows split evenly over clients with contiguous global row numbers starting at {@code first}.
     */
    public static List<List<DataBlock>> classification(int rows, int d, int k, int clients, long first, long seed) {
        SplittableRandom teacher = new SplittableRandom(1234);
        double[] t = new double[k * d];
        for (int j = 0; j < t.length; j++) {
            t[j] = teacher.nextGaussian();
        }
        SplittableRandom rng = new SplittableRandom(seed);
        List<List<DataBlock>> out = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            int nc = rows / clients + (c < rows % clients ? 1 : 0);
            double[] x = new double[nc * d];
            double[] y = new double[nc];
            for (int i = 0; i < nc; i++) {
                int best = 0;
                double bestScore = Double.NEGATIVE_INFINITY;
                for (int j = 0; j < d; j++) {
                    x[i * d + j] = rng.nextGaussian();
                }
                for (int cls = 0; cls < k; cls++) {
                    double s = 0;
                    for (int j = 0; j < d; j++) {
                        s += t[cls * d + j] * x[i * d + j];
                    }
                    if (s > bestScore) {
                        bestScore = s;
                        best = cls;
                    }
                }
                y[i] = best;
            }
            out.add(List.of(new DataBlock(c, first, nc, d, x, y)));
            first += nc;
        }
        return out;
    }

    /** nc rows x ~ N(0, I), y = x . w* + offset + noise N(0, 1), drawn row by row from rng. */
    private static DataBlock block(int c, long first, int nc, int d, double[] wStar, double offset, double noise,
                                   SplittableRandom rng) {
        double[] x = new double[nc * d];
        double[] y = new double[nc];
        for (int i = 0; i < nc; i++) {
            double s = 0;
            for (int j = 0; j < d; j++) {
                x[i * d + j] = rng.nextGaussian();
                s += x[i * d + j] * wStar[j];
            }
            y[i] = s + offset + noise * rng.nextGaussian();
        }
        return new DataBlock(c, first, nc, d, x, y);
    }
}
