package org.blora.core.train;

import java.util.List;
import org.blora.core.chain.ChainMethod;
import org.blora.core.chain.LowRankChain;
import org.blora.core.chain.Step;
import org.blora.core.estimator.GradientEstimator;
import org.blora.core.estimator.Gradients;
import org.blora.core.estimator.Plan;
import org.blora.core.linalg.Dense;
import org.blora.core.objective.NonConvexRegularizer;
import org.blora.core.optim.EarlyStopping;
import org.blora.core.optim.ReduceLrOnPlateau;
import org.blora.core.optim.StepRule;
import org.blora.core.oracle.ClientCompute;
import org.blora.core.oracle.Evaluator;
import org.blora.core.oracle.GradientOracle;
import org.blora.core.oracle.Iterate;
import org.blora.core.oracle.OracleRequest;
import org.blora.core.oracle.OracleResult;
import org.blora.core.sketch.Link;
import org.blora.core.sketch.Sketch;

/**
 * The round loop of Bernoulli-LoRA, written against {@link GradientOracle} so that the same loop runs in a
 * unit test and on a cluster. Round t: the estimator plans its data work; one oracle stage evaluates it at W_t
 * (plus the full gradient on metric rounds); the driver forms G^t, takes the projected step and appends the
 * link. Stops when ||grad f(W_t)||^2 <= tol (checked on metric rounds), at a budget, or as diverged when a
 * metric round's loss or ||grad f||^2 is not finite or exceeds run.diverge.factor times its value at the first
 * metric round ({@link #withDivergeFactor}; both are non-negative for every objective here).
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
    private final HeldOut heldOut;
    /** run.diverge.factor: the growth over the start that stops a run as diverged; 0 = only non-finite values. */
    private final double divergeFactor;

    /** run.diverge.factor's default: the loss or ||grad f||^2 at ten thousand times its start is a diverged run. */
    public static final double DIVERGE_FACTOR = 1e4;

    /**
     * Validation and test data scored on metric rounds, and what the validation loss drives: early stopping after
     * {@code earlyStopPatience} evaluations without improvement and a learning-rate factor reduced on plateaus
     * after {@code plateauPatience} (0 = off for either). {@code classifier}: the training pass counts accuracy.
     */
    public record HeldOut(boolean classifier, Evaluator validation, Evaluator test, int earlyStopPatience,
                          int plateauPatience) {
        public static final HeldOut NONE = new HeldOut(false, null, null, 0, 0);

        boolean any() {
            return classifier || validation != null || test != null;
        }
    }

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
        this.heldOut = HeldOut.NONE;
        this.divergeFactor = DIVERGE_FACTOR;
    }

    private Trainer(Trainer t, HeldOut heldOut, double divergeFactor) {
        this.method = t.method;
        this.estimator = t.estimator;
        this.stepRule = t.stepRule;
        this.reg = t.reg;
        this.metricsEvery = t.metricsEvery;
        this.roundBudget = t.roundBudget;
        this.epochBudget = t.epochBudget;
        this.tol = t.tol;
        this.sketchFirst = t.sketchFirst;
        if (heldOut.validation() == null && (heldOut.earlyStopPatience() > 0 || heldOut.plateauPatience() > 0)) {
            throw new IllegalArgumentException("early stopping and the plateau schedule need validation data");
        }
        if (!(divergeFactor == 0.0 || divergeFactor > 1.0)) {
            throw new IllegalArgumentException("run.diverge.factor must be 0 (off) or > 1, got " + divergeFactor);
        }
        this.heldOut = heldOut;
        this.divergeFactor = divergeFactor;
    }

    /** This trainer with held-out data and the schedules it drives. */
    public Trainer withHeldOut(HeldOut heldOut) {
        return new Trainer(this, heldOut, divergeFactor);
    }

    /** This trainer stopping as diverged at {@code factor} times the start (0: only on non-finite values). */
    public Trainer withDivergeFactor(double factor) {
        return new Trainer(this, heldOut, factor);
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
        if (chain.steps() != from.round()) {
            throw new IllegalArgumentException("resuming at round " + from.round() + " needs a chain after "
                    + from.round() + " rounds, got " + chain.steps());
        }
        long start = System.nanoTime() - from.wallMs() * 1_000_000L;
        long n = oracle.rows();
        int m = oracle.clients();
        int d = chain.layout().size();
        double epochs = from.epochs();
        long cumUplink = from.cumUplinkBits();
        long trainable = from.trainedParams();
        double loss = from.loss();
        double gradNormSq = from.gradNormSq();
        EarlyStopping earlyStop = from.earlyStopping() != null ? from.earlyStopping()
                : heldOut.earlyStopPatience() > 0 ? new EarlyStopping(heldOut.earlyStopPatience()) : null;
        // The plateau schedule acts on the learning rate itself (PyTorch's eps compares learning rates), so it starts
        // from round 0's stepsize; a resumed run without one in its state scales the stepsize from 1.
        ReduceLrOnPlateau plateau = from.plateau() != null ? from.plateau()
                : heldOut.plateauPatience() > 0 && from.round() > 0
                ? ReduceLrOnPlateau.withPatience(1.0, heldOut.plateauPatience()) : null;
        Divergence divergence = from.divergence() != null ? from.divergence() : Divergence.UNSTARTED;
        if (from.round() > 0) {
            estimator.restore(from.estimatorState());
            method.restore(from.methodState(), chain);
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
            Iterate at = new Iterate(t, chain.w(), chain.wPrev(), chain.lastStep());
            List<OracleResult> perClient = oracle.evaluate(req, at);
            OracleResult res = OracleResult.sumInOrder(perClient);

            double[] fullGrad = null;
            if (req.full()) {
                fullGrad = res.gradSum().clone();
                Dense.scale(1.0 / n, fullGrad);
                reg.addGradient(chain.w(), 1.0, fullGrad);
                loss = res.lossSum() / n + reg.value(chain.w());
                gradNormSq = Dense.normSq(fullGrad);
            }
            long wallMs = (System.nanoTime() - start) / 1_000_000;
            if (metricRound) {
                divergence = divergence.observe(loss, gradNormSq);
            }
            if (metricRound && divergence.diverged(loss, gradNormSq, divergeFactor)) {
                listener.onRound(finalRow(t, epochs, wallMs, loss, gradNormSq, cumUplink, Scores.NONE), chain);
                reason = StopReason.DIVERGED;
                break;
            }
            Scores scores = Scores.NONE;
            boolean stopEarly = false;
            if (metricRound && heldOut.any()) {
                scores = score(t, chain.w(), heldOut.classifier() ? res.correct() / (double) n : Double.NaN);
                if (t > 0 && heldOut.validation() != null) {
                    // Once per evaluation after training started, as Lightning's callbacks run after an epoch.
                    if (plateau != null) {
                        plateau.step(scores.valLoss());
                    }
                    stopEarly = earlyStop != null && earlyStop.update(scores.valLoss());
                }
            }
            boolean converged = metricRound && gradNormSq <= tol;
            if (last || converged || stopEarly) {
                listener.onRound(finalRow(t, epochs, wallMs, loss, gradNormSq, cumUplink, scores), chain);
                reason = converged ? StopReason.CONVERGED : stopEarly ? StopReason.EARLY_STOPPED
                        : (t >= roundBudget ? StopReason.ROUND_BUDGET : StopReason.EPOCH_BUDGET);
                break;
            }

            double gamma = stepRule.gamma(loss, fullGrad);
            if (plateau == null && heldOut.plateauPatience() > 0) {
                plateau = ReduceLrOnPlateau.withPatience(gamma, heldOut.plateauPatience());
            }
            gamma *= plateau == null ? 1.0 : plateau.scale();
            Step step = sketch != null
                    ? Step.of(t, new Link[] {sketch.stepFromProjected(projectedEstimate(sketch, plan, res, chain.w(), n), gamma)},
                            chain.layout())
                    : method.step(t, chain.w(), estimate(t, plan, res, perClient, chain, fullGrad, n), gamma);
            chain.append(step);
            trainable += step.trainedParams();
            epochs += plan.epochs();

            // Clients receive W0 once before round 0, then only each new link (and, sketch-first, the sketch's Q).
            long downlink = (long) m * ClientCompute.BITS_PER_VALUE
                    * (step.numbers() + (t == 0 ? d : 0) + (sketch == null ? 0 : sketch.frozen.length));
            cumUplink += res.uplinkBits();
            listener.onRound(new RoundRecord(t, epochs - plan.epochs(), wallMs, metricRound ? loss : Double.NaN,
                    metricRound ? gradNormSq : Double.NaN, gamma, step.sides(), res.uplinkBits(),
                    downlink, cumUplink, scores), chain);
            listener.onState(new TrainerState(t + 1, epochs, cumUplink, trainable,
                    (System.nanoTime() - start) / 1_000_000, loss, gradNormSq, estimator.state(), method.state(),
                    earlyStop, plateau, divergence), chain);
        }
        long wallMs = (System.nanoTime() - start) / 1_000_000;
        TrainResult result = new TrainResult(loss, gradNormSq, chain.steps(), epochs, wallMs, reason,
                chain.steps() == 0 ? 0 : trainable / chain.steps(), cumUplink);
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
            batch = res.batchGradSum().clone();
            Dense.scale(inv, batch);
            reg.addGradient(chain.w(), 1.0, batch);
            if (plan.batchAtPrevious()) {
                batchPrev = res.batchPrevGradSum().clone();
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
        double[] p = res.projected().clone();
        Dense.scale(1.0 / (plan.full() ? n : plan.batch().length), p);
        double[] regGradient = new double[w.length];
        reg.addGradient(w, 1.0, regGradient);
        Dense.axpy(1.0, sketch.project(regGradient), p);
        return p;
    }

    private Scores score(int t, double[] theta, double trainAccuracy) {
        Evaluator.Score v = heldOut.validation() == null ? Evaluator.Score.NONE : heldOut.validation().score(t, theta);
        Evaluator.Score te = heldOut.test() == null ? Evaluator.Score.NONE : heldOut.test().score(t, theta);
        return new Scores(trainAccuracy, v.loss(), v.accuracy(), te.loss(), te.accuracy());
    }

    private static RoundRecord finalRow(int t, double epochs, long wallMs, double loss, double gn2, long cumUp,
                                        Scores scores) {
        return new RoundRecord(t, epochs, wallMs, loss, gn2, Double.NaN, "", 0, 0, cumUp, scores);
    }
}
