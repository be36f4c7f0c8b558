package org.blora.app;

import java.util.List;
import org.blora.config.EstimatorKind;
import org.blora.config.FedProtocol;
import org.blora.config.ModelType;
import org.blora.config.TrainSpec;
import org.blora.core.chain.ChainSpec;
import org.blora.core.chain.Method;
import org.blora.core.model.Module;
import org.blora.core.theory.Bound;
import org.blora.core.theory.GdBounds;
import org.blora.core.theory.SketchConstants;
import org.blora.core.train.RoundRecord;

/**
 * The live check of the theory a run can state a bound for (docs/THEORY.md): Bernoulli-LoRA-GD, RAC-LoRA-GD and
 * full-parameter GD on the linear model with one projected step per link, gamma <= 1/L_hat, and the full
 * gradient evaluated every round. Theorem 1 bounds the average of ||grad f(W_s)||^2 over s < t by
 * 2 Delta_0 / (gamma lambda_min^p t); the run knows no f*, but its objective is non-negative (squares and
 * lambda w^2 / (1 + w^2)), so f* >= 0 and Delta_0 <= f(W_0): the bound with f(W_0) is still an upper bound.
 */
final class TheoryCheck {
    /** Per metrics row: the bound after that many rounds (NaN on row 0) and the measured average. */
    record Result(Bound bound, double[] perRow, double[] measured, double worstRatio, boolean held) {
    }

    private TheoryCheck() {
    }

    /** The check, or null when no theorem of the project covers this run's configuration. */
    static Result of(TrainSpec spec, ChainSpec chain, Module w, double gamma, double lHat, List<RoundRecord> rows) {
        boolean covered = spec.modelType() == ModelType.LINEAR && spec.estimator() == EstimatorKind.GD
                && spec.protocol() == FedProtocol.NONE && chain.adamw() == null && !spec.sketchFirst()
                && (chain.method() == Method.FPFT || (chain.linkSteps() == 1
                        && (chain.method() == Method.BERNOULLI || chain.method() == Method.RAC)))
                && !spec.metricsPerEpoch() && spec.metricsEvery() == 1
                && Double.isFinite(lHat) && gamma <= 1.0 / lHat && !rows.isEmpty() && Double.isFinite(rows.get(0).loss());
        if (!covered) {
            return null;
        }
        SketchConstants lambdas = chain.method() == Method.FPFT ? SketchConstants.fullFineTuning()
                : SketchConstants.gaussian(w.rows(), w.cols(), chain.rank(), chain.p());
        Bound bound = GdBounds.nonConvex(rows.get(0).loss(), gamma, lHat, lambdas);
        double[] b = new double[rows.size()];
        double[] measured = new double[rows.size()];
        b[0] = Double.NaN;
        measured[0] = Double.NaN;
        double sum = 0;
        double worst = 0;
        for (int t = 1; t < rows.size(); t++) {
            sum += rows.get(t - 1).gradNormSq();
            measured[t] = sum / t;
            b[t] = bound.at(t);
            worst = Math.max(worst, measured[t] / b[t]);
        }
        return new Result(bound, b, measured, worst, worst <= 1.0);
    }
}
