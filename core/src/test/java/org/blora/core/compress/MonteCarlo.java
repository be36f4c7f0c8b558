package org.blora.core.compress;

import org.blora.core.random.Purpose;
import org.blora.core.random.RandomStreams;

/**
 * Monte-Carlo estimates behind the statistical contract checks. Draw t uses the stream
 * {@code RandomStreams.of(seed, t, 0, COMPRESSOR)}, as a client would in round t, so the checks are deterministic.
 *
 * <p>Tolerance (stated once, used everywhere): an empirical mean may exceed its target by at most
 * {@value #Z} standard errors, the standard error being the sample standard deviation over √draws, plus
 * {@value #ROUNDING} relative (to |x_i|, or to the bound) for floating-point rounding.
 * For a Gaussian mean a false alarm at 5 SE has
 * probability below 3e-7 per check.
 */
final class MonteCarlo {

    static final double Z = 5.0;
    static final double ROUNDING = 1e-12;

    private MonteCarlo() {
    }

    /** Sample mean and its standard error. */
    record Estimate(double mean, double standardError) {
    }

    /** Per-coordinate mean of the decoded messages and its standard error. */
    static Estimate[] coordinateMeans(Compressor c, double[] x, int draws, long seed) {
        int d = x.length;
        double[] sum = new double[d];
        double[] sumSq = new double[d];
        // Deviations in units of |x_i| (1 for zeros), so tiny or huge entries neither underflow nor overflow.
        double[] unit = new double[d];
        for (int i = 0; i < d; i++) {
            unit[i] = x[i] != 0.0 ? Math.abs(x[i]) : 1.0;
        }
        for (int t = 0; t < draws; t++) {
            double[] q = c.compress(x, RandomStreams.of(seed, t, 0, Purpose.COMPRESSOR)).toDense();
            for (int i = 0; i < d; i++) {
                double dev = (q[i] - x[i]) / unit[i];
                sum[i] += dev;
                sumSq[i] += dev * dev;
            }
        }
        Estimate[] out = new Estimate[d];
        for (int i = 0; i < d; i++) {
            double meanDev = sum[i] / draws;
            double var = Math.max(0.0, (sumSq[i] - draws * meanDev * meanDev) / (draws - 1));
            out[i] = new Estimate(x[i] + meanDev * unit[i], Math.sqrt(var / draws) * unit[i]);
        }
        return out;
    }

    /** Mean of ||C(x) − x||² over the draws and its standard error. */
    static Estimate squaredError(Compressor c, double[] x, int draws, long seed) {
        double sum = 0.0;
        double sumSq = 0.0;
        for (int t = 0; t < draws; t++) {
            double[] q = c.compress(x, RandomStreams.of(seed, t, 0, Purpose.COMPRESSOR)).toDense();
            double e = 0.0;
            for (int i = 0; i < x.length; i++) {
                double dev = q[i] - x[i];
                e += dev * dev;
            }
            sum += e;
            sumSq += e * e;
        }
        double mean = sum / draws;
        double var = Math.max(0.0, (sumSq - draws * mean * mean) / (draws - 1));
        return new Estimate(mean, Math.sqrt(var / draws));
    }

    /** Null if every coordinate mean is within Z standard errors of x, else a description of the worst one. */
    static String biasViolation(Estimate[] means, double[] x) {
        for (int i = 0; i < x.length; i++) {
            double err = Math.abs(means[i].mean() - x[i]);
            if (err > Z * means[i].standardError() + ROUNDING * Math.abs(x[i])) {
                return "coordinate " + i + ": mean " + means[i].mean() + " vs x = " + x[i] + ", |error| " + err
                        + " > " + Z + " SE = " + Z * means[i].standardError();
            }
        }
        return null;
    }

    /** Null if the mean is at most bound + Z SE (+ rounding), else a description. */
    static String exceeds(Estimate e, double bound, double scale, String what) {
        double limit = bound + Z * e.standardError() + ROUNDING * scale;
        return e.mean() <= limit ? null
                : what + ": empirical " + e.mean() + " (SE " + e.standardError() + ") > bound " + bound
                        + " + " + Z + " SE";
    }
}
