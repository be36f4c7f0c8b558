package org.blora.core.optim;

import java.io.Serializable;

/**
 * AdamW (Loshchilov and Hutter, decoupled weight decay) with PyTorch's semantics, the optimiser of the MNIST
 * experiments: at step t of a tensor p with gradient g,
 * <pre>
 *   p = p (1 - lr wd)
 *   m = beta1 m + (1 - beta1) g,     v = beta2 v + (1 - beta2) g^2
 *   p = p - lr / (1 - beta1^t) * m / (sqrt(v) / sqrt(1 - beta2^t) + eps)
 * </pre>
 * The moments and t live in a {@link State} per tensor that the caller owns: a new chain link starts from
 * {@link #newState} (moments reset at each merge), a checkpoint serialises it. The learning rate is passed to
 * every step because a scheduler ({@link ReduceLrOnPlateau}) may change it between epochs.
 */
public final class AdamW implements Serializable {
    private static final long serialVersionUID = 1L;

    private final double lr;
    private final double beta1;
    private final double beta2;
    private final double eps;
    private final double weightDecay;

    public AdamW(double lr, double beta1, double beta2, double eps, double weightDecay) {
        requireLr(lr);
        if (!(beta1 >= 0.0 && beta1 < 1.0) || !(beta2 >= 0.0 && beta2 < 1.0)) {
            throw new IllegalArgumentException("AdamW betas must be in [0, 1), got " + beta1 + ", " + beta2);
        }
        if (!(eps >= 0.0) || Double.isInfinite(eps)) {
            throw new IllegalArgumentException("AdamW eps must be >= 0, got " + eps);
        }
        if (!(weightDecay >= 0.0) || Double.isInfinite(weightDecay)) {
            throw new IllegalArgumentException("AdamW weight decay must be >= 0, got " + weightDecay);
        }
        this.lr = lr;
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.eps = eps;
        this.weightDecay = weightDecay;
    }

    /** PyTorch's defaults: betas 0.9 and 0.999, eps 1e-8, weight decay 0.01. */
    public static AdamW withLr(double lr) {
        return new AdamW(lr, 0.9, 0.999, 1e-8, 0.01);
    }

    /** PyTorch's defaults including lr = 1e-3. */
    public static AdamW defaults() {
        return withLr(1e-3);
    }

    /** The configured (initial) learning rate. */
    public double lr() {
        return lr;
    }

    /** Zero moments and step count for a tensor of {@code size} entries. */
    public State newState(int size) {
        return new State(new double[size], new double[size], 0);
    }

    /** One step on the whole of {@code param} with the gradient {@code grad} of the same length. */
    public void step(State s, double[] param, double[] grad, double lr) {
        if (param.length != s.size() || grad.length != s.size()) {
            throw new IllegalArgumentException("AdamW state holds " + s.size() + " entries, parameter "
                    + param.length + ", gradient " + grad.length);
        }
        step(s, param, 0, grad, 0, lr);
    }

    /** One step on {@code param[pOff .. pOff+n)} with {@code grad[gOff .. gOff+n)}, n = the state's size. */
    public void step(State s, double[] param, int pOff, double[] grad, int gOff, double lr) {
        requireLr(lr);
        int n = s.size();
        if (pOff < 0 || gOff < 0 || pOff + n > param.length || gOff + n > grad.length) {
            throw new IllegalArgumentException("AdamW step of " + n + " entries at " + pOff + " / " + gOff
                    + " overruns parameter (" + param.length + ") or gradient (" + grad.length + ")");
        }
        s.step++;
        double bc1 = 1.0 - StrictMath.pow(beta1, s.step);
        double bc2Sqrt = Math.sqrt(1.0 - StrictMath.pow(beta2, s.step));
        double stepSize = lr / bc1;
        double decay = 1.0 - lr * weightDecay;
        double w = 1.0 - beta1;
        double[] m = s.m;
        double[] v = s.v;
        for (int j = 0; j < n; j++) {
            double g = grad[gOff + j];
            double p = param[pOff + j] * decay;
            // beta1 m + (1 - beta1) g in the two rounding forms of PyTorch's lerp(m, g, w).
            m[j] = w < 0.5 ? m[j] + w * (g - m[j]) : g - (g - m[j]) * (1.0 - w);
            v[j] = beta2 * v[j] + (1.0 - beta2) * g * g;
            param[pOff + j] = p - stepSize * m[j] / (Math.sqrt(v[j]) / bc2Sqrt + eps);
        }
    }

    private static void requireLr(double lr) {
        if (!(lr >= 0.0) || Double.isInfinite(lr)) {
            throw new IllegalArgumentException("AdamW learning rate must be >= 0 and finite, got " + lr);
        }
    }

    /** Adam's moments m, v and the number of steps taken, for one tensor. */
    public static final class State implements Serializable {
        private static final long serialVersionUID = 1L;

        private final double[] m;
        private final double[] v;
        private long step;

        /** Restores a checkpointed state; m and v are used in place. */
        public State(double[] m, double[] v, long step) {
            if (m.length != v.length || step < 0) {
                throw new IllegalArgumentException("AdamW state needs m and v of one length and a step >= 0, got "
                        + m.length + ", " + v.length + ", step " + step);
            }
            this.m = m;
            this.v = v;
            this.step = step;
        }

        public int size() {
            return m.length;
        }

        public long step() {
            return step;
        }

        public double[] m() {
            return m;
        }

        public double[] v() {
            return v;
        }
    }
}
