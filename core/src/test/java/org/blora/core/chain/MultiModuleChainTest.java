package org.blora.core.chain;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.blora.core.model.Mlp;
import org.blora.core.model.ModelLayout;
import org.blora.core.model.Module;
import org.blora.core.optim.AdamW;
import org.blora.core.random.Purpose;
import org.blora.core.random.RandomStreams;
import org.blora.core.sketch.GaussianSketch;
import org.blora.core.sketch.Link;
import org.blora.core.sketch.Side;
import org.junit.jupiter.api.Test;

/** Chains on every weight matrix of a model: per-module sketches and steps, coins, links of several steps. */
class MultiModuleChainTest {
    static final ModelLayout NET = Mlp.layout(new int[] {7, 5, 4, 3});
    static final long SEED = 17;

    static ChainSpec spec(Method method, double p, CoinMode coin, int linkSteps, Side first, AdamW adamw) {
        return new ChainSpec(method, 1, p, 1, List.of(), coin, linkSteps, first, Side.A, adamw, new GaussianSketch(),
                SEED);
    }

    static double[] gaussian(int n, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        double[] g = new double[n];
        for (int i = 0; i < n; i++) {
            g[i] = rng.nextGaussian();
        }
        return g;
    }

    /** H x for the projector onto span(v) (rank 1): v v^T x / (v^T v), on columns (left) or rows (right). */
    static double[] rankOneProjection(double[] g, int m, int n, double[] v, boolean left) {
        double vv = 0;
        for (double x : v) {
            vv += x * x;
        }
        double[] out = new double[m * n];
        if (left) { // H_B G, v in R^m
            for (int j = 0; j < n; j++) {
                double s = 0;
                for (int i = 0; i < m; i++) {
                    s += v[i] * g[i * n + j];
                }
                for (int i = 0; i < m; i++) {
                    out[i * n + j] = v[i] * s / vv;
                }
            }
        } else { // G H_A, v in R^n
            for (int i = 0; i < m; i++) {
                double s = 0;
                for (int j = 0; j < n; j++) {
                    s += g[i * n + j] * v[j];
                }
                for (int j = 0; j < n; j++) {
                    out[i * n + j] = s * v[j] / vv;
                }
            }
        }
        return out;
    }

    @Test
    void oneLinkIsTheProjectedStepOnEveryModule() {
        double gamma = 0.3;
        double[] g = gaussian(NET.size(), 3);
        for (int link = 0; link < 6; link++) {
            ChainMethod method = ChainMethod.of(spec(Method.BERNOULLI, 0.5, CoinMode.SHARED, 1, null, null), NET);
            Step step = null;
            for (int t = 0; t <= link; t++) {
                step = method.step(t, new double[NET.size()], g, gamma);
            }
            double[] theta = new double[NET.size()];
            step.addTo(theta);
            boolean left = RandomStreams.of(SEED, link, RandomStreams.DRIVER, Purpose.COIN).nextDouble() < 0.5;
            for (int i = 0; i < NET.modules().size(); i++) {
                Module mod = NET.modules().get(i);
                double[] delta = Arrays.copyOfRange(theta, mod.offset(), mod.end());
                if (!mod.adaptable()) {
                    assertNull(step.increments[i], "bias " + mod.name() + " is frozen");
                    assertArrayEquals(new double[mod.size()], delta, 0.0);
                    continue;
                }
                assertEquals(left ? Side.A : Side.B, step.increments[i].side, "shared coin, module " + mod.name());
                SplittableRandom rng = RandomStreams.of(SEED, link, RandomStreams.DRIVER, Purpose.SKETCH, i);
                double[] v = left ? new GaussianSketch().sampleLeft(mod.rows(), 1, rng)
                        : new GaussianSketch().sampleRight(1, mod.cols(), rng);
                double[] expected = rankOneProjection(Arrays.copyOfRange(g, mod.offset(), mod.end()), mod.rows(),
                        mod.cols(), v, left);
                for (int j = 0; j < expected.length; j++) {
                    assertEquals(-gamma * expected[j], delta[j], 1e-12, mod.name() + " entry " + j + " link " + link);
                }
            }
        }
    }

    @Test
    void perModuleCoinsMixSidesAndSharedNever() {
        double[] g = gaussian(NET.size(), 4);
        ChainMethod shared = ChainMethod.of(spec(Method.BERNOULLI, 0.5, CoinMode.SHARED, 1, null, null), NET);
        ChainMethod each = ChainMethod.of(spec(Method.BERNOULLI, 0.5, CoinMode.PER_MODULE, 1, null, null), NET);
        double[] theta = new double[NET.size()];
        int mixed = 0;
        for (int t = 0; t < 30; t++) {
            assertTrue(shared.step(t, theta, g, 0.1).sides().length() <= 2, "shared coin gives one side per link");
            mixed += each.step(t, theta, g, 0.1).sides().length() == 3 ? 1 : 0;
        }
        // P(all three coins equal) = 1/4 per link: 30 links all unmixed has probability 0.25^30.
        assertTrue(mixed > 0, "per-module coins never disagreed in 30 links");
    }

    @Test
    void theTrainedFactorMovesTheFrozenOneDoesNot() {
        // The authors' MNIST code never trains B (its optimiser holds only the A factors); here each link's
        // trained factor changes at every step, whichever side the coin picked, and the frozen one never does.
        double[] theta = new double[NET.size()];
        for (Side first : new Side[] {Side.A, Side.B}) {
            ChainMethod method = ChainMethod.of(spec(Method.BERNOULLI, 0.5, CoinMode.SHARED, 4, first,
                    AdamW.withLr(1e-2)), NET);
            Link[] previous = null;
            boolean sawOtherSide = false;
            for (int t = 0; t < 40; t++) {
                Step step = method.step(t, theta, gaussian(NET.size(), 100 + t), 1e-2);
                step.addTo(theta);
                assertEquals(t / 4, step.link);
                for (int i : new int[] {0, 2, 4}) {
                    Link f = step.factors[i];
                    if (t == 0) {
                        assertEquals(first, f.side, "lora.first.side");
                    }
                    sawOtherSide |= f.side != first;
                    double[] trained = f.side == Side.A ? f.a : f.b;
                    double[] frozen = f.side == Side.A ? f.b : f.a;
                    assertTrue(Arrays.stream(trained).anyMatch(x -> x != 0.0), "trained factor moved");
                    if (t % 4 != 0) {
                        Link p = previous[i];
                        assertEquals(p.side, f.side, "one side per link");
                        assertArrayEquals(p.side == Side.A ? p.b : p.a, frozen, 0.0, "frozen factor unchanged in a link");
                        assertFalse(Arrays.equals(p.side == Side.A ? p.a : p.b, trained), "trained factor changed");
                    }
                }
                previous = step.factors;
            }
            assertTrue(sawOtherSide, "in 10 links the coin never picked the other side");
        }
    }

    @Test
    void incrementsOfALinkSumToItsFactors() {
        ChainMethod method = ChainMethod.of(spec(Method.BERNOULLI, 0.3, CoinMode.PER_MODULE, 5, null,
                AdamW.withLr(1e-2)), NET);
        double[] theta0 = gaussian(NET.size(), 9);
        LowRankChain chain = new LowRankChain(NET, theta0);
        for (int t = 0; t < 15; t++) {
            chain.append(method.step(t, chain.w(), gaussian(NET.size(), 200 + t), 1e-2));
        }
        assertEquals(3, chain.length());
        assertEquals(15, chain.steps());
        double[] rebuilt = theta0.clone();
        for (Link[] link : chain.links()) {
            for (int i = 0; i < link.length; i++) {
                if (link[i] != null) {
                    link[i].addTo(rebuilt, NET.modules().get(i).offset(), 1.0);
                }
            }
        }
        for (int j = 0; j < rebuilt.length; j++) {
            assertEquals(chain.w()[j], rebuilt[j], 1e-12, "theta = theta0 + sum of links, entry " + j);
        }
    }

    @Test
    void trainableParametersOfThePapersMlp() {
        ModelLayout mnist = Mlp.layout(new int[] {784, 64, 64, 5});
        double[] g = new double[mnist.size()];
        double[] theta = new double[mnist.size()];
        assertEquals(54_725, mnist.size());
        assertEquals(912, ChainMethod.of(spec(Method.RAC, 1.0, CoinMode.SHARED, 1, null, null), mnist)
                .step(0, theta, g, 1).trainedParams());
        assertEquals(133, ChainMethod.of(spec(Method.RAC, 0.0, CoinMode.SHARED, 1, null, null), mnist)
                .step(0, theta, g, 1).trainedParams());
        assertEquals(1_045, ChainMethod.of(spec(Method.COLA, 0.5, CoinMode.SHARED, 1, null, null), mnist)
                .step(0, theta, g, 1).trainedParams());
        assertEquals(54_725, ChainMethod.of(spec(Method.FPFT, 0.5, CoinMode.SHARED, 1, null, null), mnist)
                .step(0, theta, g, 1).trainedParams());
        assertEquals(904.21, ChainMethod.of(spec(Method.BERNOULLI, 0.99, CoinMode.SHARED, 1, null, null), mnist)
                .expectedTrainableParams(), 1e-9);
    }

    @Test
    void badModulesAndRanksAreRefusedByName() {
        ChainSpec bias = new ChainSpec(Method.BERNOULLI, 1, 0.5, 1, List.of("l1.bias"), CoinMode.SHARED, 1, null,
                Side.A, null, new GaussianSketch(), 1);
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ChainMethod.of(bias, NET)).getMessage()
                .contains("lora.modules"));
        ChainSpec unknown = new ChainSpec(Method.BERNOULLI, 1, 0.5, 1, List.of("l9"), CoinMode.SHARED, 1, null,
                Side.A, null, new GaussianSketch(), 1);
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ChainMethod.of(unknown, NET)).getMessage()
                .contains("l9"));
        ChainSpec rank = new ChainSpec(Method.BERNOULLI, 4, 0.5, 4, List.of(), CoinMode.SHARED, 1, null,
                Side.A, null, new GaussianSketch(), 1);
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ChainMethod.of(rank, NET)).getMessage()
                .contains("module l3"));
        ChainSpec only = new ChainSpec(Method.BERNOULLI, 1, 0.5, 1, List.of("l2"), CoinMode.SHARED, 1, null,
                Side.A, null, new GaussianSketch(), 1);
        Step s = ChainMethod.of(only, NET).step(0, new double[NET.size()], gaussian(NET.size(), 1), 0.1);
        assertNull(s.increments[0]);
        assertNotNull(s.increments[2]);
        assertNull(s.increments[4]);
    }
}
