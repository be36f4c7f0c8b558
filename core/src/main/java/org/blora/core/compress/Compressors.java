package org.blora.core.compress;

import java.util.Locale;

/** Builds compressors from the configuration keys {@code fed.compressor}, {@code fed.compressor.k}, {@code fed.compressor.levels}. */
public final class Compressors {

    /** The accepted values of {@code fed.compressor}. */
    public static final String NAMES =
            "identity, randk, topk, natural, qsgd, scaled-randk, scaled-natural, scaled-qsgd";

    private Compressors() {
    }

    /**
     * The compressor named by {@code fed.compressor} (case-insensitive). {@code kFraction} is read only by the Rand-K
     * and Top-K variants, {@code levels} only by the QSGD variants. The {@code scaled-} variants are the unbiased
     * compressor divided by ω + 1, contractive, for EF21.
     *
     * @throws IllegalArgumentException naming the offending key and how to fix it
     */
    public static Compressor parse(String name, double kFraction, int levels) {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException(Checks.KEY_COMPRESSOR + " is empty: set it to one of " + NAMES);
        }
        String key = name.trim().toLowerCase(Locale.ROOT);
        switch (key) {
            case "identity":
                return new Identity();
            case "randk":
                return new RandK(kFraction);
            case "topk":
                return new TopK(kFraction);
            case "natural":
                return new NaturalCompression();
            case "qsgd":
                return new Qsgd(levels);
            case "scaled-randk":
                return new ScaledContractive(new RandK(kFraction));
            case "scaled-natural":
                return new ScaledContractive(new NaturalCompression());
            case "scaled-qsgd":
                return new ScaledContractive(new Qsgd(levels));
            default:
                throw new IllegalArgumentException(Checks.KEY_COMPRESSOR + " = '" + name
                        + "' is not a known compressor: set it to one of " + NAMES);
        }
    }

    /**
     * k for a fraction of d entries: {@code max(1, round(kFraction · d))}, at most d.
     *
     * @throws IllegalArgumentException if kFraction is outside (0, 1] or d < 1
     */
    public static int kOf(double kFraction, int d) {
        Checks.requireKFraction(kFraction);
        if (d < 1) {
            throw new IllegalArgumentException("dimension must be >= 1, got " + d);
        }
        return (int) Math.min(d, Math.max(1L, Math.round(kFraction * d)));
    }
}
