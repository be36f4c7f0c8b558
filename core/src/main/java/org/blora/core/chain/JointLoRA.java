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

/**
 * LoRA (Hu et al., 2021) and COLA (Chain of LoRA, Xia et al., 2024) on every adapted module: both factors of
 * W = W0 + s B A, s = alpha/r as PEFT defines the model, trained jointly on the map (A, B) -> f(W0 + s B A), with
 * G = grad f(W): grad_B = s G A^T and grad_A = s B^T G, taken simultaneously (plain steps, or AdamW on B and A
 * themselves, which is what PyTorch decays). One factor starts N(0, 1) and the other at zero
 * ({@code gaussianFactor}), as in the papers' code, so W starts at W0 whatever s. LoRA never merges; COLA merges
 * every {@code linkSteps} rounds (W0 := W) and re-initialises both factors from the opening round's streams.
 *
 * <p>This map is not L-smooth even when f is, so gamma = 1/L carries no guarantee: the RAC-LoRA counterexample
 * (docs/METHOD.md) diverges or stalls. A round's increment is s (B'A' - BA) = [s B', -s B] [A'; A] (side
 * {@link Side#AB}, rank 2r), so theta stays W0 + the links; the link itself is the current pair as (s B, A), so
 * that its product is the module's change (the form every adapter reader expects).
 */
public final class JointLoRA implements ChainMethod {
    private final ChainSpec spec;
    private final ModelLayout layout;
    private final int[] adapted;
    /** PEFT's scale alpha/r. */
    private final double scale;
    private int link = -1;
    /** The open link's factors as PEFT holds them (B unscaled). */
    private double[][] b;
    private double[][] a;
    private AdamW.State[] momentsB;
    private AdamW.State[] momentsA;

    public JointLoRA(ChainSpec spec, ModelLayout layout) {
        this.spec = spec;
        this.layout = layout;
        this.adapted = AdaptedModules.resolve(spec, layout);
        this.scale = spec.alpha() / spec.rank();
    }

    @Override
    public Step step(int round, double[] theta, double[] g, double gamma) {
        int l = spec.linkOf(round);
        if (l != link) {
            open(l);
        }
        int r = spec.rank();
        Link[] increments = new Link[layout.modules().size()];
        Link[] factors = new Link[increments.length];
        for (int k = 0; k < adapted.length; k++) {
            int i = adapted[k];
            Module mod = layout.modules().get(i);
            int m = mod.rows();
            int n = mod.cols();
            Shape shape = AdaptedModules.shape(mod);
            double[] gi = AdaptedModules.slice(g, mod);
            double[] gradB = new double[m * r]; // s G A^T
            for (int row = 0; row < m; row++) {
                for (int c = 0; c < r; c++) {
                    gradB[row * r + c] = scale * Dense.dot(n, gi, row * n, a[k], c * n);
                }
            }
            double[] gradA = new double[r * n]; // s B^T G
            for (int row = 0; row < m; row++) {
                for (int c = 0; c < r; c++) {
                    Dense.axpy(n, scale * b[k][row * r + c], gi, row * n, gradA, c * n);
                }
            }
            double[] b1 = b[k].clone();
            double[] a1 = a[k].clone();
            if (spec.adamw() == null) {
                Dense.axpy(-gamma, gradB, b1);
                Dense.axpy(-gamma, gradA, a1);
            } else {
                spec.adamw().step(momentsB[k], b1, gradB, gamma);
                spec.adamw().step(momentsA[k], a1, gradA, gamma);
            }
            double[] linkB = new double[m * 2 * r];
            double[] linkA = new double[2 * r * n];
            for (int row = 0; row < m; row++) {
                for (int c = 0; c < r; c++) {
                    linkB[row * 2 * r + c] = scale * b1[row * r + c];
                    linkB[row * 2 * r + r + c] = -scale * b[k][row * r + c];
                }
            }
            System.arraycopy(a1, 0, linkA, 0, r * n);
            System.arraycopy(a[k], 0, linkA, r * n, r * n);
            b[k] = b1;
            a[k] = a1;
            increments[i] = new Link(Side.AB, shape, 2 * r, linkB, linkA);
            factors[i] = new Link(Side.AB, shape, r, scaled(b1), a1.clone());
        }
        return new Step(l, increments, factors, layout);
    }

    /** s B, the link's B factor: its product with A is the module's change. */
    private double[] scaled(double[] bk) {
        double[] out = bk.clone();
        Dense.scale(scale, out);
        return out;
    }

    /** (Re-)initialises both factors of every adapted module for link l, with fresh moments. */
    private void open(int l) {
        link = l;
        int round = spec.openingRound(l);
        int r = spec.rank();
        b = new double[adapted.length][];
        a = new double[adapted.length][];
        momentsB = new AdamW.State[adapted.length];
        momentsA = new AdamW.State[adapted.length];
        for (int k = 0; k < adapted.length; k++) {
            int i = adapted[k];
            Module mod = layout.modules().get(i);
            SplittableRandom rng = RandomStreams.of(spec.seed(), round, RandomStreams.DRIVER, Purpose.SKETCH, i);
            if (spec.gaussianFactor() == Side.A) {
                a[k] = spec.sketch().sampleRight(r, mod.cols(), rng);
                b[k] = new double[mod.rows() * r];
            } else {
                b[k] = spec.sketch().sampleLeft(mod.rows(), r, rng);
                a[k] = new double[r * mod.cols()];
            }
            momentsB[k] = ChainSpec.newState(spec, mod.rows() * r);
            momentsA[k] = ChainSpec.newState(spec, r * mod.cols());
        }
    }

    @Override
    public double expectedTrainableParams() {
        double sum = 0;
        for (int i : adapted) {
            Module m = layout.modules().get(i);
            sum += (double) spec.rank() * (m.rows() + m.cols());
        }
        return sum;
    }

    /** The open link's factors as trained (B unscaled) and, with AdamW, their moments. */
    @Override
    public Serializable state() {
        return new OpenPair(link, b.clone(), a.clone(), momentsB, momentsA);
    }

    /**
     * Continues the open link from the saved factors and moments. A state from another link (or none) leaves
     * the factors at the chain's last pair, B recovered as the link's s B divided by s.
     */
    @Override
    public void restore(Serializable state, LowRankChain chain) {
        if (chain.length() == 0) {
            return;
        }
        int l = chain.length() - 1;
        open(l);
        if (state instanceof OpenPair s && s.link() == l) {
            for (int k = 0; k < adapted.length; k++) {
                b[k] = s.b()[k].clone();
                a[k] = s.a()[k].clone();
            }
            if (spec.adamw() != null) {
                momentsB = s.momentsB().clone();
                momentsA = s.momentsA().clone();
            }
            return;
        }
        Link[] last = chain.links().get(l);
        for (int k = 0; k < adapted.length; k++) {
            double[] sb = last[adapted[k]].b;
            b[k] = new double[sb.length];
            for (int j = 0; j < sb.length; j++) {
                b[k][j] = sb[j] / scale;
            }
            a[k] = last[adapted[k]].a.clone();
        }
    }

    /** What a checkpoint keeps of the open link beyond the chain: its factors as trained, and AdamW's moments. */
    public record OpenPair(int link, double[][] b, double[][] a, AdamW.State[] momentsB, AdamW.State[] momentsA)
            implements Serializable {
    }
}
