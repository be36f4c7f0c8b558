package org.blora.core.chain;

import java.util.SplittableRandom;
import org.blora.core.linalg.Dense;
import org.blora.core.linalg.Shape;
import org.blora.core.random.Purpose;
import org.blora.core.random.RandomStreams;
import org.blora.core.sketch.Link;
import org.blora.core.sketch.Side;
import org.blora.core.sketch.SketchSampler;

/**
 * LoRA and COLA (ALGORITHMS.md 7): both factors of W = W0 + B A trained jointly by plain gradient steps on the
 * map (A, B) -> f(W0 + B A): with G = grad f(W), B' = B - gamma G A^T and A' = A - gamma B^T G (simultaneous).
 * Initialisation (A Gaussian, B zero) as in the papers' code. LoRA never merges; COLA merges every
 * {@code mergeEvery} rounds (W0 := W) and re-initialises both factors (a fresh Gaussian A, B = 0).
 *
 * <p>This map is not L-smooth even when f is, so gamma = 1/L carries no guarantee: the RAC-LoRA
 * counterexample (ALGORITHMS.md 5.3) diverges or stalls. Each round's link is the increment
 * B'A' - BA = [B', -B] [A'; A] (side {@link Side#AB}, rank 2r), so the chain's merged W stays W0 + B A.
 * The Gaussian A of the (re-)initialisation at round t comes from the round's SKETCH stream.
 */
public final class JointLoRA implements ChainMethod {
    private final Shape shape;
    private final int rank;
    private final SketchSampler sketch;
    private final long seed;
    private final int mergeEvery;
    private double[] b;
    private double[] a;

    /** @param mergeEvery COLA's merge period in rounds, or 0 for LoRA (never merge) */
    public JointLoRA(Shape shape, int rank, SketchSampler sketch, long seed, int mergeEvery) {
        int maxRank = Math.min(shape.m(), shape.n());
        if (rank < 1 || rank > maxRank) {
            throw new IllegalArgumentException("lora.rank must be in [1, " + maxRank + "] for model.shape=" + shape
                    + ", got " + rank);
        }
        if (mergeEvery < 0) {
            throw new IllegalArgumentException("lora.merge.every must be >= 1 for lora.method=cola, got " + mergeEvery);
        }
        this.shape = shape;
        this.rank = rank;
        this.sketch = sketch;
        this.seed = seed;
        this.mergeEvery = mergeEvery;
    }

    @Override
    public Link step(int round, double[] g, double gamma) {
        int m = shape.m();
        int n = shape.n();
        int r = rank;
        if (a == null || (mergeEvery > 0 && round > 0 && round % mergeEvery == 0)) {
            SplittableRandom rng = RandomStreams.of(seed, round, RandomStreams.DRIVER, Purpose.SKETCH);
            a = sketch.sampleRight(r, n, rng);
            b = new double[m * r];
        }
        double[] gradB = new double[m * r]; // G A^T
        for (int i = 0; i < m; i++) {
            for (int k = 0; k < r; k++) {
                gradB[i * r + k] = Dense.dot(n, g, i * n, a, k * n);
            }
        }
        double[] gradA = new double[r * n]; // B^T G
        for (int i = 0; i < m; i++) {
            for (int k = 0; k < r; k++) {
                Dense.axpy(n, b[i * r + k], g, i * n, gradA, k * n);
            }
        }
        double[] b1 = b.clone();
        Dense.axpy(-gamma, gradB, b1);
        double[] a1 = a.clone();
        Dense.axpy(-gamma, gradA, a1);
        double[] linkB = new double[m * 2 * r];
        double[] linkA = new double[2 * r * n];
        for (int i = 0; i < m; i++) {
            for (int k = 0; k < r; k++) {
                linkB[i * 2 * r + k] = b1[i * r + k];
                linkB[i * 2 * r + r + k] = -b[i * r + k];
            }
        }
        System.arraycopy(a1, 0, linkA, 0, r * n);
        System.arraycopy(a, 0, linkA, r * n, r * n);
        b = b1;
        a = a1;
        return new Link(Side.AB, shape, 2 * r, linkB, linkA);
    }
}
