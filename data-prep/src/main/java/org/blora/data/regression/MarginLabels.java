package org.blora.data.regression;

import java.io.Serializable;

/**
 * Labels -1 or +1 for the synthetic generator, linearly separable with a known margin: with u = w / ||w|| the unit
 * normal of the true coefficients w ({@link RegressionGenerator#coefficients}), a row x gets y = sign(u . x)
 * (+1 at 0), and a row closer than {@code margin} to the hyperplane is moved along u to distance exactly
 * {@code margin}: x <- x + (y margin - u . x) u. Every row then has y u . x >= margin, so W* = u / margin has all
 * margins y x . W* >= 1 and the hinge loss max(0, 1 - y x . w) has f* = 0 at W* (the separable case of
 * docs/THEORY.md). Noise and bias of the regression target are not used. Rows keep their order and count, so
 * the generator's partitioning and seeding are unchanged.
 */
public final class MarginLabels implements Serializable {
    private static final long serialVersionUID = 1L;

    private final double margin;
    private final double[] u;

    public MarginLabels(RegressionSpec spec, double margin) {
        if (!(margin > 0.0) || Double.isInfinite(margin)) {
            throw new IllegalArgumentException("data.margin must be positive and finite, got " + margin);
        }
        double[] w = RegressionGenerator.coefficients(spec);
        double norm = 0.0;
        for (double v : w) {
            norm += v * v;
        }
        norm = Math.sqrt(norm);
        if (norm == 0.0) {
            throw new IllegalArgumentException("data.labels=sign needs true coefficients that are not all zero: "
                    + "set data.informative >= 1");
        }
        this.u = new double[w.length];
        for (int j = 0; j < w.length; j++) {
            u[j] = w[j] / norm;
        }
        this.margin = margin;
    }

    /** Moves x to the margin if it is closer, returns its label -1 or +1. */
    public double label(double[] x) {
        double s = 0.0;
        for (int j = 0; j < x.length; j++) {
            s += x[j] * u[j];
        }
        double y = s >= 0.0 ? 1.0 : -1.0;
        if (y * s < margin) {
            double shift = y * margin - s;
            for (int j = 0; j < x.length; j++) {
                x[j] += shift * u[j];
            }
        }
        return y;
    }

    /** W* = u / margin, a minimiser of the hinge loss on these rows (f* = 0). */
    public double[] minimiser() {
        double[] w = u.clone();
        for (int j = 0; j < w.length; j++) {
            w[j] /= margin;
        }
        return w;
    }
}
