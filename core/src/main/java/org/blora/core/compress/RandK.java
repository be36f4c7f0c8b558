package org.blora.core.compress;

import java.util.Arrays;
import java.util.BitSet;
import java.util.SplittableRandom;

/**
 * Rand-K: keep k coordinates drawn uniformly without replacement and scale them by d/k, so E Q(x) = x and
 * E||Q(x) − x||² = (d/k − 1)||x||² exactly, i.e. {@code ω = d/k − 1} (e.g. Beznosikov, Horváth, Richtárik,
 * Safaryan, "On biased compression for distributed learning", 2020, Table 1). k = max(1, round(kFraction · d)).
 *
 * <p>Sampling is Floyd's algorithm (k draws, O(k) expected with a hash set; a bit set of d bits when k ≥ d/32),
 * so the work is independent of d for k ≪ d; both set structures see the same draws and give the same set.
 *
 * <p>Wire format ({@link SparseMessage}): the k scaled values as doubles and their indices in ceil(log2 d) bits:
 * {@code bits = k (64 + ceil(log2 d))}. (With a seed shared with the server the indices could be omitted; we count
 * them, as the spec's table does.)
 */
public final class RandK extends KSparsifier implements UnbiasedCompressor {

    private static final long serialVersionUID = 1L;

    /** @param kFraction k as a fraction of d, in (0, 1] (key {@code fed.compressor.k}) */
    public RandK(double kFraction) {
        super(kFraction);
    }

    @Override
    public CompressedMessage compress(double[] x, SplittableRandom rng) {
        int d = Checks.requireNonEmpty(x);
        int k = k(d);
        int[] indices = sample(d, k, rng);
        double scale = (double) d / k;
        double[] values = new double[k];
        for (int j = 0; j < k; j++) {
            values[j] = scale * x[indices[j]];
        }
        return new SparseMessage(d, indices, values);
    }

    @Override
    public double omega(int d) {
        return (double) d / k(d) - 1.0;
    }

    @Override
    public String name() {
        return "randk(k=" + kFraction() + ")";
    }

    @Override
    public String toString() {
        return name();
    }

    /** k distinct indices of [0, d), uniform, increasing. k = d consumes no randomness. */
    static int[] sample(int d, int k, SplittableRandom rng) {
        if (k == d) {
            int[] all = new int[d];
            Arrays.setAll(all, i -> i);
            return all;
        }
        return (long) k * 32 >= d ? floydBitSet(d, k, rng) : floydHashed(d, k, rng);
    }

    /** Floyd's algorithm with a d-bit set; the result comes out in increasing order. */
    static int[] floydBitSet(int d, int k, SplittableRandom rng) {
        BitSet chosen = new BitSet(d);
        for (int j = d - k; j < d; j++) {
            int t = rng.nextInt(j + 1);
            chosen.set(chosen.get(t) ? j : t);
        }
        int[] out = new int[k];
        int n = 0;
        for (int i = chosen.nextSetBit(0); i >= 0; i = chosen.nextSetBit(i + 1)) {
            out[n++] = i;
        }
        return out;
    }

    /** Floyd's algorithm with an open-addressing set of O(k) size; sorted at the end (O(k log k)). */
    static int[] floydHashed(int d, int k, SplittableRandom rng) {
        int capacity = Integer.highestOneBit(Math.max(4, 2 * k - 1)) << 1;
        int[] table = new int[capacity];
        Arrays.fill(table, -1);
        int shift = 32 - Integer.numberOfTrailingZeros(capacity);
        int[] out = new int[k];
        int n = 0;
        for (int j = d - k; j < d; j++) {
            int t = rng.nextInt(j + 1);
            int pick = insert(table, shift, t) ? t : j;
            if (pick == j) {
                insert(table, shift, j);
            }
            out[n++] = pick;
        }
        Arrays.sort(out);
        return out;
    }

    /** Inserts v ≥ 0 (Fibonacci hashing, linear probing); returns false if it was already present. */
    private static boolean insert(int[] table, int shift, int v) {
        int mask = table.length - 1;
        int h = (v * 0x9E3779B9) >>> shift;
        while (true) {
            int slot = table[h];
            if (slot == v) {
                return false;
            }
            if (slot < 0) {
                table[h] = v;
                return true;
            }
            h = (h + 1) & mask;
        }
    }
}
