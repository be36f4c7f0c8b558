package org.blora.core.theory;

import java.util.List;
import org.blora.core.objective.RowNorms;

/**
 * The largest and the mean-square smoothness of the terms of a sum f = (1/K) Σ_k f_k: L_max = max_k L_k and
 * Ltilde = sqrt((1/K) Σ_k L_k²), for the linear least-squares model with the non-convex regulariser λR (curvature
 * at most 2λ). Two splits of the same f are used by the theorems:
 *
 * <ul>
 *   <li>{@link #rows}: the N rows, f_i(w) = ω_l ½(x_i·w − y_i)² + λR(w) for row i of client l, so
 *       L_i = ω_l ||x_i||² + 2λ (SGD's and MVR's minibatches and PAGE's finite sum, Theorems 2-4);</li>
 *   <li>{@link #clients}: the M clients, f_l(w) = κ_l ½||X_l w − y_l||² + λR(w) with κ_l = M ω_l / N, so
 *       L_l = κ_l ||X_lᵀX_l||_2 + 2λ = (M ω_l N_l / N) ||X_lᵀX_l / N_l||_2 + 2λ (QGD, MARINA, EF21, Theorems 5-7).</li>
 * </ul>
 *
 * ω_l is the client weight of {@code fed.weighting} (1 for rows, N/(M N_l) for uniform), so that in both splits
 * f = the job's objective. Each L_k bounds the norm of f_k's Hessian (||x xᵀ|| + |λR''|), so each is a valid
 * smoothness constant of its term; the data parts alone are L_k − 2λ-smooth, non-negative and convex.
 */
public record SmoothnessConstants(double lMax, double lTilde) {
    /** Per-row constants from each client's {@link RowNorms}, client weights ω_l and the regulariser's λ. */
    public static SmoothnessConstants rows(List<RowNorms> clients, double[] weights, double lambda) {
        check(clients.size(), weights);
        long n = 0;
        double max = 0.0;
        double sumSq = 0.0;
        for (int l = 0; l < clients.size(); l++) {
            RowNorms c = clients.get(l);
            double w = weights[l];
            n += c.rows();
            max = Math.max(max, w * c.maxSq());
            // Σ_i (ω ||x_i||² + 2λ)² = ω² Σ ||x_i||⁴ + 4λω Σ ||x_i||² + 4λ² N_l.
            sumSq += w * w * c.sumFourth() + 4.0 * lambda * w * c.sumSq() + 4.0 * lambda * lambda * c.rows();
        }
        if (n == 0) {
            throw new IllegalArgumentException("the data have no rows");
        }
        return new SmoothnessConstants(max + 2.0 * lambda, Math.sqrt(sumSq / n));
    }

    /**
     * Per-client constants from each client's ||X_lᵀX_l / N_l||_2 ({@code gramNorms}), row counts N_l, weights ω_l
     * and λ: L_l = (M ω_l N_l / N) ||X_lᵀX_l / N_l||_2 + 2λ.
     */
    public static SmoothnessConstants clients(double[] gramNorms, long[] clientRows, double[] weights, double lambda) {
        int m = gramNorms.length;
        check(m, weights);
        if (clientRows.length != m) {
            throw new IllegalArgumentException(clientRows.length + " row counts for " + m + " clients");
        }
        long n = 0;
        for (long r : clientRows) {
            n += r;
        }
        double max = 0.0;
        double sumSq = 0.0;
        for (int l = 0; l < m; l++) {
            double ll = (double) m * weights[l] * clientRows[l] / n * gramNorms[l] + 2.0 * lambda;
            max = Math.max(max, ll);
            sumSq += ll * ll;
        }
        return new SmoothnessConstants(max, Math.sqrt(sumSq / m));
    }

    private static void check(int clients, double[] weights) {
        if (clients < 1 || weights.length != clients) {
            throw new IllegalArgumentException(weights.length + " client weights for " + clients + " clients");
        }
    }
}
