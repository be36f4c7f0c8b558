package org.blora.core.compress;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The compressors a configuration can name, each with its factory. A constant's name, lower case with '-' for
 * '_', is its configuration value ({@code SCALED_RANDK} is {@code scaled-randk}); the list of accepted values is
 * this enum, nowhere else. The {@code SCALED_} variants are the unbiased compressor divided by omega + 1,
 * contractive, for EF21.
 */
public enum CompressorKind implements CompressorFactory {
    IDENTITY((k, s) -> new Identity()),
    RANDK((k, s) -> new RandK(k)),
    TOPK((k, s) -> new TopK(k)),
    NATURAL((k, s) -> new NaturalCompression()),
    QSGD((k, s) -> new Qsgd(s)),
    SCALED_RANDK((k, s) -> new ScaledContractive(new RandK(k))),
    SCALED_NATURAL((k, s) -> new ScaledContractive(new NaturalCompression())),
    SCALED_QSGD((k, s) -> new ScaledContractive(new Qsgd(s)));

    private final CompressorFactory factory;

    CompressorKind(CompressorFactory factory) {
        this.factory = factory;
    }

    @Override
    public Compressor build(double kFraction, int levels) {
        return factory.build(kFraction, levels);
    }

    /** The configuration value naming this compressor. */
    public String key() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** The accepted values, comma-separated, in declaration order. */
    public static String names() {
        return Arrays.stream(values()).map(CompressorKind::key).collect(Collectors.joining(", "));
    }

    /** The constant whose {@link #key} is {@code value} (case-insensitive, trimmed), or null. */
    public static CompressorKind ofKey(String value) {
        String v = value.trim().toLowerCase(Locale.ROOT);
        for (CompressorKind k : values()) {
            if (k.key().equals(v)) {
                return k;
            }
        }
        return null;
    }
}
