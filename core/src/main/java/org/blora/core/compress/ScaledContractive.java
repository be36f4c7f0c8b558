package org.blora.core.compress;

import java.util.Objects;
import java.util.SplittableRandom;

/**
 * An unbiased compressor Q turned contractive: C(x) = Q(x)/(ω + 1) with {@code α = 1/(ω + 1)}, since
 * E||Q/(ω+1) − x||² = E||Q||²/(ω+1)² − ||x||²·2/(ω+1) + ||x||² ≤ (1 − 1/(ω+1))||x||² using E||Q||² ≤ (1+ω)||x||²
 * (Beznosikov, Horváth, Richtárik, Safaryan 2020, Lemma 1; docs/METHOD.md §4 table). Lets EF21 run with
 * Rand-K, natural compression or QSGD. Same bits as Q ({@link ScaledMessage}).
 */
public final class ScaledContractive implements ContractiveCompressor {

    private static final long serialVersionUID = 1L;

    private final UnbiasedCompressor unbiased;

    public ScaledContractive(UnbiasedCompressor unbiased) {
        this.unbiased = Objects.requireNonNull(unbiased, "unbiased compressor");
    }

    public UnbiasedCompressor unbiased() {
        return unbiased;
    }

    @Override
    public CompressedMessage compress(double[] x, SplittableRandom rng) {
        int d = Checks.requireNonEmpty(x);
        return new ScaledMessage(unbiased.compress(x, rng), 1.0 / (unbiased.omega(d) + 1.0));
    }

    @Override
    public double alpha(int d) {
        return 1.0 / (unbiased.omega(d) + 1.0);
    }

    @Override
    public String name() {
        return "scaled(" + unbiased.name() + ")";
    }

    @Override
    public String toString() {
        return name();
    }
}
