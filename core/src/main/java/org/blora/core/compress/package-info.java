/**
 * Uplink compressors of the federated variants (Fed-Bernoulli-LoRA-QGD, -MARINA, -EF21; docs/METHOD.md §4).
 *
 * <p>A {@link org.blora.core.compress.Compressor} maps a flat vector (an m×n gradient, row-major) to a
 * {@link org.blora.core.compress.CompressedMessage}, a sparse or quantised object that knows its exact size on the
 * wire ({@link org.blora.core.compress.CompressedMessage#bits()}) and adds itself into a sum without a dense copy.
 * Unbiased compressors ({@link org.blora.core.compress.UnbiasedCompressor}, constant ω) serve QGD and MARINA;
 * contractive ones ({@link org.blora.core.compress.ContractiveCompressor}, constant α) serve EF21.
 *
 * <p>All randomness comes from the caller's {@link java.util.SplittableRandom}, which the project derives per
 * (seed, round, client, purpose) through {@code org.blora.core.random.RandomStreams}: the same stream gives the
 * same message, bit for bit. Values travel as {@value org.blora.core.compress.WireFormat#FLOAT_BITS}-bit doubles.
 */
package org.blora.core.compress;
