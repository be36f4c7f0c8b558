package org.blora.config;

import java.util.List;
import java.util.Set;
import java.util.function.Function;
import org.blora.core.chain.Method;
import org.blora.core.federated.ProtocolKind;
import org.blora.core.linalg.Shape;
import org.blora.core.oracle.ClientWeighting;

/**
 * The rules between sections: combinations of keys that are each valid alone but cannot run together. Each rule
 * is named, returns its one-line message (the keys and the fix) when the specification breaks it, and is tested
 * by name (ConfigRulesTest). {@link TrainSpec} checks them in this order after every section has parsed its keys;
 * rules within one section are checked by the section itself.
 */
public final class ConfigRules {
    /** A named rule: the message when {@code spec} breaks it, null when it holds. */
    public record Rule(String name, Function<TrainSpec, String> violation) {
    }

    private static final Set<DataSource> CLASS_LABELLED = Set.of(DataSource.MNIST, DataSource.PATH, DataSource.DATAFRAME);
    private static final Set<DataSource> WITH_VALIDATION = Set.of(DataSource.MNIST, DataSource.DATAFRAME);

    public static final List<Rule> RULES = List.of(
            new Rule("mlp-needs-class-labels", ConfigRules::mlpNeedsClassLabels),
            new Rule("mnist-needs-mlp", ConfigRules::mnistNeedsMlp),
            new Rule("theory-step-needs-linear", ConfigRules::theoryStepNeedsLinear),
            new Rule("patience-needs-validation", ConfigRules::patienceNeedsValidation),
            new Rule("pretrain-or-init", ConfigRules::pretrainOrInit),
            new Rule("counterexample-has-no-rows", ConfigRules::counterexampleHasNoRows),
            new Rule("page-mvr-refuse-dropout", ConfigRules::pageMvrRefuseDropout),
            new Rule("polyak-auto-needs-non-smooth", ConfigRules::polyakAutoNeedsNonSmooth),
            new Rule("loss-needs-linear", ConfigRules::lossNeedsLinear),
            new Rule("non-smooth-refuses-regulariser", ConfigRules::nonSmoothRefusesRegulariser),
            new Rule("sign-labels-need-generator", ConfigRules::signLabelsNeedGenerator),
            new Rule("sign-labels-refuse-shift", ConfigRules::signLabelsRefuseShift),
            new Rule("hinge-needs-sign-labels", ConfigRules::hingeNeedsSignLabels),
            new Rule("non-smooth-needs-row-weighting", ConfigRules::nonSmoothNeedsRowWeighting),
            new Rule("protocol-needs-gd", ConfigRules::protocolNeedsGd),
            new Rule("sketch-first-needs-plain-linear-gd", ConfigRules::sketchFirstNeedsPlainLinearGd),
            new Rule("shape-fits-features", ConfigRules::shapeFitsFeatures),
            new Rule("rank-fits-shape", ConfigRules::rankFitsShape),
            new Rule("batch-fits-rows", ConfigRules::batchFitsRows));

    private ConfigRules() {
    }

    /** Every rule in order; the first broken one is the error. */
    static void check(TrainSpec spec) {
        for (Rule r : RULES) {
            String message = r.violation().apply(spec);
            if (message != null) {
                throw new ConfigException(message);
            }
        }
    }

    static String mlpNeedsClassLabels(TrainSpec s) {
        return s.model().type().classifier() && !CLASS_LABELLED.contains(s.data().source())
                ? ModelSection.TYPE.is(s.model().type().key()) + " is a classifier: use data.source=mnist (or path with class "
                        + "labels)" : null;
    }

    static String mnistNeedsMlp(TrainSpec s) {
        return s.data().source() == DataSource.MNIST && !s.model().type().classifier()
                ? "data.source=mnist needs model.type=mlp" : null;
    }

    static String theoryStepNeedsLinear(TrainSpec s) {
        return !s.model().type().linear() && s.optim().stepRule() == StepRuleKind.THEORY
                ? "optim.step.rule=theory estimates L from X^T X, which only model.type=linear has: "
                        + "set optim.step.rule=constant and optim.step.size" : null;
    }

    static String patienceNeedsValidation(TrainSpec s) {
        return (s.optim().earlyStopPatience() > 0 || s.optim().plateauPatience() > 0)
                && !WITH_VALIDATION.contains(s.data().source())
                ? OptimSection.EARLY_STOP_PATIENCE + " and " + OptimSection.PLATEAU_PATIENCE + " watch the validation loss: "
                        + "they need data.source=mnist (which has a validation split; in Spark ML, a validationFraction)" : null;
    }

    static String pretrainOrInit(TrainSpec s) {
        return s.pretrain().enabled() && s.model().init().kind() != ModelInit.Kind.ZEROS
                ? ModelSection.INIT.is(s.config().text(ModelSection.INIT)) + " conflicts with pretrain=true (the pre-trained W "
                        + "is W0); unset one of them" : null;
    }

    static String counterexampleHasNoRows(TrainSpec s) {
        return s.data().source() == DataSource.COUNTEREXAMPLE
                && (s.pretrain().enabled() || s.optim().estimator() != EstimatorKind.GD)
                ? "data.source=counterexample has no data rows: use optim.estimator=gd and pretrain=false" : null;
    }

    /** PAGE and MVR difference minibatch gradients against full ones: with dropout they would mix two objectives. */
    static String pageMvrRefuseDropout(TrainSpec s) {
        EstimatorKind e = s.optim().estimator();
        return s.model().type().takesDropout() && s.model().dropout() > 0 && (e == EstimatorKind.PAGE || e == EstimatorKind.MVR)
                ? OptimSection.ESTIMATOR.is(e.key()) + " with " + ModelSection.DROPOUT.is(s.config().text(ModelSection.DROPOUT))
                        + ": its full gradients run without dropout and its minibatch differences with it, two objectives; "
                        + "set model.dropout=0 (or optim.estimator=sgd)" : null;
    }

    static String polyakAutoNeedsNonSmooth(TrainSpec s) {
        return s.optim().polyakFStarAuto() && !s.model().loss().nonSmooth()
                ? "optim.polyak.fstar=auto is computed for model.loss=lad or hinge only: set optim.polyak.fstar=F" : null;
    }

    static String lossNeedsLinear(TrainSpec s) {
        LossKind loss = s.model().loss();
        return loss != LossKind.SQUARES && !s.model().type().linear()
                ? ModelSection.LOSS.is(loss.key()) + " is a loss of the linear model: set model.type=linear or model.loss=squares"
                : null;
    }

    static String nonSmoothRefusesRegulariser(TrainSpec s) {
        LossKind loss = s.model().loss();
        return loss.nonSmooth() && s.model().lambda() > 0
                ? ModelSection.LAMBDA.is(s.config().text(ModelSection.LAMBDA)) + ": the non-convex regulariser breaks the "
                        + "convexity " + ModelSection.LOSS.is(loss.key()) + " relies on; set reg.lambda=0 (or auto, which is 0 "
                        + "for lad and hinge)" : null;
    }

    static String signLabelsNeedGenerator(TrainSpec s) {
        return s.labels() == LabelKind.SIGN && s.data().source() != DataSource.SYNTHETIC_REGRESSION
                ? "data.labels=sign is made by the synthetic generator: set data.source=synthetic-regression or data.labels=auto"
                : null;
    }

    static String signLabelsRefuseShift(TrainSpec s) {
        return s.labels() == LabelKind.SIGN && s.data().split().shift() != 0.0
                ? "data.labels=sign takes the labels from the hyperplane, which a target shift does not move: "
                        + "set data.client.shift=0" : null;
    }

    static String hingeNeedsSignLabels(TrainSpec s) {
        return s.model().loss() == LossKind.HINGE && s.data().source() == DataSource.SYNTHETIC_REGRESSION
                && s.labels() != LabelKind.SIGN
                ? "model.loss=hinge needs labels -1/+1: set data.labels=sign (or auto) for the synthetic data" : null;
    }

    static String nonSmoothNeedsRowWeighting(TrainSpec s) {
        return s.model().loss().nonSmooth() && s.fed().weighting() != ClientWeighting.ROWS
                ? FederatedSection.WEIGHTING.is(s.config().text(FederatedSection.WEIGHTING)) + " with "
                        + ModelSection.LOSS.is(s.model().loss().key())
                        + ": f*, L0 and R are computed for the row-weighted objective; set fed.weighting=rows" : null;
    }

    static String protocolNeedsGd(TrainSpec s) {
        ProtocolKind p = s.fed().protocol();
        return p != ProtocolKind.NONE && s.optim().estimator() != EstimatorKind.GD
                ? FederatedSection.PROTOCOL.is(p.key()) + " runs on local full gradients: set optim.estimator=gd" : null;
    }

    static String sketchFirstNeedsPlainLinearGd(TrainSpec s) {
        boolean plain = s.model().type().linear() && s.optim().adamw() == null && s.chain().linkSteps() <= 1
                && s.fed().protocol() == ProtocolKind.NONE
                && Set.of(EstimatorKind.GD, EstimatorKind.SGD).contains(s.optim().estimator())
                && Set.of(Method.BERNOULLI, Method.RAC).contains(s.chain().method());
        return s.fed().sketchFirst() && !plain
                ? "fed.sketch.first=true needs model.type=linear, optim.optimizer=sgd, one step per link, "
                        + "fed.protocol=none, optim.estimator=gd or sgd and lora.method=bernoulli or rac" : null;
    }

    /** The shape W takes before any data is read: from data.features when generated, else model.shape; null if unknown. */
    private static Shape knownShape(TrainSpec s) {
        if (s.data().synthetic() != null) {
            return s.model().shapeFor(s.data().synthetic().features());
        }
        if (s.data().source() == DataSource.COUNTEREXAMPLE) {
            return s.model().shapeFor(s.data().counterexampleFeatures());
        }
        return s.model().fixedShape();
    }

    static String shapeFitsFeatures(TrainSpec s) {
        try {
            knownShape(s);
            return null;
        } catch (ConfigException e) {
            return e.getMessage();
        }
    }

    static String rankFitsShape(TrainSpec s) {
        Shape shape = knownShape(s);
        return shape == null ? null : rankFits(s, shape);
    }

    /** lora.rank against min(m, n) of W's shape (also checked once the data give the shape). */
    static String rankFits(TrainSpec s, Shape shape) {
        int max = Math.min(shape.m(), shape.n());
        int rank = s.chain().rank();
        return s.chain().method() != Method.FPFT && rank > max
                ? ChainSection.RANK.is(rank) + " exceeds min(m, n)=" + max + " for " + ModelSection.SHAPE.is(shape)
                        + " (set lora.rank <= " + max + ")" : null;
    }

    static String batchFitsRows(TrainSpec s) {
        int batch = s.optim().batch();
        return s.data().synthetic() != null && s.optim().estimator().minibatch() && batch > s.data().synthetic().rows()
                ? OptimSection.BATCH + " (" + batch + ") exceeds " + DataSection.ROWS + " (" + s.data().synthetic().rows()
                        + "); lower optim.batch" : null;
    }
}
