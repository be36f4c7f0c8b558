package org.blora.core.train;

import java.util.List;
import org.blora.core.chain.ChainMethod;
import org.blora.core.chain.LowRankChain;
import org.blora.core.chain.StepRule;
import org.blora.core.estimator.GradientEstimator;
import org.blora.core.estimator.Gradients;
import org.blora.core.estimator.Plan;
import org.blora.core.linalg.Dense;
import org.blora.core.objective.NonConvexRegularizer;
import org.blora.core.sketch.Link;
import org.blora.core.sketch.Side;
import org.blora.core.sketch.Sketch;

/**
 * The round loop of Bernoulli-LoRA, written against {@link GradientOracle} so that the same loop runs in a
 * unit test and on a cluster. Round t: the estimator plans its data work; one oracle stage evaluates it at W_t
 * (plus the full gradient on metric rounds); the driver forms G^t, takes the projected step and appends the
 * link. Stops when ||grad f(W_t)||^2 <= tol (checked on metric rounds), on a non-finite loss, or at a budget.
 *
 * <p>Sketch-first mode (plain GD or SGD): the round's sketch is drawn before the stage and clients send the
 * gradient's r x n (or m x r) coordinates on it instead of the m x n gradient; the link is the same up to
 * rounding, for far fewer uplink bits.
 */
public final class Trainer {
    private final ChainMethod method;
    private final GradientEstimator estimator;
    private final StepRule stepRule;
    private final NonConvexRegularizer reg;
    private final int metricsEvery;
    private final int roundBudget;
    private final double epochBudget;
    private final double tol;
    private final boolean sketchFirst;

    public Trainer(ChainMethod method, GradientEstimator estimator, StepRule stepRule, NonConvexRegularizer reg,
                   int metricsEvery, int roundBudget, double epochBudget, double tol) {
        this(method, estimator, stepRule, reg, metricsEvery, roundBudget, epochBudget, tol, false);
    }

    public Trainer(ChainMethod method, GradientEstimator estimator, StepRule stepRule, NonConvexRegularizer reg,
                   int metricsEvery, int roundBudget, double epochBudget, double tol, boolean sketchFirst) {
        if (metricsEvery < 1) {
            throw new IllegalArgumentException("run.metrics.every must be >= 1, got " + metricsEvery);
        }
        this.method = method;
        this.estimator = estimator;
        this.stepRule = stepRule;
        this.reg = reg;
        this.metricsEvery = metricsEvery;
        this.roundBudget = roundBudget;
        this.epochBudget = epochBudget;
        this.tol = tol;
        this.sketchFirst = sketchFirst;
    }

    public TrainResult run(GradientOracle oracle, LowRankChain chain, RoundListener listener) {
        return run(oracle, chain, listener, TrainerState.start());
    }

    /**
     * Runs from round {@code from.round()}: the chain must hold the links of rounds 0..from.round()-1 and the
     * estimator is restored from the state. A run resumed this way produces the same rows and chain as an
     * uninterrupted one (wall time excepted, which continues from {@code from.wallMs()}). After every round
     * that took a step the listener sees the state to resume from ({@link RoundListener#onState}).
     */
    public TrainResult run(GradientOracle oracle, LowRankChain chain, RoundListener listener, TrainerState from) {
        if (chain.length() != from.round()) {
            throw new IllegalArgumentException("resuming at round " + from.round() + " needs a chain of "
                    + from.round() + " links, got " + chain.length());
        }
        long start = System.nanoTime() - from.wallMs() * 1_000_000L;
        long n = oracle.rows();
        int m = oracle.clients();
        int d = chain.shape().size();
        double epochs = from.epochs();
        long cumUplink = from.cumUplinkBits();
        long trainable = from.trainedParams();
        double loss = from.loss();
        double gradNormSq = from.gradNormSq();
        if (from.round() > 0) {
            estimator.restore(from.estimatorState());
        }
        StopReason reason;
        for (int t = from.round(); ; t++) {
            // Epochs are sums of b/N fractions: compare with a relative slack so 30,000 rounds of 0.01 reach 300.
            boolean last = t >= roundBudget || epochs >= epochBudget * (1 - 1e-12);
            Plan plan = last ? null : estimator.plan(t);
            boolean metricRound = last || t % metricsEvery == 0 || stepRule.needsFullGradient();
            Sketch sketch = sketchFirst && !last ? method.sketch(t) : null;
            OracleRequest req = plan == null
                    ? OracleRequest.fullOnly(t)
                    : new OracleRequest(t, metricRound || (plan.full() && sketch == null), plan.full(), plan.batch(),
                    plan.batchAtPrevious(), plan.fed(), sketch);
            Iterate at = new Iterate(t, chain.w(), chain.wPrev(), chain.lastLink());
            List<OracleResult> perClient = oracle.evaluate(req, at);
            OracleResult res = OracleResult.sumInOrder(perClient);

            double[] fullGrad = null;
            if (req.full()) {
                fullGrad = res.gradSum;
                Dense.scale(1.0 / n, fullGrad);
                reg.addGradient(chain.w(), 1.0, fullGrad);
                loss = res.lossSum / n + reg.value(chain.w());
                gradNormSq = Dense.normSq(fullGrad);
            }
            long wallMs = (System.nanoTime() - start) / 1_000_000;
            if (metricRound && (!Double.isFinite(loss) || !Double.isFinite(gradNormSq))) {
                listener.onRound(finalRow(t, epochs, wallMs, loss, gradNormSq, cumUplink), chain);
                reason = StopReason.DIVERGED;
                break;
            }
            boolean converged = metricRound && gradNormSq <= tol;
            if (last || converged) {
                listener.onRound(finalRow(t, epochs, wallMs, loss, gradNormSq, cumUplink), chain);
                reason = converged ? StopReason.CONVERGED
                        : (t >= roundBudget ? StopReason.ROUND_BUDGET : StopReason.EPOCH_BUDGET);
                break;
            }

            double gamma = stepRule.gamma(loss, fullGrad);
            Link link = sketch != null
                    ? sketch.stepFromProjected(projectedEstimate(sketch, plan, res, chain.w(), n), gamma)
                    : method.step(t, estimate(t, plan, res, perClient, chain, fullGrad, n), gamma);
            chain.append(link);
            trainable += link.trainedParams();
            epochs += plan.epochs();

            // Clients receive W0 once before round 0, then only each new link (and, sketch-first, the sketch's Q).
            long downlink = (long) m * ClientCompute.BITS_PER_VALUE
                    * (link.numbers() + (t == 0 ? d : 0) + (sketch == null ? 0 : sketch.frozen.length));
            cumUplink += res.uplinkBits;
            listener.onRound(new RoundRecord(t, epochs - plan.epochs(), wallMs, metricRound ? loss : Double.NaN,
                    metricRound ? gradNormSq : Double.NaN, gamma, link.side, res.uplinkBits, downlink, cumUplink), chain);
            listener.onState(new TrainerState(t + 1, epochs, cumUplink, trainable,
                    (System.nanoTime() - start) / 1_000_000, loss, gradNormSq, estimator.state()), chain);
        }
        long wallMs = (System.nanoTime() - start) / 1_000_000;
        TrainResult result = new TrainResult(loss, gradNormSq, chain.length(), epochs, wallMs, reason,
                chain.length() == 0 ? 0 : trainable / chain.length(), cumUplink);
        listener.onFinish(result, chain);
        return result;
    }

    /** G^t from the round's sums: normalised, regulariser added, through the estimator's state machine. */
    private double[] estimate(int t, Plan plan, OracleResult res, List<OracleResult> perClient, LowRankChain chain,
                              double[] fullGrad, long n) {
        double[] batch = null;
        double[] batchPrev = null;
        if (plan.batch() != null) {
            double inv = 1.0 / plan.batch().length;
            batch = res.batchGradSum;
            Dense.scale(inv, batch);
            reg.addGradient(chain.w(), 1.0, batch);
            if (plan.batchAtPrevious()) {
                batchPrev = res.batchPrevGradSum;
                Dense.scale(inv, batchPrev);
                reg.addGradient(chain.wPrev(), 1.0, batchPrev);
            }
        }
        double[] regGradient = null;
        if (plan.fed() != null) {
            regGradient = new double[chain.w().length];
            reg.addGradient(chain.w(), 1.0, regGradient);
        }
        return estimator.estimate(t, new Gradients(plan.full() ? fullGrad : null, batch, batchPrev, perClient,
                regGradient, n));
    }

    /** Sketch-first: the clients' projected sums, normalised, plus the regulariser's gradient projected here. */
    private double[] projectedEstimate(Sketch sketch, Plan plan, OracleResult res, double[] w, long n) {
        double[] p = res.projected;
        Dense.scale(1.0 / (plan.full() ? n : plan.batch().length), p);
        double[] regGradient = new double[w.length];
        reg.addGradient(w, 1.0, regGradient);
        Dense.axpy(1.0, sketch.project(regGradient), p);
        return p;
    }

    private static RoundRecord finalRow(int t, double epochs, long wallMs, double loss, double gn2, long cumUp) {
        return new RoundRecord(t, epochs, wallMs, loss, gn2, Double.NaN, (Side) null, 0, 0, cumUp);
    }
}
