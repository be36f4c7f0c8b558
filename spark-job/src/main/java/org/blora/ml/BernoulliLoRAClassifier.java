package org.blora.ml;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.spark.ml.param.DoubleParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.util.DefaultParamsReader;
import org.apache.spark.ml.util.Identifiable$;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.sql.types.StructType;
import org.blora.app.TrainRun;
import org.blora.io.RunFolder;

/**
 * Bernoulli-LoRA fine-tuning of an MLP classifier (Linear, ReLU, dropout; log-softmax and NLL; a chain
 * W0 + sum_t B_t A_t on every weight matrix; arXiv 2508.03820, section 7.2) as a Spark ML estimator. {@code fit(df)}
 * trains on the rows (a vector column of features, the class index 0..K-1 as the label) with the command line's
 * trainer, and returns a {@link BernoulliLoRAClassificationModel} that adds the predicted class, the class
 * probabilities and the log-probabilities. {@code basePath} is the pre-trained base model. Trained with a constant
 * step (AdamW by default) for {@code epochs} or {@code rounds}, whichever ends first; no regulariser by default.
 */
public final class BernoulliLoRAClassifier extends BloraEstimator<BernoulliLoRAClassificationModel, BernoulliLoRAClassifier>
        implements ClassifierColumnParams<BernoulliLoRAClassifier> {
    private static final long serialVersionUID = 1L;

    public BernoulliLoRAClassifier() {
        this(Identifiable$.MODULE$.randomUID("bloraClassifier"));
    }

    public BernoulliLoRAClassifier(String uid) {
        super(uid);
        // The paper's MNIST fine-tuning: AdamW 2e-4 on minibatches of 128, budgeted in epochs.
        setDefault(estimator(), "sgd");
        setDefault(stepSize(), 2e-4);
        setDefault(batch(), 128);
        setDefault(rounds(), 1_000_000);
    }

    public Param<String> layers() {
        return ParamTable.string(this, paramTable(), "layers", "widths from the input features to the classes, e.g. 784,64,64,5",
                "784,64,64,5", ParamCheck.that("layers", "two or more positive widths, e.g. 784,64,5",
                        v -> widths((String) v).size() >= 2 && widths((String) v).stream().allMatch(x -> x > 0)));
    }

    private static List<Integer> widths(String text) {
        return Arrays.stream(text.split(",")).map(String::trim).map(Integer::parseInt).toList();
    }

    public DoubleParam dropout() {
        return ParamTable.real(this, paramTable(), "dropout", "dropout rate after every hidden layer (training minibatches only)",
                0.1, ParamCheck.between("dropout", 0, 0.999, true));
    }

    public Param<String> modules() {
        return ParamTable.string(this, paramTable(), "modules", "the adapted weight matrices (e.g. l1,l2); empty = all", "",
                ParamCheck.any("modules"));
    }

    public Param<String> coin() {
        return ParamTable.string(this, paramTable(), "coin", "shared (one coin per link for every module) or per-module",
                "shared",
                ParamCheck.oneOf("coin", List.of("shared", "per-module")));
    }

    public Param<String> firstSide() {
        return ParamTable.string(this, paramTable(), "firstSide", "the first link's trained side: random, A or B", "random",
                ParamCheck.oneOf("firstSide", List.of("random", "A", "B")));
    }

    public Param<String> linkSteps() {
        return ParamTable.string(this, paramTable(), "linkSteps", "optimiser steps per chain link, or auto", "auto",
                ParamCheck.that("linkSteps", "auto or a number >= 0",
                        v -> "auto".equals(v) || Integer.parseInt((String) v) >= 0));
    }

    public DoubleParam linkEpochs() {
        return ParamTable.real(this, paramTable(), "linkEpochs", "merge every this many epochs instead (0 = use linkSteps)", 0.0,
                ParamCheck.atLeast("linkEpochs", 0));
    }

    public Param<String> optimizer() {
        return ParamTable.string(this, paramTable(), "optimizer", "sgd or adamw", "adamw",
                ParamCheck.oneOf("optimizer", List.of("sgd", "adamw")));
    }

    public DoubleParam epochs() {
        return ParamTable.real(this, paramTable(), "epochs", "epoch budget", 10.0, ParamCheck.above("epochs", 0));
    }

    public Param<String> metricsEvery() {
        return ParamTable.string(this, paramTable(), "metricsEvery", "rounds between evaluations, or epoch", "epoch",
                ParamCheck.that("metricsEvery", "epoch or a number >= 1",
                        v -> "epoch".equals(v) || Integer.parseInt((String) v) >= 1));
    }

    public BernoulliLoRAClassifier setLayers(String v) {
        return with(layers(), v);
    }

    public BernoulliLoRAClassifier setDropout(double v) {
        return with(dropout(), v);
    }

    public BernoulliLoRAClassifier setModules(String v) {
        return with(modules(), v);
    }

    public BernoulliLoRAClassifier setCoin(String v) {
        return with(coin(), v);
    }

    public BernoulliLoRAClassifier setFirstSide(String v) {
        return with(firstSide(), v);
    }

    public BernoulliLoRAClassifier setLinkSteps(String v) {
        return with(linkSteps(), v);
    }

    public BernoulliLoRAClassifier setLinkEpochs(double v) {
        return with(linkEpochs(), v);
    }

    public BernoulliLoRAClassifier setOptimizer(String v) {
        return with(optimizer(), v);
    }

    public BernoulliLoRAClassifier setEpochs(double v) {
        return with(epochs(), v);
    }

    public BernoulliLoRAClassifier setMetricsEvery(String v) {
        return with(metricsEvery(), v);
    }

    @Override
    Map<String, String> fixedKeys() {
        return ParamKeys.MLP;
    }

    @Override
    BernoulliLoRAClassificationModel createModel(TrainRun.Outcome o, RunFolder run) {
        return new BernoulliLoRAClassificationModel(uid(), o.setup().model(), o.chain().w(), RunAdapter.ofRun(run));
    }

    @Override
    public StructType transformSchema(StructType schema) {
        return BernoulliLoRAClassificationModel.outputSchema(schema, getPredictionCol(), getOrDefault(probabilityCol()),
                getOrDefault(rawPredictionCol()));
    }

    @Override
    public BernoulliLoRAClassifier copy(ParamMap extra) {
        return (BernoulliLoRAClassifier) defaultCopy(extra);
    }

    public static MLReader<BernoulliLoRAClassifier> read() {
        return new DefaultParamsReader<>();
    }

    public static BernoulliLoRAClassifier load(String path) {
        return read().load(path);
    }
}
