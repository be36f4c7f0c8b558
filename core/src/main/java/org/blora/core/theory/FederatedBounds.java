package org.blora.core.theory;

/**
 * Fed-Bernoulli-LoRA over M clients, f = (1/M) sum_l f_l, each f_l L_l-smooth (L_max = max_l L_l,
 * Ltilde^2 = (1/M) sum_l L_l^2): QGD (Theorem 5 of Bernoulli-LoRA), MARINA (Theorem 6), EF21 (Theorem 7). The
 * projection is applied once to the aggregated estimator. The paper states that these rates carry compression
 * and heterogeneity terms; the constants below are the standard re-derivation with the projected one-step
 * inequality of {@link VarianceReducedBounds} and may differ from the paper's by small factors.
 *
 * <p>QGD, unbiased compressors with E||Q(x) - x||^2 <= omega ||x||^2, independent across clients: the estimator
 * (1/M) sum_l Q(grad f_l) satisfies expected smoothness with A = omega L_max / M, B = 1,
 * C = 2 omega L_max Delta_inf / M, Delta_inf = f* - (1/M) sum_l f_l* (heterogeneity), so {@link SgdBounds} gives
 * <pre>
 *   min_{t<T} E||grad f(W_t)||^2 <= 2 (1 + L gamma^2 lambda_max^p A)^T Delta_0 / (gamma lambda_min^p T)
 *                                   + 2 L gamma omega L_max Delta_inf lambda_max^p / (M lambda_min^p)          (qgd)
 * </pre>
 * MARINA, sync probability q, compressed gradient differences: gamma <= 1 / (L + Ltilde sqrt(lambda_max^p
 * (1 - q) omega / (q M))), (1/T) sum E||grad f||^2 <= 2 Phi_0 / (gamma lambda_min^p T),
 * Phi_0 = Delta_0 + gamma lambda_max^p G_0 / (2q).                                                             (marina)
 *
 * <p>EF21, contractive compressors E||C(x) - x||^2 <= (1 - alpha) ||x||^2, theta = 1 - sqrt(1 - alpha),
 * beta = (1 - alpha) / (1 - sqrt(1 - alpha)): gamma <= 1 / (L + Ltilde sqrt(lambda_max^p beta / theta)),
 * (1/T) sum E||grad f||^2 <= 2 Phi_0 / (gamma lambda_min^p T),
 * Phi_0 = Delta_0 + (gamma lambda_max^p / (2 theta)) (1/M) sum_l ||G_l^0 - grad f_l(W_0)||^2.                  (ef21)
 */
public final class FederatedBounds {
    private FederatedBounds() {
    }

    /** QGD's step conditions: gamma <= lambda_min / (L lambda_max) and gamma <= 1 / sqrt(L A lambda_max T). */
    public static double qgdMaxStep(double smoothness, double maxSmoothness, double omega, int clients, long rounds,
                                    SketchConstants lambdas) {
        double a = qgdA(maxSmoothness, omega, clients);
        double cap = SgdBounds.maxStep(smoothness, 1.0, lambdas);
        if (rounds < 1) {
            throw new IllegalArgumentException("the round budget T must be >= 1, got " + rounds);
        }
        return a == 0.0 ? cap : Math.min(cap, 1.0 / Math.sqrt(smoothness * a * lambdas.lambdaMax() * rounds));
    }

    public static Bound qgd(double delta0, double gamma, double smoothness, double maxSmoothness, double omega,
                            int clients, double heterogeneity, SketchConstants lambdas) {
        Require.nonNegative("Delta_inf = f* - mean of the clients' f_l*", heterogeneity);
        double a = qgdA(maxSmoothness, omega, clients);
        double c = 2.0 * omega * maxSmoothness * heterogeneity / clients;
        return SgdBounds.nonConvex("qgd", delta0, gamma, smoothness, a, 1.0, c, lambdas);
    }

    public static double marinaMaxStep(double smoothness, double avgSmoothness, double omega, double q, int clients,
                                       SketchConstants lambdas) {
        Require.positive("the smoothness constant L", smoothness);
        Require.nonNegative("the average smoothness Ltilde", avgSmoothness);
        Require.nonNegative("the compressor variance omega", omega);
        Require.unitInterval("the MARINA sync probability q", q);
        clientsAtLeastOne(clients);
        return 1.0 / (smoothness + avgSmoothness * Math.sqrt(lambdas.lambdaMax() * (1.0 - q) * omega / (q * clients)));
    }

    public static Bound marina(double delta0, double g0, double gamma, double smoothness, double avgSmoothness,
                               double omega, double q, int clients, SketchConstants lambdas) {
        Require.stepAtMost(gamma, marinaMaxStep(smoothness, avgSmoothness, omega, q, clients, lambdas),
                "1 / (L + Ltilde sqrt(lambda_max (1 - q) omega / (q M)))");
        return VarianceReducedBounds.lyapunov("marina", delta0, g0, gamma * lambdas.lambdaMax() / (2.0 * q), gamma,
                0.0, lambdas);
    }

    public static double ef21MaxStep(double smoothness, double avgSmoothness, double alpha, SketchConstants lambdas) {
        Require.positive("the smoothness constant L", smoothness);
        Require.nonNegative("the average smoothness Ltilde", avgSmoothness);
        Require.unitInterval("the contraction alpha", alpha);
        double s = Math.sqrt(1.0 - alpha);
        double betaOverTheta = alpha == 1.0 ? 0.0 : (1.0 - alpha) / ((1.0 - s) * (1.0 - s));
        return 1.0 / (smoothness + avgSmoothness * Math.sqrt(lambdas.lambdaMax() * betaOverTheta));
    }

    /** g0 is (1/M) sum_l ||G_l^0 - grad f_l(W_0)||^2. */
    public static Bound ef21(double delta0, double g0, double gamma, double smoothness, double avgSmoothness,
                             double alpha, SketchConstants lambdas) {
        Require.stepAtMost(gamma, ef21MaxStep(smoothness, avgSmoothness, alpha, lambdas),
                "1 / (L + Ltilde sqrt(lambda_max beta / theta))");
        double theta = 1.0 - Math.sqrt(1.0 - alpha);
        return VarianceReducedBounds.lyapunov("ef21", delta0, g0, gamma * lambdas.lambdaMax() / (2.0 * theta), gamma,
                0.0, lambdas);
    }

    private static double qgdA(double maxSmoothness, double omega, int clients) {
        Require.positive("the largest client smoothness L_max", maxSmoothness);
        Require.nonNegative("the compressor variance omega", omega);
        clientsAtLeastOne(clients);
        return omega * maxSmoothness / clients;
    }

    private static void clientsAtLeastOne(int clients) {
        if (clients < 1) {
            throw new IllegalArgumentException("the number of clients M must be >= 1, got " + clients);
        }
    }
}
