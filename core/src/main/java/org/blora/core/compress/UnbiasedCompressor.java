package org.blora.core.compress;

/**
 * An unbiased compressor Q: {@code E Q(x) = x} and {@code E||Q(x) − x||² ≤ ω ||x||²} (docs/METHOD.md §4),
 * used by Fed-Bernoulli-LoRA-QGD and -MARINA. Independent clients use independent streams.
 */
public interface UnbiasedCompressor extends Compressor {

    /** The variance constant ω ≥ 0 for vectors of dimension d. */
    double omega(int d);
}
