package org.blora.config;

import org.blora.core.optim.AdamW;
import org.blora.core.optim.StepRule;

/** The optim.* keys and smoothness.tol: the gradient estimator, the optimiser, the step rule and the budget. */
public final class OptimSection {
    public static final KeyGroup KEYS = new KeyGroup("Optimisation",
            "the gradient estimator, the optimiser, the step rule and the budget");

    public static final Key<EstimatorKind> ESTIMATOR = KEYS.key("optim.estimator", "gd", Key.choice(EstimatorKind.class),
            "gd, sgd (minibatch without replacement), page, mvr");
    public static final Key<Integer> BATCH = KEYS.key("optim.batch", "100", Key.integer(1, Integer.MAX_VALUE),
            "minibatch size b for sgd, page and mvr");
    /** NaN for auto (b / (b + N), known once N is). */
    public static final Key<Double> PAGE_Q = KEYS.key("optim.page.q", "auto", Key.orAuto(Double.NaN, Key.positiveAtMostOne()),
            "PAGE full-gradient probability; auto = b / (b + N)");
    public static final Key<Double> MVR_B = KEYS.key("optim.mvr.b", "0.1", Key.positiveAtMostOne(),
            "MVR momentum parameter b in (0, 1]");
    public static final Key<String> OPTIMIZER = KEYS.key("optim.optimizer", "sgd", Key.oneOf("sgd", "adamw"),
            "sgd (the paper's projected step on the trained factor; plain steps for lora, cola, fpft) or adamw "
                    + "(learning rate = the step size)");
    public static final Key<String> ADAMW_BETAS = KEYS.key("optim.adamw.betas", "0.9,0.999", Key.text(), "adamw: beta1,beta2");
    public static final Key<Double> ADAMW_EPS = KEYS.key("optim.adamw.eps", "1e-8", Key.number(0, 1), "adamw: eps");
    public static final Key<Double> ADAMW_WEIGHT_DECAY = KEYS.key("optim.adamw.weight.decay", "0.01",
            Key.number(0, Double.MAX_VALUE), "adamw: decoupled weight decay");
    public static final Key<Integer> PLATEAU_PATIENCE = KEYS.key("optim.plateau.patience", "0", Key.integer(0, Integer.MAX_VALUE),
            "reduce the step size 10x after this many evaluations without a better validation loss (0 = off)");
    public static final Key<Integer> EARLY_STOP_PATIENCE = KEYS.key("optim.early.stop.patience", "0",
            Key.integer(0, Integer.MAX_VALUE), "stop after this many evaluations without a better validation loss (0 = off)");
    public static final Key<StepRuleKind> STEP_RULE = KEYS.key("optim.step.rule", "theory", Key.choice(StepRuleKind.class),
            "theory (gamma = c / L_hat, L_hat estimated on the data; lad, hinge: the convex theorem's "
                    + "gamma = R / (L0 sqrt(lambda_max T))), constant, polyak");
    public static final Key<Double> STEP_C = KEYS.key("optim.step.c", "1.0", Key.number(Double.MIN_VALUE, Double.MAX_VALUE),
            "c in gamma = c / L_hat for the theory rule (lad, hinge: gamma = c R / (L0 sqrt(lambda_max T)))");
    /** NaN when unset. */
    public static final Key<Double> STEP_SIZE = KEYS.key("optim.step.size", "",
            Key.orBlank(Double.NaN, Key.number(Double.MIN_VALUE, Double.MAX_VALUE)), "gamma for the constant rule");
    /** NaN when unset or auto. */
    public static final Key<Double> POLYAK_FSTAR = KEYS.key("optim.polyak.fstar", "",
            Key.orBlank(Double.NaN, Key.orAuto(Double.NaN, Key.number(-Double.MAX_VALUE, Double.MAX_VALUE))),
            "f*, the optimal value, for the Polyak rule: required with optim.step.rule=polyak (no default: a wrong f* makes "
                    + "the rule overshoot or stall); auto (lad, hinge) = known by construction, or a certified reference "
                    + "solve of lad on the driver");
    /** NaN for auto. */
    public static final Key<Double> SUBGRADIENT_R = KEYS.key("optim.subgradient.r", "auto",
            Key.orAuto(Double.NaN, Key.number(Double.MIN_VALUE, Double.MAX_VALUE)),
            "lad, hinge: R >= ||W0 - W*|| for the theory step and the live bound; auto = from the "
                    + "generator's known minimiser (noiseless lad, sign labels) or the lad reference solve");
    /** NaN for auto (the mean row norm). */
    public static final Key<Double> SUBGRADIENT_L0 = KEYS.key("optim.subgradient.l0", "auto",
            Key.orAuto(Double.NaN, Key.number(Double.MIN_VALUE, Double.MAX_VALUE)),
            "lad, hinge: the Lipschitz constant L0 of f; auto = mean row norm (1/N) sum ||x_i||, one pass");
    public static final Key<Integer> ROUNDS = KEYS.key("optim.rounds", "1000", Key.integer(0, Integer.MAX_VALUE - 1),
            "round budget T");
    public static final Key<Double> EPOCHS = KEYS.key("optim.epochs", "inf", Key.number(0, Double.POSITIVE_INFINITY),
            "epoch budget (passes over the data by the algorithm's own gradients)");
    public static final Key<Double> TOL = KEYS.key("optim.tol", "1e-12", Key.number(0, Double.MAX_VALUE),
            "stop when ||grad f||^2 <= tol (checked on metric rounds)");
    public static final Key<Double> SMOOTHNESS_TOL = KEYS.key("smoothness.tol", "1e-6", Key.number(1e-15, 0.1),
            "relative accuracy of the Lanczos estimate of ||X^T X / N||_2");

    private final EstimatorKind estimator;
    private final int batch;
    private final double pageQ;
    private final double mvrB;
    private final AdamW adamw;
    private final int plateauPatience;
    private final int earlyStopPatience;
    private final StepRuleKind stepRule;
    private final double stepC;
    private final double stepSize;
    private final double polyakFStar;
    private final boolean polyakFStarAuto;
    private final double subgradientR;
    private final double subgradientL0;
    private final int rounds;
    private final double epochs;
    private final double tol;
    private final double smoothnessTol;

    OptimSection(RunConfig c) {
        adamw = adamw(c);
        plateauPatience = c.get(PLATEAU_PATIENCE);
        earlyStopPatience = c.get(EARLY_STOP_PATIENCE);
        estimator = c.get(ESTIMATOR);
        batch = c.get(BATCH);
        pageQ = c.get(PAGE_Q);
        mvrB = c.get(MVR_B);
        stepRule = c.get(STEP_RULE);
        stepC = c.get(STEP_C);
        if (stepRule == StepRuleKind.CONSTANT && c.text(STEP_SIZE).isEmpty()) {
            throw new ConfigException(STEP_SIZE + " is required for " + STEP_RULE.is("constant")
                    + " (set optim.step.size=GAMMA)");
        }
        stepSize = c.text(STEP_SIZE).isEmpty() ? Double.NaN : c.get(STEP_SIZE);
        polyakFStarAuto = c.isAuto(POLYAK_FSTAR);
        polyakFStar = c.get(POLYAK_FSTAR);
        if (stepRule == StepRuleKind.POLYAK && Double.isNaN(polyakFStar) && !polyakFStarAuto) {
            throw new ConfigException(StepRule.POLYAK_NEEDS_FSTAR);
        }
        subgradientR = c.get(SUBGRADIENT_R);
        subgradientL0 = c.get(SUBGRADIENT_L0);
        rounds = c.get(ROUNDS);
        epochs = c.get(EPOCHS);
        tol = c.get(TOL);
        smoothnessTol = c.get(SMOOTHNESS_TOL);
    }

    /** AdamW's settings when optim.optimizer=adamw (the learning rate is the step size), else null. */
    private static AdamW adamw(RunConfig c) {
        boolean useAdamw = "adamw".equals(c.get(OPTIMIZER));
        String[] betas = c.text(ADAMW_BETAS).split(",");
        if (betas.length != 2) {
            throw new ConfigException(ADAMW_BETAS + " must be two numbers beta1,beta2, got '" + c.text(ADAMW_BETAS) + "'");
        }
        return !useAdamw ? null : ConfigException.translated(() -> new AdamW(1.0, Double.parseDouble(betas[0].trim()),
                Double.parseDouble(betas[1].trim()), c.get(ADAMW_EPS), c.get(ADAMW_WEIGHT_DECAY)));
    }

    public EstimatorKind estimator() {
        return estimator;
    }

    public int batch() {
        return batch;
    }

    /** PAGE's full-gradient probability; NaN for auto (b / (b + N), known once N is). */
    public double pageQ() {
        return pageQ;
    }

    public double mvrB() {
        return mvrB;
    }

    /** AdamW's settings, or null for optim.optimizer=sgd. */
    public AdamW adamw() {
        return adamw;
    }

    public int plateauPatience() {
        return plateauPatience;
    }

    public int earlyStopPatience() {
        return earlyStopPatience;
    }

    public StepRuleKind stepRule() {
        return stepRule;
    }

    public double stepC() {
        return stepC;
    }

    /** gamma of the constant rule; NaN when unset. */
    public double stepSize() {
        return stepSize;
    }

    public double polyakFStar() {
        return polyakFStar;
    }

    /** optim.polyak.fstar=auto: f* known by construction or from a reference solve. */
    public boolean polyakFStarAuto() {
        return polyakFStarAuto;
    }

    /** optim.subgradient.r; NaN for auto. */
    public double subgradientR() {
        return subgradientR;
    }

    /** optim.subgradient.l0; NaN for auto (the mean row norm). */
    public double subgradientL0() {
        return subgradientL0;
    }

    public int rounds() {
        return rounds;
    }

    public double epochs() {
        return epochs;
    }

    public double tol() {
        return tol;
    }

    public double smoothnessTol() {
        return smoothnessTol;
    }
}
