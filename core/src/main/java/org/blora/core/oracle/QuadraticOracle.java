package org.blora.core.oracle;

import java.util.List;
import java.util.SplittableRandom;
import org.blora.core.random.Purpose;
import org.blora.core.random.RandomStreams;

/**
 * The RAC-LoRA counterexample objective (docs/METHOD.md §6) as a data-free oracle on the driver:
 * f(W) = 1/2 (w - w*)^T M (w - w*), w = vec(W) row-major, M = diag(curvature, 1, ..., 1), so L = curvature.
 * w* has N(0, 1) entries from the INIT stream of {@code seed}. One "client" with one "row": the trainer divides
 * by N = 1, and the plotted ||grad f||^2 is ||M (w - w*)||^2. Only full gradients (GD) are supported.
 */
public final class QuadraticOracle implements GradientOracle {
    private final double[] diag;
    private final double[] wStar;

    public QuadraticOracle(int d, double curvature, long seed) {
        if (d < 1) {
            throw new IllegalArgumentException("data.features must be >= 1, got " + d);
        }
        if (!(curvature > 0.0) || Double.isInfinite(curvature)) {
            throw new IllegalArgumentException("data.curvature must be positive and finite, got " + curvature);
        }
        diag = new double[d];
        java.util.Arrays.fill(diag, 1.0);
        diag[0] = curvature;
        wStar = new double[d];
        SplittableRandom rng = RandomStreams.of(seed, 0, RandomStreams.DRIVER, Purpose.INIT);
        for (int i = 0; i < d; i++) {
            wStar[i] = gaussian(rng);
        }
    }

    private static double gaussian(SplittableRandom rng) {
        // Box-Muller; the stream is private to this oracle, so the method does not matter for reproducibility.
        double u = 1.0 - rng.nextDouble();
        return Math.sqrt(-2.0 * Math.log(u)) * Math.cos(2.0 * Math.PI * rng.nextDouble());
    }

    /** The minimiser w* (a copy). */
    public double[] optimum() {
        return wStar.clone();
    }

    @Override
    public long rows() {
        return 1;
    }

    @Override
    public int clients() {
        return 1;
    }

    @Override
    public java.util.List<OracleResult> evaluate(OracleRequest request, Iterate at) {
        if (request.hasBatch() || request.fed() != null || request.sketchFirst() != null) {
            throw new IllegalArgumentException("the counterexample has no data rows or clients: use optim.estimator=gd"
                    + " without fed.protocol or fed.sketch.first");
        }
        double[] grad = new double[wStar.length];
        double loss = 0.0;
        for (int i = 0; i < wStar.length; i++) {
            double e = at.w()[i] - wStar[i];
            grad[i] = diag[i] * e;
            loss += 0.5 * diag[i] * e * e;
        }
        return java.util.List.of(OracleResult.builder().gradSum(grad).lossSum(loss)
                .uplinkBits(request.fullCounted() ? (long) ClientCompute.BITS_PER_VALUE * wStar.length : 0).build());
    }

    @Override
    public List<double[]> clientStates() {
        return java.util.Collections.singletonList(null);
    }

    /** One client without protocol state: nothing to restore. */
    @Override
    public void restoreClientStates(List<double[]> states) {
    }

    @Override
    public List<double[]> gramTimesPerClient(double[] v) {
        double[] out = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = diag[i] * v[i];
        }
        return List.of(out);
    }
}
