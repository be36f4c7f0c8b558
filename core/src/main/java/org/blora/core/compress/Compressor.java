package org.blora.core.compress;

import java.io.Serializable;
import java.util.SplittableRandom;

/**
 * A compression operator on flat vectors, applied by a client to what it sends uplink.
 *
 * <p>Implementations are immutable and configured once; the only randomness is the caller's stream, so
 * {@code compress(x, new SplittableRandom(s))} is a pure function of {@code (x, s)}.
 */
public interface Compressor extends Serializable {

    /**
     * Compresses {@code x} (length d ≥ 1, finite entries; an m×n matrix row-major). Never modifies {@code x} and
     * never keeps a reference to it.
     *
     * @param x   the vector to compress
     * @param rng the caller's random stream (ignored by deterministic compressors)
     * @return the message, of dimension {@code x.length}
     */
    CompressedMessage compress(double[] x, SplittableRandom rng);

    /** A short human-readable name with the configuration, e.g. {@code randk(k=0.01)}. */
    String name();
}
