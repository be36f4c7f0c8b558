package org.blora.core.theory;

/**
 * Bernoulli-LoRA-MVR (Theorem 3 of Bernoulli-LoRA, momentum parameter b) and Bernoulli-LoRA-PAGE (Theorem 4,
 * full-gradient probability q). Both keep an estimator G_t of grad f(W_t) and are analysed with a Lyapunov
 * function Phi_t = f(W_t) - f* + w ||G_t - grad f(W_t)||^2 on top of the one-step inequality (L-smooth f):
 * <pre>
 *   E f(W_{t+1}) <= f(W_t) - (gamma/2) lambda_min^p ||grad f(W_t)||^2 - (1 - L gamma)/(2 gamma) E||W_{t+1} - W_t||^2
 *                   + (gamma/2) lambda_max^p ||G_t - grad f(W_t)||^2.
 * </pre>
 * PAGE (finite sum, minibatch of b' rows used at both points, average smoothness Ltilde^2 = (1/N) sum L_i^2):
 * E||G_{t+1} - grad f_{t+1}||^2 <= (1 - q) (||G_t - grad f_t||^2 + (Ltilde^2 / b') ||W_{t+1} - W_t||^2); with
 * w = gamma lambda_max^p / (2q) and gamma <= 1 / (L + Ltilde sqrt(lambda_max^p (1 - q) / (q b'))):
 * <pre>
 *   (1/T) sum_{t<T} E||grad f(W_t)||^2 <= 2 Phi_0 / (gamma lambda_min^p T),
 *   Phi_0 = Delta_0 + gamma lambda_max^p G_0 / (2q),   G_0 = ||G_0 - grad f(W_0)||^2                      (page)
 * </pre>
 * MVR (G_{t+1} = grad f_xi(W_{t+1}) + (1 - b)(G_t - grad f_xi(W_t)), same xi at both points, mean-square
 * smoothness Ltilde, variance sigma^2): E||G_{t+1} - grad f_{t+1}||^2 <= (1 - b)^2 ||G_t - grad f_t||^2
 * + 2 (1 - b)^2 Ltilde^2 ||W_{t+1} - W_t||^2 + 2 b^2 sigma^2; with w = gamma lambda_max^p / (2b) and
 * gamma <= 1 / (L + Ltilde (1 - b) sqrt(2 lambda_max^p / b)):
 * <pre>
 *   (1/T) sum_{t<T} E||grad f(W_t)||^2 <= 2 Phi_0 / (gamma lambda_min^p T) + 2 b sigma^2 lambda_max^p / lambda_min^p,
 *   Phi_0 = Delta_0 + gamma lambda_max^p G_0 / (2b)                                                           (mvr)
 * </pre>
 * The rate forms are the paper's; the step conditions and Lyapunov weights are the standard re-derivation above
 * (they reduce to the classical PAGE and MVR conditions at lambda = 1), so the paper's constants may differ by
 * small factors.
 */
public final class VarianceReducedBounds {
    private VarianceReducedBounds() {
    }

    public static double pageMaxStep(double smoothness, double avgSmoothness, double q, int batch,
                                     SketchConstants lambdas) {
        Require.positive("the smoothness constant L", smoothness);
        Require.nonNegative("the average smoothness Ltilde", avgSmoothness);
        Require.unitInterval("the PAGE probability q", q);
        if (batch < 1) {
            throw new IllegalArgumentException("the PAGE minibatch b' must be >= 1, got " + batch);
        }
        return 1.0 / (smoothness + avgSmoothness * Math.sqrt(lambdas.lambdaMax() * (1.0 - q) / (q * batch)));
    }

    public static Bound page(double delta0, double g0, double gamma, double smoothness, double avgSmoothness,
                             double q, int batch, SketchConstants lambdas) {
        Require.stepAtMost(gamma, pageMaxStep(smoothness, avgSmoothness, q, batch, lambdas),
                "1 / (L + Ltilde sqrt(lambda_max (1 - q) / (q b')))");
        return lyapunov("page", delta0, g0, gamma * lambdas.lambdaMax() / (2.0 * q), gamma, 0.0, lambdas);
    }

    public static double mvrMaxStep(double smoothness, double meanSquareSmoothness, double b, SketchConstants lambdas) {
        Require.positive("the smoothness constant L", smoothness);
        Require.nonNegative("the mean-square smoothness Ltilde", meanSquareSmoothness);
        Require.unitInterval("the MVR momentum b", b);
        return 1.0 / (smoothness + meanSquareSmoothness * (1.0 - b) * Math.sqrt(2.0 * lambdas.lambdaMax() / b));
    }

    public static Bound mvr(double delta0, double g0, double gamma, double smoothness, double meanSquareSmoothness,
                            double b, double sigmaSq, SketchConstants lambdas) {
        Require.stepAtMost(gamma, mvrMaxStep(smoothness, meanSquareSmoothness, b, lambdas),
                "1 / (L + Ltilde (1 - b) sqrt(2 lambda_max / b))");
        Require.nonNegative("the variance sigma^2", sigmaSq);
        return lyapunov("mvr", delta0, g0, gamma * lambdas.lambdaMax() / (2.0 * b), gamma,
                2.0 * b * sigmaSq * lambdas.ratio(), lambdas);
    }

    /** 2 Phi_0 / (gamma lambda_min^p t) + floor, Phi_0 = Delta_0 + weight * G_0: the common form of the rates. */
    static Bound lyapunov(String name, double delta0, double g0, double weight, double gamma, double floor,
                          SketchConstants lambdas) {
        Require.nonNegative("Delta_0 = f(W_0) - f*", delta0);
        Require.nonNegative("G_0 = ||G_0 - grad f(W_0)||^2", g0);
        double lead = 2.0 * (delta0 + weight * g0) / (gamma * lambdas.lambdaMin());
        return new Bound(name, Measure.GRAD_SQ_AVERAGE, t -> lead / t + floor);
    }
}
