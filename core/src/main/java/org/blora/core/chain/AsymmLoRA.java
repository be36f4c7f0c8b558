package org.blora.core.chain;

import java.util.SplittableRandom;
import org.blora.core.linalg.Shape;
import org.blora.core.random.Purpose;
import org.blora.core.random.RandomStreams;
import org.blora.core.sketch.Link;
import org.blora.core.sketch.Sketch;
import org.blora.core.sketch.SketchSampler;

/**
 * AsymmLoRA (ALGORITHMS.md 7): one random factor drawn once and frozen forever, the other trained, each round
 * by the same projected step as RAC-LoRA (p = 1: B_S frozen, A trained, W += -gamma H_B G; p = 0: A_S frozen, B
 * trained, W += -gamma G H_A). The only difference from RAC-LoRA is that the frozen factor is never resampled,
 * so W - W0 stays in one fixed rank-r subspace and the iterates converge to the best point of that subspace,
 * not to a stationary point of f (the counterexample of ALGORITHMS.md 5.3). The frozen factor comes from round
 * 0's SKETCH stream.
 */
public final class AsymmLoRA implements ChainMethod {
    private final Shape shape;
    private final int rank;
    private final boolean left;
    private final double[] frozen;

    public AsymmLoRA(Shape shape, int rank, double p, SketchSampler sketch, long seed) {
        if (p != 0.0 && p != 1.0) {
            throw new IllegalArgumentException("lora.method=asymm needs lora.p = 0 (A frozen, train B) or 1 (B frozen, train A), got " + p);
        }
        int maxRank = Math.min(shape.m(), shape.n());
        if (rank < 1 || rank > maxRank) {
            throw new IllegalArgumentException("lora.rank must be in [1, " + maxRank + "] for model.shape=" + shape
                    + ", got " + rank);
        }
        this.shape = shape;
        this.rank = rank;
        this.left = p == 1.0;
        SplittableRandom rng = RandomStreams.of(seed, 0, RandomStreams.DRIVER, Purpose.SKETCH);
        this.frozen = left ? sketch.sampleLeft(shape.m(), rank, rng) : sketch.sampleRight(rank, shape.n(), rng);
    }

    @Override
    public Link step(int round, double[] g, double gamma) {
        return (left ? Sketch.left(shape, frozen, rank) : Sketch.right(shape, frozen, rank)).step(g, gamma);
    }
}
