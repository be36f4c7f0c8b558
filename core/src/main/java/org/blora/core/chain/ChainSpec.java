package org.blora.core.chain;

import java.util.List;
import org.blora.core.optim.AdamW;
import org.blora.core.sketch.Side;
import org.blora.core.sketch.SketchSampler;

/**
 * How a model is fine-tuned with low-rank chains (the {@code lora.*} keys and the optimiser of the trained
 * factors), validated against the model by {@link ChainMethod#of(ChainSpec, org.blora.core.model.ModelLayout)}.
 *
 * @param method       Bernoulli-LoRA, RAC-LoRA, AsymmLoRA, LoRA, COLA or full fine-tuning
 * @param rank         r of every link
 * @param p            probability of the left sketch (B frozen, A trained)
 * @param alpha        LoRA's scale: W = W0 + (alpha / r) B A; the projected step does not depend on it
 * @param modules      the adapted modules (empty = every adaptable module)
 * @param coin         one coin per link for the whole model (as the paper's MNIST code) or one per module
 * @param linkSteps    optimiser steps (rounds) per link, i.e. the merge period; 0 = never merge (LoRA, AsymmLoRA)
 * @param firstSide    the trained side of link 0 (A or B, the paper's deterministic first link), or null for the coin
 * @param gaussianFactor LoRA/COLA: the factor initialised N(0, 1), the other starting at zero (A or B)
 * @param adamw        null: Bernoulli-type methods take the paper's projected step, LoRA/COLA and full fine-tuning
 *                     plain gradient steps (optim.optimizer=sgd); else AdamW on the trained factors' gradients with
 *                     the stepsize as learning rate, its moments reset at every merge
 * @param sketch       the law of the frozen factors
 * @param seed         run seed: every draw comes from (seed, round, module, purpose)
 */
public record ChainSpec(Method method, int rank, double p, double alpha, List<String> modules, CoinMode coin,
                        int linkSteps, Side firstSide, Side gaussianFactor, AdamW adamw, SketchSampler sketch,
                        long seed) {
    public ChainSpec {
        if (!(p >= 0.0 && p <= 1.0)) {
            throw new IllegalArgumentException("p must be in [0, 1], got " + p);
        }
        if ((method == Method.RAC || method == Method.ASYMM) && p != 0.0 && p != 1.0) {
            throw new IllegalArgumentException("p must be 0 (always train B) or 1 (always train A) for method="
                    + method.key() + ", got " + p);
        }
        if (linkSteps < 0) {
            throw new IllegalArgumentException("linkSteps must be >= 0 (0 = never merge), got " + linkSteps);
        }
        if (!(alpha > 0) || Double.isInfinite(alpha)) {
            throw new IllegalArgumentException("alpha must be positive, got " + alpha);
        }
        if (firstSide != null && firstSide != Side.A && firstSide != Side.B) {
            throw new IllegalArgumentException("firstSide must be A or B, got " + firstSide);
        }
        if (gaussianFactor != Side.A && gaussianFactor != Side.B) {
            throw new IllegalArgumentException("gaussianFactor must be A or B, got " + gaussianFactor);
        }
        modules = List.copyOf(modules);
    }

    /** The paper's linear-regression setting: one step per link, shared coin, projected steps, alpha = r. */
    public static ChainSpec paper(Method method, int rank, double p, SketchSampler sketch, long seed, int mergeEvery) {
        int steps = switch (method) {
            case LORA, ASYMM -> 0;
            case COLA -> mergeEvery;
            default -> 1;
        };
        return new ChainSpec(method, rank, p, rank, List.of(), CoinMode.SHARED, steps, null, Side.A, null,
                sketch, seed);
    }

    /** Fresh AdamW moments for a tensor of {@code size} entries, or null with the plain/projected step. */
    static AdamW.State newState(ChainSpec spec, int size) {
        return spec.adamw() == null ? null : spec.adamw().newState(size);
    }

    /** Rounds 0, linkSteps, 2 linkSteps, ... open links; with linkSteps = 0 only round 0 does. */
    public int linkOf(int round) {
        return linkSteps == 0 ? 0 : round / linkSteps;
    }

    /** The round that opens link l: its draws come from that round's streams. */
    public int openingRound(int link) {
        return link * linkSteps;
    }
}
