package org.blora.core.theory;

import java.util.SplittableRandom;
import org.blora.core.linalg.Shape;
import org.blora.core.sketch.GaussianSketch;
import org.blora.core.sketch.Sketch;

/**
 * The Bernoulli-LoRA step W -= gamma G_hat for the theorem checks: a coin c ~ Be(p) and a fresh Gaussian sketch
 * per call, the trained-factor step of {@link Sketch#step} merged into W; rank 0 means full fine-tuning.
 */
final class BernoulliStep {
    private static final GaussianSketch LAW = new GaussianSketch();

    final Shape shape;
    final int rank;
    final double p;

    BernoulliStep(Shape shape, int rank, double p) {
        this.shape = shape;
        this.rank = rank;
        this.p = p;
    }

    static BernoulliStep full(Shape shape) {
        return new BernoulliStep(shape, 0, 1.0);
    }

    SketchConstants lambdas() {
        return rank == 0 ? SketchConstants.fullFineTuning() : SketchConstants.gaussian(shape.m(), shape.n(), rank, p);
    }

    /** w -= gamma G_hat(g), coin and sketch drawn from rng. */
    void apply(double[] w, double[] g, double gamma, SplittableRandom rng) {
        if (rank == 0) {
            for (int i = 0; i < w.length; i++) {
                w[i] -= gamma * g[i];
            }
            return;
        }
        Sketch s = rng.nextDouble() < p
                ? Sketch.left(shape, LAW.sampleLeft(shape.m(), rank, rng), rank)
                : Sketch.right(shape, LAW.sampleRight(rank, shape.n(), rng), rank);
        s.step(g, gamma).addTo(w);
    }
}
