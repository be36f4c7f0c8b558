package org.blora.core.compress;

/**
 * Builds compressors from the configuration keys {@code fed.compressor}, {@code fed.compressor.k}, {@code fed.compressor.levels}.
 */
public final class Compressors {

    /** The accepted values of {@code fed.compressor}, from {@link CompressorKind}. */
    public static final String NAMES = CompressorKind.names();

    private Compressors() {
    }

    /**
     * The compressor named by {@code fed.compressor} (case-insensitive): {@link CompressorKind#ofKey} then its
     * factory.
     *
     * @throws IllegalArgumentException naming the offending key and how to fix it
     */
    public static Compressor parse(String name, double kFraction, int levels) {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException(Checks.KEY_COMPRESSOR + " is empty: set it to one of " + NAMES);
        }
        CompressorKind kind = CompressorKind.ofKey(name);
        if (kind == null) {
            throw new IllegalArgumentException(Checks.KEY_COMPRESSOR + " = '" + name
                    + "' is not a known compressor: set it to one of " + NAMES);
        }
        return kind.build(kFraction, levels);
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
