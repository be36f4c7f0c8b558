package org.blora.core.train;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.blora.core.objective.DataBlock;

/** Small regression problems for core tests: y = X w* + noise, rows split over clients. */
public final class TestProblems {
    private TestProblems() {
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
