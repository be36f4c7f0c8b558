package org.blora.core.compress;

import java.util.SplittableRandom;

/**
 * No compression: both unbiased (ω = 0) and contractive (α = 1). Sends a {@link DenseMessage}, {@code bits = 64 d}.
 * With it, QGD, MARINA and EF21 reduce to plain distributed GD.
 */
public final class Identity implements UnbiasedCompressor, ContractiveCompressor {

    private static final long serialVersionUID = 1L;

    @Override
    public CompressedMessage compress(double[] x, SplittableRandom rng) {
        Checks.requireNonEmpty(x);
        return DenseMessage.copyOf(x);
    }

    @Override
    public double omega(int d) {
        return 0.0;
    }

    @Override
    public double alpha(int d) {
        return 1.0;
    }

    @Override
    public String name() {
        return "identity";
    }

    @Override
    public String toString() {
        return name();
    }
}
