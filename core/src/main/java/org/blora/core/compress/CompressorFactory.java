package org.blora.core.compress;

/**
 * What builds a compressor from the federated settings: each {@link CompressorKind} constant is one. A new
 * compressor is a class implementing {@link UnbiasedCompressor} or {@link ContractiveCompressor} and a constant
 * that builds it; the protocols, the wire format and the configuration take it from there.
 */
@FunctionalInterface
public interface CompressorFactory {
    /**
     * @param kFraction the fraction of the entries a sparsifier keeps (read by Rand-K and Top-K only)
     * @param levels    the number of quantisation levels (read by QSGD only)
     */
    Compressor build(double kFraction, int levels);
}
