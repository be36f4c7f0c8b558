package org.blora.core.theory;

/**
 * lambda_min^p and lambda_max^p, the extreme eigenvalues of the mean projection of a Bernoulli-LoRA step,
 * H(X) = E[G_hat | G = X] = p E[H_B] X + (1 - p) X E[H_A] (Assumption 1 of Bernoulli-LoRA asks lambda_min > 0).
 * Every rate slows down by 1 / lambda_min^p against full fine-tuning. For i.i.d. Gaussian sketches
 * E[H_B] = (r/m) I and E[H_A] = (r/n) I (Appendix B of the paper), so H = r (p/m + (1-p)/n) Id and
 * lambda_min^p = lambda_max^p; full fine-tuning is H = Id, both equal to 1.
 */
public record SketchConstants(double lambdaMin, double lambdaMax) {
    public SketchConstants {
        Require.unitInterval("lambda_min^p", lambdaMin);
        Require.unitInterval("lambda_max^p", lambdaMax);
        if (lambdaMin > lambdaMax) {
            throw new IllegalArgumentException("lambda_min^p must be <= lambda_max^p, got " + lambdaMin + " > " + lambdaMax);
        }
    }

    /** Gaussian sketches of rank r on an m x n weight with coin probability p: r (p/m + (1-p)/n) for both. */
    public static SketchConstants gaussian(int m, int n, int rank, double p) {
        if (m < 1 || n < 1 || rank < 1 || rank > Math.min(m, n)) {
            throw new IllegalArgumentException("rank must be in [1, min(m, n)] for a " + m + "x" + n + " weight, got " + rank);
        }
        if (!(p >= 0.0 && p <= 1.0)) {
            throw new IllegalArgumentException("p must be in [0, 1], got " + p);
        }
        double lambda = rank * (p / m + (1.0 - p) / n);
        return new SketchConstants(lambda, lambda);
    }

    public static SketchConstants fullFineTuning() {
        return new SketchConstants(1.0, 1.0);
    }

    /** lambda_max^p / lambda_min^p, the variance inflation of the projected estimator (1 for Gaussian sketches). */
    public double ratio() {
        return lambdaMax / lambdaMin;
    }
}
