package org.blora.config;

import org.blora.core.estimator.Gd;
import org.blora.core.estimator.GradientEstimator;
import org.blora.core.estimator.Mvr;
import org.blora.core.estimator.Page;
import org.blora.core.estimator.Sgd;

/**
 * The gradient estimator G^t of a run (optim.estimator), each building its core estimator. A new estimator is a
 * class implementing {@link GradientEstimator} in core and a constant here that builds it.
 */
public enum EstimatorKind implements Choice {
    /** The full gradient. */
    GD {
        @Override
        public GradientEstimator build(Settings s) {
            return new Gd();
        }
    },
    /** A minibatch of optim.batch rows drawn without replacement. */
    SGD {
        @Override
        public GradientEstimator build(Settings s) {
            return new Sgd(s.seed(), s.rows(), s.batch());
        }
    },
    /** PAGE: the full gradient with probability q, else a minibatch correction of the previous estimate. */
    PAGE {
        @Override
        public GradientEstimator build(Settings s) {
            return new Page(s.seed(), s.rows(), s.batch(),
                    Double.isNaN(s.pageQ()) ? Page.defaultQ(s.batch(), s.rows()) : s.pageQ());
        }
    },
    /** MVR (momentum variance reduction) with parameter optim.mvr.b. */
    MVR {
        @Override
        public GradientEstimator build(Settings s) {
            return new Mvr(s.seed(), s.rows(), s.batch(), s.mvrB());
        }
    };

    /**
     * What an estimator may read: the run's seed, the training rows N, the minibatch size b, PAGE's q (NaN for
     * b / (b + N)) and MVR's b.
     */
    public record Settings(long seed, long rows, int batch, double pageQ, double mvrB) {
    }

    /** The estimator of a run with these settings. */
    public abstract GradientEstimator build(Settings s);

    /** Whether the estimator draws minibatches (and so needs optim.batch <= N). */
    public boolean minibatch() {
        return this != GD;
    }
}
