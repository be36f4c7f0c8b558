package org.blora.core.chain;

import org.blora.core.linalg.Dense;

/**
 * The stepsize gamma_t (optim.step.rule): {@code theory} gamma = c / L_hat, {@code constant} gamma fixed,
 * {@code polyak} gamma_t = (f(W_t) - f*) / ||grad f(W_t)||^2 (ALGORITHMS.md section 4; the unprojected
 * gradient norm, so gamma_t does not depend on the round's sketch; lambda_min^p / lambda_max^p = 1 for
 * Gaussian sketches).
 */
public abstract class StepRule {
    public abstract double gamma(double loss, double[] fullGrad);

    /** Whether gamma needs f(W_t) and the full gradient every round. */
    public boolean needsFullGradient() {
        return false;
    }

    public abstract String describe();

    public static StepRule constant(double gamma) {
        if (!(gamma > 0.0) || Double.isInfinite(gamma)) {
            throw new IllegalArgumentException("stepsize must be positive and finite, got " + gamma);
        }
        return new StepRule() {
            @Override
            public double gamma(double loss, double[] fullGrad) {
                return gamma;
            }

            @Override
            public String describe() {
                return "constant " + gamma;
            }
        };
    }

    public static StepRule polyak(double fStar) {
        return new StepRule() {
            @Override
            public double gamma(double loss, double[] fullGrad) {
                double g2 = Dense.normSq(fullGrad);
                return g2 > 0.0 ? Math.max(0.0, loss - fStar) / g2 : 0.0;
            }

            @Override
            public boolean needsFullGradient() {
                return true;
            }

            @Override
            public String describe() {
                return "polyak f*=" + fStar;
            }
        };
    }
}
