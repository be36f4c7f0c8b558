package org.blora.core.theory;

import java.util.ArrayList;
import java.util.List;
import org.blora.core.chain.BernoulliLoRA;
import org.blora.core.chain.LowRankChain;
import org.blora.core.chain.Method;
import org.blora.core.estimator.GradientEstimator;
import org.blora.core.linalg.Shape;
import org.blora.core.objective.NonConvexRegularizer;
import org.blora.core.optim.StepRule;
import org.blora.core.oracle.GradientOracle;
import org.blora.core.sketch.GaussianSketch;
import org.blora.core.train.IterateSummary;
import org.blora.core.train.RoundListener;
import org.blora.core.train.RoundRecord;
import org.blora.core.train.Trainer;

/**
 * One run of the train job's round loop ({@link Trainer}) with Bernoulli-LoRA (Gaussian sketches of rank r on one
 * m x n weight, coin probability p, draws from the run seed's streams): metrics on every round, no regulariser,
 * no convergence or divergence stop, so every run has exactly {@code rounds} steps and rows W_0 .. W_rounds.
 */
final class TrainedRun {
    /** The metrics rows (row t: f(W_t), ||grad f(W_t)||^2) and the average iterate (1/T) sum_{t<T} W_t. */
    record Result(List<RoundRecord> rows, double[] averageIterate) {
        /** The bound's measure after t rounds ({@link Measure#observed}), f* subtracted by the gaps. */
        double measure(Measure m, int t, double fStar) {
            return m.observed(rows, fStar)[t];
        }
    }

    private TrainedRun() {
    }

    /** The Bernoulli-LoRA mean projection's constants of this shape, rank and p (1 at full rank). */
    static SketchConstants lambdas(Shape shape, int rank, double p) {
        return SketchConstants.gaussian(shape.m(), shape.n(), rank, p);
    }

    static Result run(GradientOracle oracle, Shape shape, int rank, double p, long seed, GradientEstimator estimator,
                      StepRule rule, int rounds, double[] w0) {
        BernoulliLoRA method = new BernoulliLoRA(Method.BERNOULLI, shape, rank, p, new GaussianSketch(), seed);
        // tol = -1: a zero gradient (a run started at the minimiser) is not a reason to stop.
        Trainer trainer = new Trainer(method, estimator, rule, new NonConvexRegularizer(0.0), 1, rounds,
                Double.POSITIVE_INFINITY, -1.0).withDivergeFactor(0.0);
        LowRankChain chain = new LowRankChain(shape, w0.clone());
        IterateSummary iterates = new IterateSummary(chain.w());
        List<RoundRecord> rows = new ArrayList<>();
        trainer.run(oracle, chain, new RoundListener() {
            @Override
            public void onRound(RoundRecord record, LowRankChain c) {
                rows.add(record);
                iterates.onRound(record, Double.isNaN(record.stepSize()) ? null : c.w());
            }
        });
        if (rows.size() != rounds + 1) {
            throw new IllegalStateException("the run stopped after " + (rows.size() - 1) + " of " + rounds + " rounds");
        }
        return new Result(rows, iterates.average());
    }
}
