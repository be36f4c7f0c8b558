package org.blora.core.compress;

/** What Rand-K and Top-K share: k given as a fraction of d (key {@code fed.compressor.k}). */
abstract class KSparsifier implements Compressor {
    private static final long serialVersionUID = 1L;

    private final double kFraction;

    /** @param kFraction k as a fraction of d, in (0, 1] */
    KSparsifier(double kFraction) {
        this.kFraction = Checks.requireKFraction(kFraction);
    }

    public double kFraction() {
        return kFraction;
    }

    /** The number of kept coordinates for dimension d. */
    public int k(int d) {
        return Compressors.kOf(kFraction, d);
    }
}
