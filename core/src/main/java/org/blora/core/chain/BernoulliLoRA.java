package org.blora.core.chain;

import java.util.SplittableRandom;
import org.blora.core.linalg.Dense;
import org.blora.core.linalg.Shape;
import org.blora.core.random.Purpose;
import org.blora.core.random.RandomStreams;
import org.blora.core.sketch.Link;
import org.blora.core.sketch.Sketch;
import org.blora.core.sketch.SketchSampler;

/**
 * Algorithm 1 of Bernoulli-LoRA with one gradient-type step per link (ALGORITHMS.md 1.2-1.3): the round's
 * coin c_t ~ Be(p) picks the left sketch (B_S ~ D_B frozen, A trained: W += -gamma H_B G) or the right
 * sketch (A_S ~ D_A frozen, B trained: W += -gamma G H_A). RAC-LoRA is p in {0, 1}; full fine-tuning takes
 * the unprojected step. Coin and sketch come from the round's COIN and SKETCH streams.
 */
public final class BernoulliLoRA implements ChainMethod {
    private final Method method;
    private final Shape shape;
    private final int rank;
    private final double p;
    private final SketchSampler sketch;
    private final long seed;

    public BernoulliLoRA(Method method, Shape shape, int rank, double p, SketchSampler sketch, long seed) {
        if (!(p >= 0.0 && p <= 1.0)) {
            throw new IllegalArgumentException("lora.p must be in [0, 1], got " + p);
        }
        if (method == Method.LORA || method == Method.COLA || method == Method.ASYMM) {
            throw new IllegalArgumentException("lora.method=" + method.key() + " is not a Bernoulli-LoRA variant; use ChainMethod.of");
        }
        if (method == Method.RAC && p != 0.0 && p != 1.0) {
            throw new IllegalArgumentException("lora.method=rac needs lora.p = 0 (always train B) or 1 (always train A), got " + p);
        }
        int maxRank = Math.min(shape.m(), shape.n());
        if (method != Method.FPFT && (rank < 1 || rank > maxRank)) {
            throw new IllegalArgumentException("lora.rank must be in [1, min(m, n)] = [1, " + maxRank
                    + "] for model.shape=" + shape + ", got " + rank);
        }
        this.method = method;
        this.shape = shape;
        this.rank = rank;
        this.p = p;
        this.sketch = sketch;
        this.seed = seed;
    }

    /** The chain link of round t for the estimator G and stepsize gamma. */
    @Override
    public Link step(int round, double[] g, double gamma) {
        if (method == Method.FPFT) {
            double[] delta = g.clone();
            Dense.scale(-gamma, delta);
            return Link.full(shape, delta);
        }
        return sketch(round).step(g, gamma);
    }

    /** Round t's coin and sketch, from its COIN and SKETCH streams; null for full fine-tuning. */
    @Override
    public Sketch sketch(int round) {
        if (method == Method.FPFT) {
            return null;
        }
        boolean left = RandomStreams.of(seed, round, RandomStreams.DRIVER, Purpose.COIN).nextDouble() < p;
        SplittableRandom rng = RandomStreams.of(seed, round, RandomStreams.DRIVER, Purpose.SKETCH);
        return left ? Sketch.left(shape, sketch.sampleLeft(shape.m(), rank, rng), rank)
                : Sketch.right(shape, sketch.sampleRight(rank, shape.n(), rng), rank);
    }

    /** lambda_min^p = r (p/m + (1-p)/n) for Gaussian sketches (ALGORITHMS.md 1.4); 1 for full fine-tuning. */
    public double lambdaMin() {
        if (method == Method.FPFT) {
            return 1.0;
        }
        return rank * (p / shape.m() + (1.0 - p) / shape.n());
    }

    /** Expected trainable parameters per link: p r n + (1 - p) m r, or m n for full fine-tuning. */
    public double expectedTrainableParams() {
        if (method == Method.FPFT) {
            return shape.size();
        }
        return p * rank * shape.n() + (1.0 - p) * shape.m() * rank;
    }
}
