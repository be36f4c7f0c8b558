package org.blora.core.compress;

/** Argument checks shared by the compressors; messages name the configuration key and the fix. */
final class Checks {

    static final String KEY_COMPRESSOR = "fed.compressor";
    static final String KEY_K = "fed.compressor.k";
    static final String KEY_LEVELS = "fed.compressor.levels";

    private Checks() {
    }

    static int requireNonEmpty(double[] x) {
        if (x == null) {
            throw new NullPointerException("vector to compress is null");
        }
        if (x.length == 0) {
            throw new IllegalArgumentException("cannot compress an empty vector (dimension 0); expected d >= 1");
        }
        return x.length;
    }

    static double requireKFraction(double kFraction) {
        if (!(kFraction > 0.0 && kFraction <= 1.0)) {
            throw new IllegalArgumentException(KEY_K + " = " + kFraction
                    + " is out of range: expected a fraction of the entries in (0, 1], e.g. " + KEY_K + "=0.01");
        }
        return kFraction;
    }

    static int requireLevels(int levels) {
        if (levels < 1) {
            throw new IllegalArgumentException(KEY_LEVELS + " = " + levels
                    + " is out of range: expected an integer number of levels s >= 1, e.g. " + KEY_LEVELS + "=16");
        }
        return levels;
    }

    static IllegalArgumentException nonFinite(String compressor, int index, double value) {
        return new IllegalArgumentException(compressor + ": entry " + index + " is " + value
                + "; compressors need finite input (check the gradient for overflow or NaN)");
    }
}
