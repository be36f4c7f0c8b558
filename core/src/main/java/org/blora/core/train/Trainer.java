package org.blora.core.train;

import org.blora.core.chain.ChainMethod;
import org.blora.core.chain.LowRankChain;
import org.blora.core.chain.StepRule;
import org.blora.core.estimator.GradientEstimator;
import org.blora.core.estimator.Gradients;
import org.blora.core.estimator.Plan;
import org.blora.core.linalg.Dense;
import org.blora.core.objective.NonConvexRegularizer;
import org.blora.core.sketch.Link;

/**
 * The round loop of Bernoulli-LoRA, written against {@link GradientOracle} so that the same loop runs in a
 * unit test and on a cluster. Round t: the estimator plans its data work; one oracle stage evaluates it at W_t
 * (plus the full gradient on metric rounds); the driver forms G^t, takes the projected step and appends the
 * link. Stops when ||grad f(W_t)||^2 <= tol (checked on metric rounds), on a non-finite loss, or at a budget.
 */
public final class Trainer {
    /** Bits of one double on the wire: the project works in double precision throughout. */
    public static final int BITS_PER_VALUE = 64;

    private final ChainMethod method;
    private final GradientEstimator estimator;
    private final StepRule stepRule;
    private final NonConvexRegularizer reg;
    private final int metricsEvery;
    private final int roundBudget;
    private final double epochBudget;
    private final double tol;

    public Trainer(ChainMethod method, GradientEstimator estimator, StepRule stepRule, NonConvexRegularizer reg,
                   int metricsEvery, int roundBudget, double epochBudget, double tol) {
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
    }

    public TrainResult run(GradientOracle oracle, LowRankChain chain, RoundListener listener) {
        long start = System.nanoTime();
        long n = oracle.rows();
        int m = oracle.clients();
        int d = chain.shape().size();
        double epochs = 0.0;
        long cumUplink = 0;
        long trainable = 0;
        double loss = Double.NaN;
        double gradNormSq = Double.NaN;
        StopReason reason;
        for (int t = 0; ; t++) {
            boolean last = t >= roundBudget || epochs >= epochBudget;
            Plan plan = last ? null : estimator.plan(t);
            boolean metricRound = last || t % metricsEvery == 0 || stepRule.needsFullGradient();
            boolean full = metricRound || plan.full();
            OracleRequest req = plan == null
                    ? OracleRequest.fullOnly(t)
                    : new OracleRequest(t, full, plan.batch(), plan.batchAtPrevious());
            Iterate at = new Iterate(t, chain.w(), chain.wPrev(), chain.lastLink());
            OracleResult res = oracle.evaluate(req, at);

            double[] fullGrad = null;
            if (full) {
                fullGrad = res.gradSum;
                Dense.scale(1.0 / n, fullGrad);
                reg.addGradient(chain.w(), 1.0, fullGrad);
                loss = res.lossSum / n + reg.value(chain.w());
                gradNormSq = Dense.normSq(fullGrad);
            }
            long wallMs = (System.nanoTime() - start) / 1_000_000;
            if (metricRound && (!Double.isFinite(loss) || !Double.isFinite(gradNormSq))) {
                listener.onRound(record(t, epochs, wallMs, loss, gradNormSq, Double.NaN, null, 0, 0, cumUplink), chain);
                reason = StopReason.DIVERGED;
                break;
            }
            boolean converged = metricRound && gradNormSq <= tol;
            if (last || converged) {
                listener.onRound(record(t, epochs, wallMs, loss, gradNormSq, Double.NaN, null, 0, 0, cumUplink), chain);
                reason = converged ? StopReason.CONVERGED
                        : (t >= roundBudget ? StopReason.ROUND_BUDGET : StopReason.EPOCH_BUDGET);
                break;
            }

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
            double[] g = estimator.estimate(t, new Gradients(plan.full() ? fullGrad : null, batch, batchPrev));
            double gamma = stepRule.gamma(loss, fullGrad);
            Link link = method.step(t, g, gamma);
            chain.append(link);
            trainable += link.trainedParams();
            epochs += plan.epochs();

            long uplink = (long) m * BITS_PER_VALUE * d * ((plan.full() ? 1 : 0)
                    + (plan.batch() != null ? 1 : 0) + (plan.batchAtPrevious() ? 1 : 0));
            // Clients receive W0 once before round 0, then only each new link.
            long downlink = (long) m * BITS_PER_VALUE * (link.numbers() + (t == 0 ? d : 0));
            cumUplink += uplink;
            listener.onRound(record(t, epochs - plan.epochs(), wallMs, metricRound ? loss : Double.NaN,
                    metricRound ? gradNormSq : Double.NaN, gamma, link.side, uplink, downlink, cumUplink), chain);
        }
        long wallMs = (System.nanoTime() - start) / 1_000_000;
        TrainResult result = new TrainResult(loss, gradNormSq, chain.length(), epochs, wallMs, reason,
                chain.length() == 0 ? 0 : trainable / chain.length(), cumUplink);
        listener.onFinish(result, chain);
        return result;
    }

    private static RoundRecord record(int t, double epochs, long wallMs, double loss, double gn2, double gamma,
                                      org.blora.core.sketch.Side side, long up, long down, long cumUp) {
        return new RoundRecord(t, epochs, wallMs, loss, gn2, gamma, side, up, down, cumUp);
    }
}
