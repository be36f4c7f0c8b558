package org.blora.data.regression;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class PostProcessingTest {
    private static final RegressionSpec SPEC = new RegressionSpec(3001, 12, 6, 3, 0.9, 50, 10, 84);
    private static final int PARTS = 4;

    private static double[][] features() {
        List<double[]> out = new ArrayList<>();
        for (int p = 0; p < PARTS; p++) {
            RegressionRows rows = RegressionGenerator.rows(SPEC, p, PARTS);
            while (rows.hasNext()) {
                double[] x = new double[SPEC.features() + 1];
                double[] f = new double[SPEC.features()];
                x[SPEC.features()] = rows.next(f);
                System.arraycopy(f, 0, x, 0, f.length);
                out.add(x);
            }
        }
        return out.toArray(new double[0][]);
    }

    private static MomentStats mergedStats() {
        List<MomentStats> parts = new ArrayList<>();
        for (int p = 0; p < PARTS; p++) {
            parts.add(MomentStats.ofPartition(SPEC, p, PARTS));
        }
        return PrepRegression.mergeInOrder(SPEC.features(), parts);
    }

    /** Applies pp to every generated row; the label is stored in the last column. */
    private static double[][] processed(PostProcessing pp) {
        double[][] rows = features();
        int d = SPEC.features();
        for (double[] r : rows) {
            double[] f = java.util.Arrays.copyOf(r, d);
            r[d] = pp.apply(f, r[d]);
            System.arraycopy(f, 0, r, 0, d);
        }
        return rows;
    }

    @Test
    void mergedBlockStatisticsEqualTwoPassStatistics() {
        double[][] rows = features();
        MomentStats s = mergedStats();
        assertEquals(SPEC.rows(), s.count());
        for (int j = 0; j <= SPEC.features(); j++) {
            double mean = 0;
            for (double[] r : rows) {
                mean += r[j];
            }
            mean /= rows.length;
            double ss = 0;
            for (double[] r : rows) {
                ss += (r[j] - mean) * (r[j] - mean);
            }
            double std = Math.sqrt(ss / rows.length);
            double gotMean = j < SPEC.features() ? s.featureMeans()[j] : s.labelMean();
            double gotStd = j < SPEC.features() ? s.featureStds()[j] : s.labelStd();
            assertEquals(mean, gotMean, 1e-12 * (Math.abs(mean) + std));
            assertEquals(std, gotStd, 1e-12 * std);
        }
    }

    @Test
    void globalRescaleGivesMeanOneStdTwo() {
        double[][] rows = processed(PostProcessing.of("rescale", mergedStats()));
        int d = SPEC.features();
        double sum = 0;
        long count = 0;
        for (double[] r : rows) {
            for (int j = 0; j < d; j++) {
                sum += r[j];
                count++;
            }
        }
        double mean = sum / count;
        double ss = 0;
        for (double[] r : rows) {
            for (int j = 0; j < d; j++) {
                ss += (r[j] - mean) * (r[j] - mean);
            }
        }
        assertEquals(1.0, mean, 1e-9);
        assertEquals(2.0, Math.sqrt(ss / count), 1e-9);
        double[] y = column(rows, d);
        assertEquals(1.0, mean(y), 1e-9);
        assertEquals(2.0, std(y), 1e-9);
    }

    @Test
    void standardizeGivesZeroMeanUnitStdPerFeatureAndLabel() {
        double[][] rows = processed(PostProcessing.of("standardize", mergedStats()));
        for (int j = 0; j <= SPEC.features(); j++) {
            double[] c = column(rows, j);
            assertEquals(0.0, mean(c), 1e-9, "column " + j);
            assertEquals(1.0, std(c), 1e-9, "column " + j);
        }
    }

    @Test
    void constantFeatureIsLeftCentredNotDividedByZero() {
        MomentStats s = new MomentStats(2);
        s.add(new double[] {3, 1}, 5);
        s.add(new double[] {3, 2}, 5);
        double[] x = {3, 1};
        double y = new Standardize(s).apply(x, 5);
        assertEquals(0.0, x[0]);
        assertEquals(-1.0, x[1], 1e-15);
        assertEquals(0.0, y);
    }

    @Test
    void unknownNameIsRejected() {
        assertThrows(IllegalArgumentException.class, () -> PostProcessing.checkName("zscore"));
        assertEquals("none", PostProcessing.checkName(" None "));
    }

    private static double[] column(double[][] rows, int j) {
        double[] c = new double[rows.length];
        for (int i = 0; i < rows.length; i++) {
            c[i] = rows[i][j];
        }
        return c;
    }

    private static double mean(double[] v) {
        double s = 0;
        for (double x : v) {
            s += x;
        }
        return s / v.length;
    }

    private static double std(double[] v) {
        double m = mean(v);
        double s = 0;
        for (double x : v) {
            s += (x - m) * (x - m);
        }
        return Math.sqrt(s / v.length);
    }
}
