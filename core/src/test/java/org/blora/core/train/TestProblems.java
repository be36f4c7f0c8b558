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
            g[c] = gamma(alpha, rng);
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
            double[] x = new double[nc * d];
            double[] y = new double[nc];
            for (int i = 0; i < nc; i++) {
                double s = 0;
                for (int j = 0; j < d; j++) {
                    x[i * d + j] = rng.nextGaussian();
                    s += x[i * d + j] * wStar[j];
                }
                y[i] = s + offset + 0.1 * rng.nextGaussian();
            }
            out.add(List.of(new DataBlock(c, first, nc, d, x, y)));
            first += nc;
        }
        return out;
    }

    /** Marsaglia-Tsang gamma(alpha, 1) draw (alpha < 1 via the boost alpha + 1). */
    private static double gamma(double alpha, SplittableRandom rng) {
        if (alpha < 1) {
            return gamma(alpha + 1, rng) * Math.pow(rng.nextDouble(), 1 / alpha);
        }
        double dd = alpha - 1.0 / 3, c = 1 / Math.sqrt(9 * dd);
        while (true) {
            double x = rng.nextGaussian(), v = 1 + c * x;
            if (v <= 0) {
                continue;
            }
            v = v * v * v;
            double u = rng.nextDouble();
            if (Math.log(u) < 0.5 * x * x + dd - dd * v + dd * Math.log(v)) {
                return dd * v;
            }
        }
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
            double[] x = new double[nc * d];
            double[] y = new double[nc];
            for (int i = 0; i < nc; i++) {
                double s = 0;
                for (int j = 0; j < d; j++) {
                    x[i * d + j] = rng.nextGaussian();
                    s += x[i * d + j] * wStar[j];
                }
                y[i] = s + noise * rng.nextGaussian();
            }
            out.add(List.of(new DataBlock(c, first, nc, d, x, y)));
            first += nc;
        }
        return out;
    }
}
