package org.blora.core.chain;

import org.blora.core.linalg.Shape;
import org.blora.core.sketch.Link;
import org.blora.core.sketch.SketchSampler;

/**
 * A fine-tuning method as the trainer sees it: given the gradient estimator G^t at W_t and the stepsize, the
 * increment W_{t+1} - W_t as one chain link. Bernoulli-LoRA, RAC-LoRA and full fine-tuning are
 * {@link BernoulliLoRA}; the baselines of ALGORITHMS.md 7 are {@link JointLoRA} (LoRA, COLA) and
 * {@link AsymmLoRA}.
 */
public interface ChainMethod {
    Link step(int round, double[] g, double gamma);

    /**
     * Round t's sketch when the method's step is a projection onto a random sketch drawn before seeing G (what
     * sketch-first mode needs); null for methods without one.
     */
    default org.blora.core.sketch.Sketch sketch(int round) {
        return null;
    }

    /**
     * The method called {@code method}; {@code mergeEvery} is COLA's merge period in rounds (ignored by the
     * others). Bad combinations throw IllegalArgumentException naming the key.
     */
    static ChainMethod of(Method method, Shape shape, int rank, double p, SketchSampler sketch, long seed,
                          int mergeEvery) {
        return switch (method) {
            case LORA -> new JointLoRA(shape, rank, sketch, seed, 0);
            case COLA -> new JointLoRA(shape, rank, sketch, seed, mergeEvery);
            case ASYMM -> new AsymmLoRA(shape, rank, p, sketch, seed);
            default -> new BernoulliLoRA(method, shape, rank, p, sketch, seed);
        };
    }
}
