package org.blora.core.theory;

/**
 * Bernoulli-LoRA-GD, G_t = grad f(W_t), W_{t+1} = W_t - gamma G_hat_t (Theorem 1 of Bernoulli-LoRA and its
 * Polyak-Lojasiewicz version; the paper numbers its PL theorems from 8 on). Assumptions: f is L-smooth and
 * bounded below, gamma <= 1/L.
 *
 * <p>One step, in expectation over the coin and the sketch (H symmetric idempotent, E||H X||^2 = <X, H X>):
 * E f(W_{t+1}) <= f(W_t) - gamma (1 - L gamma / 2) <grad f, H grad f> <= f(W_t) - (gamma/2) lambda_min^p
 * ||grad f(W_t)||^2. Summed over t < T:
 * <pre>
 *   (1/T) sum_{t<T} E||grad f(W_t)||^2 <= 2 Delta_0 / (gamma lambda_min^p T),   Delta_0 = f(W_0) - f*      (gd)
 * </pre>
 * and under the PL inequality ||grad f||^2 >= 2 mu (f - f*):
 * <pre>
 *   E f(W_t) - f* <= (1 - gamma mu lambda_min^p)^t Delta_0                                                  (gd-pl)
 * </pre>
 * Both forms are the paper's (its rate and contraction factor); the condition gamma <= 1/L is the classical
 * one of the derivation above.
 */
public final class GdBounds {
    private GdBounds() {
    }

    /** The step condition gamma <= 1/L. */
    public static double maxStep(double smoothness) {
        return 1.0 / Require.positive("the smoothness constant L", smoothness);
    }

    public static Bound nonConvex(double delta0, double gamma, double smoothness, SketchConstants lambdas) {
        Require.nonNegative("Delta_0 = f(W_0) - f*", delta0);
        Require.stepAtMost(gamma, maxStep(smoothness), "1/L");
        double c = 2.0 * delta0 / (gamma * lambdas.lambdaMin());
        return new Bound("gd", Measure.GRAD_SQ_AVERAGE, t -> c / t);
    }

    public static Bound pl(double delta0, double gamma, double smoothness, double mu, SketchConstants lambdas) {
        Require.nonNegative("Delta_0 = f(W_0) - f*", delta0);
        Require.positive("the PL constant mu", mu);
        if (mu > smoothness) {
            throw new IllegalArgumentException("the PL constant mu must be <= L, got mu = " + mu + " > L = " + smoothness);
        }
        Require.stepAtMost(gamma, maxStep(smoothness), "1/L");
        double factor = 1.0 - gamma * mu * lambdas.lambdaMin();
        return new Bound("gd-pl", Measure.GAP_LAST, t -> Math.pow(factor, t) * delta0);
    }
}
