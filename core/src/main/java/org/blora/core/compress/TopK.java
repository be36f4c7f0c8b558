package org.blora.core.compress;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Top-K: keep the k entries of largest magnitude, unscaled. Deterministic and contractive:
 * ||C(x) − x||² is the sum of the d − k smallest squares, at most (1 − k/d)||x||², so {@code α = k/d}
 * (Beznosikov, Horváth, Richtárik, Safaryan 2020; the compressor EF21 was introduced with, Richtárik, Sokolov,
 * Fatkhullin 2021). k = max(1, round(kFraction · d)). Ties in |x_i| go to the smaller index.
 *
 * <p>Selection is a bounded min-heap of k indices (worst kept entry on top) filled in one pass over x:
 * O(d + m log k) for m heap replacements, O(d log k) in the worst case, O(k) extra memory; the whole vector is
 * never sorted. Scanning in index order makes the tie-break free: a later index never displaces an equal entry.
 *
 * <p>Wire format ({@link SparseMessage}): {@code bits = k (64 + ceil(log2 d))}.
 */
public final class TopK extends KSparsifier implements ContractiveCompressor {

    private static final long serialVersionUID = 1L;

    /** @param kFraction k as a fraction of d, in (0, 1] (key {@code fed.compressor.k}) */
    public TopK(double kFraction) {
        super(kFraction);
    }

    @Override
    public CompressedMessage compress(double[] x, SplittableRandom rng) {
        int d = Checks.requireNonEmpty(x);
        int k = k(d);
        int[] indices = select(x, k);
        double[] values = new double[k];
        for (int j = 0; j < k; j++) {
            values[j] = x[indices[j]];
        }
        return new SparseMessage(d, indices, values);
    }

    /** The indices of the k largest |x_i| (ties to the smaller index), increasing. */
    int[] select(double[] x, int k) {
        int d = x.length;
        for (int i = 0; i < k; i++) {
            requireFinite(x, i);
        }
        int[] heap = new int[k];
        Arrays.setAll(heap, i -> i);
        if (k < d) {
            for (int i = k / 2 - 1; i >= 0; i--) {
                siftDown(heap, i, x);
            }
            double rootAbs = Math.abs(x[heap[0]]);
            for (int i = k; i < d; i++) {
                double a = Math.abs(x[i]);
                if (a > rootAbs) {
                    if (a > Double.MAX_VALUE) {
                        throw Checks.nonFinite(name(), i, x[i]);
                    }
                    heap[0] = i;
                    siftDown(heap, 0, x);
                    rootAbs = Math.abs(x[heap[0]]);
                } else if (Double.isNaN(a)) {
                    throw Checks.nonFinite(name(), i, x[i]);
                }
            }
            Arrays.sort(heap);
        }
        return heap;
    }

    private void requireFinite(double[] x, int i) {
        if (!(Math.abs(x[i]) <= Double.MAX_VALUE)) {
            throw Checks.nonFinite(name(), i, x[i]);
        }
    }

    /** a is a worse candidate than b: smaller magnitude, or equal magnitude and larger index. */
    private static boolean worse(double[] x, int a, int b) {
        double fa = Math.abs(x[a]);
        double fb = Math.abs(x[b]);
        return fa < fb || (fa == fb && a > b);
    }

    private static void siftDown(int[] heap, int pos, double[] x) {
        int n = heap.length;
        int item = heap[pos];
        while (true) {
            int child = 2 * pos + 1;
            if (child >= n) {
                break;
            }
            if (child + 1 < n && worse(x, heap[child + 1], heap[child])) {
                child++;
            }
            if (!worse(x, heap[child], item)) {
                break;
            }
            heap[pos] = heap[child];
            pos = child;
        }
        heap[pos] = item;
    }

    @Override
    public double alpha(int d) {
        return (double) k(d) / d;
    }

    @Override
    public String name() {
        return "topk(k=" + kFraction() + ")";
    }

    @Override
    public String toString() {
        return name();
    }
}
