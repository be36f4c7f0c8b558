package org.blora.core.theory;

/**
 * Bernoulli-LoRA subgradient descent on a convex, L0-Lipschitz, non-smooth f: g_t in the subdifferential of f at
 * W_t, W_{t+1} = W_t - gamma_t G_hat_t with G_hat_t the Bernoulli projection of g_t; R = ||W_0 - W*||_F for a
 * minimiser W*. Bernoulli-LoRA states rates for a constant and for an adaptive Polyak-type stepsize; the formulas
 * below are the standard re-derivation (the paper's exact constants were not available to check).
 *
 * <p>In the norm ||X||^2_{H^{-1}} = <X, H^{-1} X> of the mean projection H ({@link SketchConstants}):
 * E[G_hat | g] = H g, so the cross term is -2 gamma_t <W_t - W*, g_t> <= -2 gamma_t (f(W_t) - f*) by convexity,
 * and E||G_hat||^2_{H^{-1}} <= E||G_hat||^2 / lambda_min^p <= (lambda_max^p / lambda_min^p) ||g_t||^2:
 * <pre>
 *   E||W_{t+1} - W*||^2_{H^{-1}} <= ||W_t - W*||^2_{H^{-1}} - 2 gamma_t (f(W_t) - f*)
 *                                   + gamma_t^2 (lambda_max^p / lambda_min^p) ||g_t||^2,
 *   ||W_0 - W*||^2_{H^{-1}} <= R^2 / lambda_min^p.
 * </pre>
 * Constant gamma, summed over t < T, with ||g_t|| <= L0 and Jensen for the average iterate
 * W_bar_T = (1/T) sum_{t<T} W_t (the same bound holds for the best iterate, min_t f(W_t)):
 * <pre>
 *   E f(W_bar_T) - f* <= R^2 / (2 gamma lambda_min^p T) + gamma L0^2 lambda_max^p / (2 lambda_min^p)
 *                                                                        (subgrad-const-avg, subgrad-const-best)
 * </pre>
 * minimised by gamma = R / (L0 sqrt(lambda_max^p T)) to R L0 sqrt(lambda_max^p) / (lambda_min^p sqrt(T)).
 * Polyak-type gamma_t = (lambda_min^p / lambda_max^p) (f(W_t) - f*) / ||g_t||^2 (unprojected g_t) makes the step
 * decrease the distance by (lambda_min^p / lambda_max^p) (f(W_t) - f*)^2 / ||g_t||^2, so
 * sum_t E (f(W_t) - f*)^2 <= lambda_max^p L0^2 R^2 / lambda_min^p^2 and, by Jensen,
 * <pre>
 *   E min_{t<T} f(W_t) - f* <= L0 R sqrt(lambda_max^p) / (lambda_min^p sqrt(T))            (subgrad-polyak-best)
 * </pre>
 * without knowing R or T. For Gaussian sketches (lambda_min^p = lambda_max^p = lambda) the Polyak step is the
 * classical (f - f*) / ||g||^2 and the rate L0 R / sqrt(lambda T).
 */
public final class SubgradientBounds {
    private SubgradientBounds() {
    }

    /** The constant step minimising the bound at T: R / (L0 sqrt(lambda_max^p T)). */
    public static double bestConstantStep(double r, double l0, long rounds, SketchConstants lambdas) {
        Require.positive("R = ||W0 - W*||", r);
        Require.positive("the Lipschitz constant L0", l0);
        if (rounds < 1) {
            throw new IllegalArgumentException("the round budget T must be >= 1, got " + rounds);
        }
        return r / (l0 * Math.sqrt(lambdas.lambdaMax() * rounds));
    }

    /** The constant-step bound on f(average iterate) - f*. */
    public static Bound constantAverage(double r, double l0, double gamma, SketchConstants lambdas) {
        return constant("subgrad-const-avg", Measure.GAP_AVERAGE_ITERATE, r, l0, gamma, lambdas);
    }

    /** The constant-step bound on min_t f(W_t) - f*. */
    public static Bound constantBest(double r, double l0, double gamma, SketchConstants lambdas) {
        return constant("subgrad-const-best", Measure.GAP_BEST, r, l0, gamma, lambdas);
    }

    public static Bound polyak(double r, double l0, SketchConstants lambdas) {
        Require.positive("R = ||W0 - W*||", r);
        Require.positive("the Lipschitz constant L0", l0);
        double c = l0 * r * Math.sqrt(lambdas.lambdaMax()) / lambdas.lambdaMin();
        return new Bound("subgrad-polyak-best", Measure.GAP_BEST, t -> c / Math.sqrt(t));
    }

    private static Bound constant(String name, Measure measure, double r, double l0, double gamma,
                                  SketchConstants lambdas) {
        Require.positive("R = ||W0 - W*||", r);
        Require.positive("the Lipschitz constant L0", l0);
        Require.positive("the stepsize gamma", gamma);
        double lead = r * r / (2.0 * gamma * lambdas.lambdaMin());
        double floor = gamma * l0 * l0 * lambdas.ratio() / 2.0;
        return new Bound(name, measure, t -> lead / t + floor);
    }
}
