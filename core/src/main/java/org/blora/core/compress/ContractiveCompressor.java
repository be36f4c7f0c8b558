package org.blora.core.compress;

/**
 * A contractive (possibly biased) compressor C: {@code E||C(x) − x||² ≤ (1 − α) ||x||²}, α ∈ (0, 1]
 * (docs/METHOD.md §4), used by Fed-Bernoulli-LoRA-EF21.
 */
public interface ContractiveCompressor extends Compressor {

    /** The contraction constant α ∈ (0, 1] for vectors of dimension d. */
    double alpha(int d);
}
