package org.blora.core.theory;

/**
 * Bernoulli-LoRA-SGD with an unbiased estimator g of grad f under expected smoothness
 * E||g(W)||^2 <= 2 A (f(W) - f*) + B ||grad f(W)||^2 + C (Theorem 2 of Bernoulli-LoRA; PL version Theorem 8).
 * Also the bound behind Fed-Bernoulli-LoRA-QGD ({@link FederatedBounds#qgd}).
 *
 * <p>One step: E f(W_{t+1}) <= f(W_t) - gamma lambda_min^p ||grad f||^2 + (L gamma^2 / 2) lambda_max^p E||g||^2;
 * with gamma <= lambda_min^p / (L B lambda_max^p), for delta_t = E f(W_t) - f*:
 * delta_{t+1} <= (1 + L gamma^2 lambda_max^p A) delta_t - (gamma/2) lambda_min^p E||grad f(W_t)||^2
 * + L gamma^2 lambda_max^p C / 2. Weighting the rounds by (1 + L gamma^2 lambda_max^p A)^{-t} gives
 * <pre>
 *   min_{t<T} E||grad f(W_t)||^2 <= 2 (1 + L gamma^2 lambda_max^p A)^T Delta_0 / (gamma lambda_min^p T)
 *                                   + L gamma C lambda_max^p / lambda_min^p                                  (sgd)
 * </pre>
 * The paper states the first term as 2 e Delta_0 / (gamma lambda_min^p T) under gamma <= 1/sqrt(L A lambda_max^p T),
 * where the power is at most e; the power is kept here so the bound holds for every t without a horizon.
 * Under PL(mu) and gamma <= mu lambda_min^p / (2 L A lambda_max^p):
 * <pre>
 *   E f(W_t) - f* <= (1 - gamma mu lambda_min^p / 2)^t Delta_0 + L gamma C lambda_max^p / (mu lambda_min^p)  (sgd-pl)
 * </pre>
 * The contraction factor is the paper's; the step conditions and the neighbourhood constant are the standard
 * re-derivation above.
 */
public final class SgdBounds {
    private SgdBounds() {
    }

    /**
     * The expected-smoothness A of a minibatch of b of the N terms drawn uniformly without replacement,
     * g = (1/b) sum_{i in S} grad f_i, when each f_i = h_i + lambda R has a data part h_i >= 0 that satisfies
     * ||grad h_i||^2 <= 2 L_i h_i with L_i <= L_max (true for h_i = omega (x_i.w - y_i)^2 / 2 with
     * L_i = omega ||x_i||^2, and for any L_i-smooth h_i >= 0). The regulariser cancels in grad f_i - grad f, so
     * <pre>
     *   E||g||^2 = ||grad f||^2 + (N - b)/(b (N - 1)) (1/N) sum_i ||grad h_i - grad h||^2
     *           <= ||grad f||^2 + (N - b)/(b (N - 1)) 2 L_max (1/N) sum_i h_i  <=  ||grad f||^2 + 2 A f,
     * </pre>
     * which is expected smoothness with this A, B = 1 and C = 2 A f* (2A(f - f*) + C = 2A f). As f* is not known,
     * a run uses C = 2 A f_up with any f_up >= f*, such as the lowest f(W_t) it saw. The same inequality bounds the
     * minibatch variance at W by 2 A f(W) (MVR's sigma^2 along a trajectory).
     */
    public static double minibatchA(double maxSmoothness, long n, int b) {
        Require.nonNegative("the largest term smoothness L_max", maxSmoothness);
        if (b < 1 || b > n) {
            throw new IllegalArgumentException("the minibatch b must be in [1, N = " + n + "], got " + b);
        }
        return n == 1 ? 0.0 : maxSmoothness * (n - b) / ((double) b * (n - 1));
    }

    /** The step condition gamma <= lambda_min^p / (L B lambda_max^p). */
    public static double maxStep(double smoothness, double b, SketchConstants lambdas) {
        Require.positive("the smoothness constant L", smoothness);
        Require.positive("the expected-smoothness constant B", b);
        return lambdas.lambdaMin() / (smoothness * b * lambdas.lambdaMax());
    }

    public static Bound nonConvex(double delta0, double gamma, double smoothness, double a, double b, double c,
                                  SketchConstants lambdas) {
        return nonConvex("sgd", delta0, gamma, smoothness, a, b, c, lambdas);
    }

    static Bound nonConvex(String name, double delta0, double gamma, double smoothness, double a, double b, double c,
                           SketchConstants lambdas) {
        Require.nonNegative("Delta_0 = f(W_0) - f*", delta0);
        Require.nonNegative("the expected-smoothness constant A", a);
        Require.nonNegative("the expected-smoothness constant C", c);
        Require.stepAtMost(gamma, maxStep(smoothness, b, lambdas), "lambda_min / (L B lambda_max)");
        double growth = Math.log1p(smoothness * gamma * gamma * lambdas.lambdaMax() * a);
        double lead = 2.0 * delta0 / (gamma * lambdas.lambdaMin());
        double floor = smoothness * gamma * c * lambdas.ratio();
        return new Bound(name, Measure.GRAD_SQ_MIN, t -> Math.exp(growth * t) * lead / t + floor);
    }

    /**
     * The largest step of the PL bound: gamma <= lambda_min^p / (L B lambda_max^p) and, when A > 0,
     * gamma <= mu lambda_min^p / (2 L A lambda_max^p).
     */
    public static double plMaxStep(double smoothness, double mu, double a, double b, SketchConstants lambdas) {
        double cap = maxStep(smoothness, b, lambdas);
        Require.positive("the PL constant mu", mu);
        Require.nonNegative("the expected-smoothness constant A", a);
        return a == 0.0 ? cap : Math.min(cap, plNoiseStep(smoothness, mu, a, lambdas));
    }

    private static double plNoiseStep(double smoothness, double mu, double a, SketchConstants lambdas) {
        return mu * lambdas.lambdaMin() / (2.0 * smoothness * a * lambdas.lambdaMax());
    }

    public static Bound pl(double delta0, double gamma, double smoothness, double mu, double a, double b, double c,
                           SketchConstants lambdas) {
        Require.nonNegative("Delta_0 = f(W_0) - f*", delta0);
        Require.positive("the PL constant mu", mu);
        Require.nonNegative("the expected-smoothness constant A", a);
        Require.nonNegative("the expected-smoothness constant C", c);
        Require.stepAtMost(gamma, maxStep(smoothness, b, lambdas), "lambda_min / (L B lambda_max)");
        if (a > 0.0) {
            Require.stepAtMost(gamma, plNoiseStep(smoothness, mu, a, lambdas), "mu lambda_min / (2 L A lambda_max)");
        }
        double factor = 1.0 - gamma * mu * lambdas.lambdaMin() / 2.0;
        double floor = smoothness * gamma * c * lambdas.ratio() / mu;
        return new Bound("sgd-pl", Measure.GAP_LAST, t -> Math.pow(factor, t) * delta0 + floor);
    }
}
