package org.blora.core.sketch;

import java.io.Serializable;
import java.util.SplittableRandom;

/**
 * The law D_B (on R^{m x r}) or D_A (on R^{r x n}) from which Bernoulli-LoRA draws the frozen factor of a
 * chain link (docs/METHOD.md §2). Matrices are returned row-major.
 */
public interface SketchSampler extends Serializable {
    /** Draws B_S in R^{m x r}. */
    double[] sampleLeft(int m, int r, SplittableRandom rng);

    /** Draws A_S in R^{r x n}. */
    double[] sampleRight(int r, int n, SplittableRandom rng);

    String name();

    static SketchSampler parse(String name) {
        if ("gaussian".equals(name)) {
            return new GaussianSketch();
        }
        throw new IllegalArgumentException("lora.sketch must be 'gaussian', got '" + name + "'");
    }
}
