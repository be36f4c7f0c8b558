package org.blora.core.chain;

import java.io.Serializable;
import org.blora.core.linalg.Shape;
import org.blora.core.model.ModelLayout;
import org.blora.core.sketch.Sketch;
import org.blora.core.sketch.SketchSampler;

/**
 * A fine-tuning method as the trainer sees it: given theta_t, the gradient estimator G^t of every module at
 * theta_t and the stepsize, the round's {@link Step}. Bernoulli-LoRA, RAC-LoRA, AsymmLoRA and full fine-tuning
 * are {@link BernoulliLoRA}; LoRA and COLA, which train both factors, are {@link JointLoRA}.
 */
public interface ChainMethod {
    /**
     * The step of round {@code round} at {@code theta} (theta_t, not modified): full fine-tuning trains theta
     * itself, so AdamW's decoupled weight decay acts on it; the low-rank methods train their factors and only
     * need G.
     */
    Step step(int round, double[] theta, double[] g, double gamma);

    /**
     * Round t's sketch when the method's step is a projection onto a random sketch drawn before seeing G (what
     * sketch-first mode needs); null for methods without one.
     */
    default Sketch sketch(int round) {
        return null;
    }

    /** Trainable parameters per round in expectation over the coins (p r n + (1 - p) m r summed over modules). */
    double expectedTrainableParams();

    /** What a resumed run needs beyond the chain (the optimiser's moments of the open link), or null. */
    default Serializable state() {
        return null;
    }

    /** Continues from a chain and a {@link #state()} saved after the same number of rounds. */
    default void restore(Serializable state, LowRankChain chain) {
    }

    /** The method of {@code spec} on the model; bad combinations throw IllegalArgumentException naming the key. */
    static ChainMethod of(ChainSpec spec, ModelLayout layout) {
        return switch (spec.method()) {
            case LORA, COLA -> new JointLoRA(spec, layout);
            default -> new BernoulliLoRA(spec, layout);
        };
    }

    /**
     * The paper's one-matrix linear regression (module "W" of {@code shape}); {@code mergeEvery} is COLA's merge
     * period in rounds.
     */
    static ChainMethod of(Method method, Shape shape, int rank, double p, SketchSampler sketch, long seed,
                          int mergeEvery) {
        return of(ChainSpec.paper(method, rank, p, sketch, seed, mergeEvery),
                ModelLayout.single("W", shape.m(), shape.n()));
    }
}
