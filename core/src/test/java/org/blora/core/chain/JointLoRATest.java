package org.blora.core.chain;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.Serializable;
import java.util.List;
import java.util.SplittableRandom;
import org.blora.core.model.ModelLayout;
import org.blora.core.optim.AdamW;
import org.blora.core.random.Purpose;
import org.blora.core.random.RandomStreams;
import org.blora.core.sketch.GaussianSketch;
import org.blora.core.sketch.Link;
import org.blora.core.sketch.Side;
import org.junit.jupiter.api.Test;

/**
 * LoRA and COLA train PEFT's model W = W0 + (alpha/r) B A: a step is a gradient step on (B, A) of
 * phi(B, A) = f(W0 + (alpha/r) B A), here checked against finite differences of phi at alpha != r.
 */
class JointLoRATest {
    static final int M = 4;
    static final int N = 3;
    static final long SEED = 23;
    /** f(W) = 1/2 sum c_ij (W_ij - T_ij)^2, so grad f = c o (W - T). */
    static final double[] C = new double[M * N];
    static final double[] T = new double[M * N];
    static final double[] W0 = new double[M * N];

    static {
        SplittableRandom rng = new SplittableRandom(3);
        for (int j = 0; j < M * N; j++) {
            C[j] = 0.5 + rng.nextDouble();
            T[j] = rng.nextGaussian();
            W0[j] = 0.3 * rng.nextGaussian();
        }
    }

    static double f(double[] w) {
        double s = 0;
        for (int j = 0; j < w.length; j++) {
            s += 0.5 * C[j] * (w[j] - T[j]) * (w[j] - T[j]);
        }
        return s;
    }

    static double[] grad(double[] w) {
        double[] g = new double[w.length];
        for (int j = 0; j < w.length; j++) {
            g[j] = C[j] * (w[j] - T[j]);
        }
        return g;
    }

    /** base + s B A. */
    static double[] model(double[] base, double s, double[] b, double[] a, int r) {
        double[] w = base.clone();
        for (int i = 0; i < M; i++) {
            for (int j = 0; j < N; j++) {
                for (int k = 0; k < r; k++) {
                    w[i * N + j] += s * b[i * r + k] * a[k * N + j];
                }
            }
        }
        return w;
    }

    /** Central differences of phi(B, A) = f(base + s B A) in every entry of {@code x} (B or A). */
    static double[] finiteDifferences(double[] base, double s, double[] b, double[] a, int r, boolean ofB) {
        double h = 1e-5;
        double[] x = ofB ? b : a;
        double[] out = new double[x.length];
        for (int j = 0; j < x.length; j++) {
            double keep = x[j];
            x[j] = keep + h;
            double up = f(model(base, s, b, a, r));
            x[j] = keep - h;
            double down = f(model(base, s, b, a, r));
            x[j] = keep;
            out[j] = (up - down) / (2 * h);
        }
        return out;
    }

    static ChainSpec spec(Method method, int rank, double alpha, int linkSteps, Side gaussian) {
        return new ChainSpec(method, rank, 0.5, alpha, List.of(), CoinMode.SHARED, linkSteps, null, gaussian, null,
                new GaussianSketch(), SEED);
    }

    /**
     * Plain steps of LoRA (never merging) and COLA (merging every 2 rounds) at r = 2, alpha = 5 (s = 2.5), from
     * either initialisation, against a replay that takes B' = B - gamma dphi/dB, A' = A - gamma dphi/dA with the
     * derivatives from finite differences: theta after every round must agree.
     */
    @Test
    void stepsFollowFiniteDifferencesOfPeftsModel() {
        int r = 2;
        double alpha = 5;
        double s = alpha / r;
        double gamma = 0.02;
        for (Method method : new Method[] {Method.LORA, Method.COLA}) {
            for (Side gaussian : new Side[] {Side.A, Side.B}) {
                int linkSteps = method == Method.COLA ? 2 : 0;
                ChainMethod joint = ChainMethod.of(spec(method, r, alpha, linkSteps, gaussian),
                        ModelLayout.single("W", M, N));
                LowRankChain chain = new LowRankChain(ModelLayout.single("W", M, N), W0);
                double[] base = W0.clone();
                double[] b = null;
                double[] a = null;
                for (int t = 0; t < 6; t++) {
                    if (t == 0 || (linkSteps > 0 && t % linkSteps == 0)) {
                        base = chain.w().clone(); // COLA merges: W0 := W, fresh factors from round t's stream
                        SplittableRandom rng = RandomStreams.of(SEED, t, RandomStreams.DRIVER, Purpose.SKETCH, 0);
                        b = gaussian == Side.B ? new GaussianSketch().sampleLeft(M, r, rng) : new double[M * r];
                        a = gaussian == Side.A ? new GaussianSketch().sampleRight(r, N, rng) : new double[r * N];
                    }
                    double[] gb = finiteDifferences(base, s, b, a, r, true);
                    double[] ga = finiteDifferences(base, s, b, a, r, false);
                    for (int j = 0; j < b.length; j++) {
                        b[j] -= gamma * gb[j];
                    }
                    for (int j = 0; j < a.length; j++) {
                        a[j] -= gamma * ga[j];
                    }
                    chain.append(joint.step(t, chain.w(), grad(chain.w()), gamma));
                    double[] expected = model(base, s, b, a, r);
                    String what = method + " gaussian " + gaussian + " round " + t;
                    for (int j = 0; j < expected.length; j++) {
                        assertEquals(expected[j], chain.w()[j], 1e-8, what + " entry " + j);
                    }
                    // The link's factors multiply out to the module's change since the link opened.
                    Link pair = chain.links().get(chain.length() - 1)[0];
                    double[] fromLink = model(base, 1.0, pair.b, pair.a, r);
                    for (int j = 0; j < expected.length; j++) {
                        assertEquals(chain.w()[j], fromLink[j], 1e-12, what + " link entry " + j);
                    }
                }
            }
        }
    }

    /**
     * m = 4, n = 3, r = 1, alpha = 4, gamma = 0.1, B0 = 0: one plain step moves W by
     * s (B1 A0) with B1 = -gamma s G A0^T, i.e. -gamma s^2 G A0^T A0 = 16 times the step without the scale.
     */
    @Test
    void oneStepFromZeroBScalesWithSSquared() {
        double gamma = 0.1;
        double s = 4.0;
        ChainMethod lora = ChainMethod.of(spec(Method.LORA, 1, 4.0, 0, Side.A), ModelLayout.single("W", M, N));
        double[] g = grad(W0);
        LowRankChain chain = new LowRankChain(ModelLayout.single("W", M, N), W0);
        chain.append(lora.step(0, chain.w(), g.clone(), gamma));
        double[] a0 = new GaussianSketch().sampleRight(1, N,
                RandomStreams.of(SEED, 0, RandomStreams.DRIVER, Purpose.SKETCH, 0));
        for (int i = 0; i < M; i++) {
            double ga = 0; // (G A0^T)_i
            for (int j = 0; j < N; j++) {
                ga += g[i * N + j] * a0[j];
            }
            for (int j = 0; j < N; j++) {
                double expected = W0[i * N + j] - gamma * s * s * ga * a0[j];
                assertEquals(expected, chain.w()[i * N + j], 1e-13, "entry (" + i + ", " + j + ")");
            }
        }
    }

    /** Small plain steps descend: a sign-flipped factor gradient or increment would climb. */
    @Test
    void smallStepsDecreaseTheLossEveryRound() {
        for (Method method : new Method[] {Method.LORA, Method.COLA}) {
            for (Side gaussian : new Side[] {Side.A, Side.B}) {
                ChainMethod joint = ChainMethod.of(spec(method, 1, 3.0, method == Method.COLA ? 5 : 0, gaussian),
                        ModelLayout.single("W", M, N));
                LowRankChain chain = new LowRankChain(ModelLayout.single("W", M, N), W0);
                double before = f(chain.w());
                double start = before;
                for (int t = 0; t < 40; t++) {
                    chain.append(joint.step(t, chain.w(), grad(chain.w()), 0.01));
                    double after = f(chain.w());
                    assertTrue(after < before, method + " " + gaussian + " round " + t + ": " + before + " -> " + after);
                    before = after;
                }
                assertTrue(before < 0.9 * start, method + " " + gaussian + " barely moved: " + start + " -> " + before);
            }
        }
    }

    /** The state as a checkpoint gives it back: serialised and read again (AdamW's moments are live objects). */
    static Serializable viaCheckpoint(Serializable state) {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
                out.writeObject(state);
            }
            try (ObjectInputStream in = new ObjectInputStream(
                    new ByteArrayInputStream(bytes.toByteArray()))) {
                return (Serializable) in.readObject();
            }
        } catch (IOException | ClassNotFoundException e) {
            throw new AssertionError(e);
        }
    }

    /** At s = 3 (not a power of two) a run resumed from its state continues bit for bit, with plain steps or AdamW. */
    @Test
    void resumesMidLinkBitForBit() {
        for (AdamW adamw : new AdamW[] {null, AdamW.withLr(0.05)}) {
            ChainSpec cola = new ChainSpec(Method.COLA, 1, 0.5, 3.0, List.of(), CoinMode.SHARED, 4, null, Side.A,
                    adamw, new GaussianSketch(), SEED);
            ModelLayout layout = ModelLayout.single("W", M, N);
            ChainMethod whole = ChainMethod.of(cola, layout);
            LowRankChain full = new LowRankChain(layout, W0);
            LowRankChain resumed = null;
            ChainMethod rest = null;
            for (int t = 0; t < 10; t++) {
                if (t == 6) {
                    resumed = LowRankChain.restore(layout, W0, full.links(), full.w(), full.wPrev(), full.steps());
                    rest = ChainMethod.of(cola, layout);
                    rest.restore(viaCheckpoint(whole.state()), resumed);
                }
                full.append(whole.step(t, full.w(), grad(full.w()), 0.05));
                if (rest != null) {
                    resumed.append(rest.step(t, resumed.w(), grad(resumed.w()), 0.05));
                }
            }
            assertArrayEquals(full.w(), resumed.w(), 0.0, adamw == null ? "plain steps" : "AdamW");
        }
    }
}
