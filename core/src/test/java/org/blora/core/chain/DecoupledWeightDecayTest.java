package org.blora.core.chain;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
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

/**
 * AdamW's decoupled weight decay acts on the tensors PyTorch would decay: for full fine-tuning the parameter
 * itself, theta = theta0 + what training added (not the distance travelled from theta0); for the low-rank
 * methods the trained factors themselves (PEFT's lora_A / lora_B), never the frozen one.
 */
class DecoupledWeightDecayTest {
    private static final ModelLayout NET = Mlp.layout(new int[] {3, 2, 1});
    private static final double[] THETA0 = {0.5, -1.2, 2.0, 0.7, -0.3, 1.1, 0.25, -0.4, 1.5, -2.0, 0.8};
    private static final double[][] GRADS = {
        {0.1, -0.3, 2.5, 0.0, 0.02, -1.0, 0.3, 0.0, -0.5, 0.2, 1.0},
        {-0.2, -0.1, 2.0, 0.0, 0.04, 0.5, -0.1, 0.0, 0.5, 0.1, -1.0},
        {0.05, 0.4, -1.0, 0.0, -0.03, 0.25, 0.2, 0.0, 0.1, -0.3, 0.5},
    };
    /*
     * theta after steps 1, 2, 3 of torch.optim.AdamW(lr 0.05, betas (0.9, 0.999), eps 1e-8, weight_decay 0.1)
     * from THETA0 with GRADS, written out in NumPy by src/test/resources/org/blora/core/chain/adamw_on_theta.py
     * (which also checks them against torch.optim.AdamW itself with --torch). Entries 3 and 7 have a zero
     * gradient throughout: 0.7 * 0.995^t and -0.4 * 0.995^t.
     */
    private static final double[][] TORCH = {
        {0.44750000499999953, -1.1440000016666665, 1.9400000002, 0.6965, -0.34849997500001245, 1.1444999995,
            0.19875000166666662, -0.398, 1.542499999, -2.0399999975000003, 0.7460000005},
        {0.46356768016924443, -1.0947268060702644, 1.8808937102110992, 0.6930175, -0.39501656115752753,
            1.1520943513170483, 0.17774532395570708, -0.39601000000000003, 1.532155920110263, -2.0764089765048173,
            0.7449015794185526},
        {0.4680843744042604, -1.0934516409220356, 1.8445673890878722, 0.6895524125, -0.40621426766412844,
            1.149403322653632, 0.1467022741599577, -0.39402995, 1.518005113209605, -2.0619280919194587,
            0.7324407949127684},
    };

    private static final long SEED = 5;

    private static ChainMethod method(Method method, double p, int linkSteps, AdamW adamw) {
        return ChainMethod.of(new ChainSpec(method, 1, p, 2, List.of(), CoinMode.SHARED, linkSteps, null, Side.A,
                adamw, new GaussianSketch(), SEED), NET);
    }

    private static ChainMethod fpft(AdamW adamw) {
        return method(Method.FPFT, 0.5, 1, adamw);
    }

    @Test
    void threeStepsMatchTorchAdamWOnTheta() {
        ChainMethod method = fpft(new AdamW(0.05, 0.9, 0.999, 1e-8, 0.1));
        LowRankChain chain = new LowRankChain(NET, THETA0);
        for (int t = 0; t < GRADS.length; t++) {
            chain.append(method.step(t, chain.w(), GRADS[t].clone(), 0.05));
            for (int j = 0; j < THETA0.length; j++) {
                assertEquals(TORCH[t][j], chain.w()[j], 1e-13 * Math.abs(TORCH[t][j]),
                        "theta entry " + j + " after step " + (t + 1));
            }
        }
    }

    /** A weight whose gradient stays zero shrinks to w (1 - lr wd)^k after k steps (0.98 w here, as in pre-training). */
    @Test
    void zeroGradientShrinksTheWeightGeometrically() {
        ChainMethod method = fpft(new AdamW(1e-3, 0.9, 0.999, 1e-8, 0.01));
        LowRankChain chain = new LowRankChain(NET, THETA0);
        int k = 2000;
        for (int t = 0; t < k; t++) {
            chain.append(method.step(t, chain.w(), new double[NET.size()], 1e-3));
        }
        double f = Math.pow(1 - 1e-3 * 0.01, k);
        assertEquals(0.9802, f, 1e-4);
        for (int j = 0; j < THETA0.length; j++) {
            assertEquals(THETA0[j] * f, chain.w()[j], 1e-12, "theta entry " + j);
        }
    }

    /**
     * LoRA with a zero gradient: A starts N(0, 1) and only decays, A_k = A_0 (1 - lr wd)^k, as PyTorch's AdamW
     * does to lora_A; B stays zero and W does not move.
     */
    @Test
    void loraFactorsDecayThemselves() {
        ChainMethod lora = method(Method.LORA, 0.5, 0, new AdamW(0.1, 0.9, 0.999, 1e-8, 0.5));
        LowRankChain chain = new LowRankChain(NET, THETA0);
        int k = 7;
        for (int t = 0; t < k; t++) {
            chain.append(lora.step(t, chain.w(), new double[NET.size()], 0.1));
        }
        double f = Math.pow(1 - 0.1 * 0.5, k);
        for (int i : new int[] {0, 2}) {
            Module mod = NET.modules().get(i);
            double[] a0 = new GaussianSketch().sampleRight(1, mod.cols(),
                    RandomStreams.of(SEED, 0, RandomStreams.DRIVER, Purpose.SKETCH, i));
            Link pair = chain.links().get(0)[i];
            for (int j = 0; j < a0.length; j++) {
                assertEquals(a0[j] * f, pair.a[j], 1e-14, mod.name() + " A entry " + j);
            }
            assertArrayEquals(new double[mod.rows()], pair.b, 0.0, mod.name() + " B");
        }
        assertArrayEquals(THETA0, chain.w(), 0.0);
    }

    /**
     * Bernoulli-LoRA's trained factor (A here, p = 1) under AdamW: three steps of a link equal AdamW on that
     * factor from zero with gradient (alpha/r) B_S^T G; from the second step on the decay shrinks the factor.
     */
    @Test
    void theTrainedFactorIsWhatDecays() {
        AdamW adamw = new AdamW(0.05, 0.9, 0.999, 1e-8, 2.0);
        ChainMethod rac = method(Method.RAC, 1.0, 3, adamw);
        LowRankChain chain = new LowRankChain(NET, THETA0);
        Module mod = NET.modules().get(0);
        double[] a = new double[mod.cols()];
        AdamW.State state = adamw.newState(a.length);
        for (int t = 0; t < 3; t++) {
            Step step = rac.step(t, chain.w(), GRADS[t].clone(), 0.05);
            chain.append(step);
            double[] bS = step.factors[0].b; // the frozen factor, already scaled by alpha/r = 2
            double[] grad = new double[mod.cols()];
            for (int row = 0; row < mod.rows(); row++) {
                for (int col = 0; col < mod.cols(); col++) {
                    grad[col] += bS[row] * GRADS[t][mod.offset() + row * mod.cols() + col];
                }
            }
            adamw.step(state, a, grad, 0.05);
            assertArrayEquals(a, step.factors[0].a, 1e-15, "trained factor after step " + (t + 1));
        }
    }
}
