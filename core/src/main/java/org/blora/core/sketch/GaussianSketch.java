package org.blora.core.sketch;

import java.util.SplittableRandom;

/**
 * I.i.d. N(0, 1) entries, as in the paper's code ({@code randn}). For this law E[H] = (r/dim) I, so
 * lambda_min = r/dim (Assumption 1, Appendix B of Bernoulli-LoRA).
 */
public final class GaussianSketch implements SketchSampler {
    private static final long serialVersionUID = 1L;

    @Override
    public double[] sampleLeft(int m, int r, SplittableRandom rng) {
        return gaussian(m * r, rng);
    }

    @Override
    public double[] sampleRight(int r, int n, SplittableRandom rng) {
        return gaussian(r * n, rng);
    }

    @Override
    public String name() {
        return "gaussian";
    }

    private static double[] gaussian(int size, SplittableRandom rng) {
        double[] out = new double[size];
        for (int i = 0; i < size; i++) {
            out[i] = rng.nextGaussian();
        }
        return out;
    }
}
