package org.blora.core.chain;

import java.io.Serializable;
import java.util.SplittableRandom;
import org.blora.core.linalg.Dense;
import org.blora.core.linalg.Shape;
import org.blora.core.model.ModelLayout;
import org.blora.core.model.Module;
import org.blora.core.optim.AdamW;
import org.blora.core.random.Purpose;
import org.blora.core.random.RandomStreams;
import org.blora.core.sketch.Link;
import org.blora.core.sketch.Side;
import org.blora.core.sketch.Sketch;

/**
 * Algorithm 1 of Bernoulli-LoRA (arXiv 2508.03820; docs/METHOD.md) on every adapted module of a model. Each link
 * draws a coin c ~ Be(p) (once for the model, or once per module) and per module a sketch from the (seed, opening
 * round, module) streams: c = 1 is the left sketch (B_S ~ D_B frozen, A trained from zero), c = 0 the right one
 * (A_S ~ D_A frozen, B trained from zero). The link then runs {@code linkSteps} optimiser steps on the trained
 * factors and merges. With the paper's projected step (optimiser SGD) one step moves W by -gamma H_B G or
 * -gamma G H_A, which is what the theory analyses; with AdamW the trained factor follows its own gradient,
 * (alpha/r) B_S^T G or (alpha/r) G A_S^T, as in the paper's MNIST experiment.
 *
 * <p>RAC-LoRA (arXiv 2410.08305) is p in {0, 1}; AsymmLoRA is p in {0, 1} with a single link that never merges
 * (its frozen factor is never resampled, so W - W0 stays in one rank-r subspace); full fine-tuning takes the
 * unprojected step on every module, biases included, and keeps theta - theta0 as its one dense "link". AdamW's
 * decoupled weight decay shrinks the tensor being trained, as PyTorch's does: the trained factor, or for full
 * fine-tuning the weight theta itself (not theta - theta0).
 */
public final class BernoulliLoRA implements ChainMethod {
    private final ChainSpec spec;
    private final ModelLayout layout;
    private final int[] adapted;
    private final double scale;
    /** The open link: index, and per module its sketch, frozen factor (scaled by alpha/r) and trained factor. */
    private int link = -1;
    private Sketch[] sketches;
    private double[][] trained;
    private AdamW.State[] moments;

    public BernoulliLoRA(ChainSpec spec, ModelLayout layout) {
        if (spec.method() == Method.LORA || spec.method() == Method.COLA) {
            throw new IllegalArgumentException("lora.method=" + spec.method().key() + " trains both factors; use ChainMethod.of");
        }
        this.spec = spec;
        this.layout = layout;
        this.adapted = spec.method() == Method.FPFT ? allModules(layout) : AdaptedModules.resolve(spec, layout);
        this.scale = spec.alpha() / spec.rank();
    }

    /** The one-matrix linear regression of the paper (module "W"), one projected step per link. */
    public BernoulliLoRA(Method method, Shape shape, int rank, double p, org.blora.core.sketch.SketchSampler sketch,
                         long seed) {
        this(ChainSpec.paper(method, rank, p, sketch, seed, 1), ModelLayout.single("W", shape.m(), shape.n()));
    }

    @Override
    public Step step(int round, double[] theta, double[] g, double gamma) {
        int l = spec.method() == Method.FPFT ? 0 : spec.linkOf(round);
        boolean opens = l != link;
        if (opens) {
            open(l);
        }
        int modules = layout.modules().size();
        Link[] increments = new Link[modules];
        Link[] factors = new Link[modules];
        for (int k = 0; k < adapted.length; k++) {
            int i = adapted[k];
            Module mod = layout.modules().get(i);
            Shape shape = AdaptedModules.shape(mod);
            double[] gi = AdaptedModules.slice(g, mod);
            double[] delta;
            if (spec.method() == Method.FPFT) {
                delta = optimise(k, AdaptedModules.slice(theta, mod), gi, gamma);
                increments[i] = Link.full(shape, delta);
                Dense.axpy(1.0, delta, trained[k]);
                factors[i] = Link.full(shape, trained[k].clone());
                continue;
            }
            Sketch s = sketches[k];
            if (spec.adamw() == null) {
                increments[i] = s.step(gi, gamma);
                delta = increments[i].side == Side.A ? increments[i].a : increments[i].b;
            } else {
                delta = optimise(k, trained[k], factorGradient(s, gi, mod), gamma);
                increments[i] = s.side == Side.A ? new Link(Side.A, shape, spec.rank(), s.frozen, delta)
                        : new Link(Side.B, shape, spec.rank(), delta, s.frozen);
            }
            if (opens && spec.adamw() == null) {
                trained[k] = delta.clone(); // 0 + delta
                factors[i] = increments[i];
            } else {
                Dense.axpy(1.0, delta, trained[k]);
                double[] t = trained[k].clone();
                factors[i] = s.side == Side.A ? new Link(Side.A, shape, spec.rank(), s.frozen, t)
                        : new Link(Side.B, shape, spec.rank(), t, s.frozen);
            }
        }
        return new Step(l, increments, factors, layout);
    }

    /**
     * The change of parameter tensor k, now {@code param}, under the optimiser for gradient {@code grad} (plain
     * SGD: -gamma grad). The parameter is the module's weight itself for full fine-tuning and the trained factor
     * otherwise: AdamW's decoupled decay shrinks what PyTorch's would, not the distance from theta0.
     */
    private double[] optimise(int k, double[] param, double[] grad, double gamma) {
        if (spec.adamw() == null) {
            double[] delta = grad.clone();
            Dense.scale(-gamma, delta);
            return delta;
        }
        double[] next = param.clone();
        spec.adamw().step(moments[k], next, grad, gamma);
        for (int j = 0; j < next.length; j++) {
            next[j] -= param[j];
        }
        return next;
    }

    /** d f / d A = B_S^T G (r x n) on the left side, d f / d B = G A_S^T (m x r) on the right; B_S, A_S scaled. */
    private static double[] factorGradient(Sketch s, double[] g, Module mod) {
        int m = mod.rows();
        int n = mod.cols();
        int r = s.rank;
        double[] f = s.frozen;
        if (s.side == Side.A) {
            double[] out = new double[r * n];
            for (int i = 0; i < m; i++) {
                for (int k = 0; k < r; k++) {
                    Dense.axpy(n, f[i * r + k], g, i * n, out, k * n);
                }
            }
            return out;
        }
        double[] out = new double[m * r];
        for (int i = 0; i < m; i++) {
            for (int k = 0; k < r; k++) {
                out[i * r + k] = Dense.dot(n, g, i * n, f, k * n);
            }
        }
        return out;
    }

    /** Opens link l: draws its coin(s) and sketches, zeroes the trained factors, resets the moments. */
    private void open(int l) {
        link = l;
        int k = adapted.length;
        trained = new double[k][];
        moments = new AdamW.State[k];
        if (spec.method() == Method.FPFT) {
            for (int j = 0; j < k; j++) {
                Module mod = layout.modules().get(adapted[j]);
                trained[j] = new double[mod.size()];
                moments[j] = ChainSpec.newState(spec, mod.size());
            }
            return;
        }
        sketches = new Sketch[k];
        int round = spec.openingRound(l);
        boolean shared = left(round, 0);
        for (int j = 0; j < k; j++) {
            int i = adapted[j];
            Module mod = layout.modules().get(i);
            Shape shape = AdaptedModules.shape(mod);
            boolean left = spec.coin() == CoinMode.SHARED ? shared : left(round, i);
            if (l == 0 && spec.firstSide() != null) {
                left = spec.firstSide() == Side.A;
            }
            SplittableRandom rng = RandomStreams.of(spec.seed(), round, RandomStreams.DRIVER, Purpose.SKETCH, i);
            double[] frozen = left ? spec.sketch().sampleLeft(mod.rows(), spec.rank(), rng)
                    : spec.sketch().sampleRight(spec.rank(), mod.cols(), rng);
            if (scale != 1.0) {
                Dense.scale(scale, frozen);
            }
            sketches[j] = left ? Sketch.left(shape, frozen, spec.rank()) : Sketch.right(shape, frozen, spec.rank());
            int size = left ? spec.rank() * mod.cols() : mod.rows() * spec.rank();
            trained[j] = new double[size];
            moments[j] = ChainSpec.newState(spec, size);
        }
    }

    private boolean left(int round, int module) {
        return RandomStreams.of(spec.seed(), round, RandomStreams.DRIVER, Purpose.COIN, module).nextDouble() < spec.p();
    }

    /**
     * Round t's sketch when each round is its own link of a one-module model with the projected step (what
     * sketch-first mode needs: clients project before the driver sees G); null otherwise.
     */
    @Override
    public Sketch sketch(int round) {
        if (spec.method() == Method.FPFT || spec.linkSteps() != 1 || spec.adamw() != null
                || layout.modules().size() != 1) {
            return null;
        }
        open(round);
        return sketches[0];
    }

    /** lambda_min^p = r (p/m + (1-p)/n) for Gaussian sketches on a one-module model; 1 for full fine-tuning. */
    public double lambdaMin() {
        if (spec.method() == Method.FPFT) {
            return 1.0;
        }
        Module m = layout.modules().get(adapted[0]);
        return spec.rank() * (spec.p() / m.rows() + (1.0 - spec.p()) / m.cols());
    }

    @Override
    public double expectedTrainableParams() {
        double sum = 0;
        for (int i : adapted) {
            Module m = layout.modules().get(i);
            sum += spec.method() == Method.FPFT ? m.size()
                    : spec.p() * spec.rank() * m.cols() + (1.0 - spec.p()) * m.rows() * spec.rank();
        }
        return sum;
    }

    /** The optimiser's moments of the open link (AdamW), or null. */
    @Override
    public Serializable state() {
        return spec.adamw() == null ? null : new OpenLink(link, moments);
    }

    @Override
    public void restore(Serializable state, LowRankChain chain) {
        if (chain.length() == 0) {
            return;
        }
        int l = chain.length() - 1;
        open(l);
        Link[] last = chain.links().get(l);
        for (int k = 0; k < adapted.length; k++) {
            Link f = last[adapted[k]];
            trained[k] = (f.side == Side.B ? f.b : f.a).clone();
        }
        if (state instanceof OpenLink o && o.link() == l) {
            moments = o.moments().clone();
        }
    }

    private static int[] allModules(ModelLayout layout) {
        int[] all = new int[layout.modules().size()];
        for (int i = 0; i < all.length; i++) {
            all[i] = i;
        }
        return all;
    }

    /**
     * What a checkpoint keeps of the open link beyond the chain: the optimiser's moments of the trained factor of
     * every adapted module (in the order of the adapted modules).
     */
    public record OpenLink(int link, AdamW.State[] moments) implements Serializable {
    }
}
