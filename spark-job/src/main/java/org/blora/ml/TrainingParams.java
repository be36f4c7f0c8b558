package org.blora.ml;

import java.util.Arrays;
import java.util.List;
import org.apache.spark.ml.param.DoubleParam;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.LongParam;
import org.apache.spark.ml.param.Param;
import org.blora.config.Choice;
import org.blora.config.EstimatorKind;
import org.blora.core.chain.Method;

/**
 * The training Params both estimators share: the label, the chain (method, rank, p, the base model), the optimiser
 * (gradient estimator, step size, batch, budget, seed), the regulariser, and where the run's folder is kept.
 * The models have no intercept: centre the label, or add a constant feature (for the linear model it is then one
 * entry of W and adapted like the others).
 */
public interface TrainingParams<S extends TrainingParams<S>> extends BloraParams<S> {
    default Param<String> labelCol() {
        return ParamTable.string(this, paramTable(), "labelCol",
                "label column (numeric; the classifier's is the class index 0..K-1)",
                "label", ParamCheck.that("labelCol", "a column name", v -> !((String) v).isEmpty()));
    }

    default Param<String> method() {
        List<String> methods = Arrays.stream(Method.values()).map(Method::key).toList();
        return ParamTable.string(this, paramTable(), "method", "fine-tuning method: bernoulli (Bernoulli-LoRA), rac "
                + "(RAC-LoRA: p 0 or 1), fpft (full fine-tuning), lora, cola, asymm", "bernoulli",
                ParamCheck.oneOf("method", methods));
    }

    default IntParam rank() {
        return ParamTable.integer(this, paramTable(), "rank",
                "rank r of every chain link (at most min(m, n) of each adapted matrix)",
                1, ParamCheck.atLeast("rank", 1));
    }

    default DoubleParam p() {
        return ParamTable.real(this, paramTable(), "p",
                "probability of the left sketch (A trained) in each link; 1 - p: B trained",
                0.5, ParamCheck.between("p", 0, 1, true));
    }

    default Param<String> basePath() {
        return ParamTable.string(this, paramTable(), "basePath", "the pre-trained base model W0: a finished run's "
                + "adapter.safetensors (its merged weights), or empty for zeros (linear) / PyTorch's default init from "
                + "seed (MLP)",
                "", ParamCheck.any("basePath"));
    }

    default Param<String> estimator() {
        List<String> kinds = Arrays.stream(EstimatorKind.values()).map(Choice::key).toList();
        return ParamTable.string(this, paramTable(), "estimator", "gradient estimator: gd (full gradient), sgd (minibatches "
                + "of batch rows), page, mvr", "gd", ParamCheck.oneOf("estimator", kinds));
    }

    default DoubleParam stepSize() {
        return ParamTable.real(this, paramTable(), "stepSize", "step size gamma (AdamW's learning rate for the MLP)", 0.1,
                ParamCheck.above("stepSize", 0));
    }

    default IntParam batch() {
        return ParamTable.integer(this, paramTable(), "batch", "minibatch size for sgd, page and mvr (at most the row count)",
                100, ParamCheck.atLeast("batch", 1));
    }

    default IntParam rounds() {
        return ParamTable.integer(this, paramTable(), "rounds", "round budget (optimiser steps)", 1000,
                ParamCheck.atLeast("rounds", 1));
    }

    default LongParam seed() {
        return ParamTable.longInteger(this, paramTable(), "seed", "seed of every random draw (sketches, coins, minibatches, "
                + "the validation share)", 1L, ParamCheck.atLeast("seed", 0));
    }

    default Param<String> regLambda() {
        return ParamTable.string(this, paramTable(), "regLambda", "weight lambda of the paper's non-convex regulariser "
                + "lambda sum_ij W_ij^2 / (1 + W_ij^2); 0 (the default) = none, as an MLlib model is unregularised by default; "
                + "auto = ||X^T X / N||_2, the paper's choice and the command line's default (linear model only)", "0",
                ParamCheck.that("regLambda", "auto or a number >= 0",
                        v -> "auto".equals(v) || Double.parseDouble((String) v) >= 0));
    }

    default Param<String> outputPath() {
        return ParamTable.string(this, paramTable(), "outputPath", "where fit keeps its run folder (metrics.csv, summary.json, "
                + "the adapter and its PEFT export); empty = a temporary folder, deleted when fit returns", "",
                ParamCheck.any("outputPath"));
    }

    default String getLabelCol() {
        return getOrDefault(labelCol());
    }

    default int getRank() {
        return (Integer) getOrDefault(rank());
    }

    default double getP() {
        return (Double) getOrDefault(p());
    }

    default String getOutputPath() {
        return getOrDefault(outputPath());
    }

    default S setLabelCol(String v) {
        return with(labelCol(), v);
    }

    default S setMethod(String v) {
        return with(method(), v);
    }

    default S setRank(int v) {
        return with(rank(), v);
    }

    default S setP(double v) {
        return with(p(), v);
    }

    default S setBasePath(String v) {
        return with(basePath(), v);
    }

    default S setEstimator(String v) {
        return with(estimator(), v);
    }

    default S setStepSize(double v) {
        return with(stepSize(), v);
    }

    default S setBatch(int v) {
        return with(batch(), v);
    }

    default S setRounds(int v) {
        return with(rounds(), v);
    }

    default S setSeed(long v) {
        return with(seed(), v);
    }

    default S setRegLambda(String v) {
        return with(regLambda(), v);
    }

    default S setOutputPath(String v) {
        return with(outputPath(), v);
    }
}
