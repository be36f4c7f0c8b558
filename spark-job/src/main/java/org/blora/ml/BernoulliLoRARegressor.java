package org.blora.ml;

import java.util.Arrays;
import java.util.Map;
import org.apache.spark.ml.param.DoubleParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.util.DefaultParamsReader;
import org.apache.spark.ml.util.Identifiable$;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.sql.types.StructType;
import org.blora.app.TrainRun;
import org.blora.config.Choice;
import org.blora.config.StepRuleKind;
import org.blora.core.linalg.Shape;
import org.blora.io.RunFolder;

/**
 * Bernoulli-LoRA fine-tuning of a linear least-squares model (arXiv 2508.03820) as a Spark ML estimator:
 * {@code fit(df)} views the d coefficients as a matrix W (m x n = d, {@code shape}) and trains
 * W = W0 + sum_t B_t A_t on the rows (a vector column of features, a numeric label) with the command line's
 * trainer; the {@link BernoulliLoRARegressionModel} predicts x . vec(W), with no intercept. The non-convex
 * regulariser of the paper is off by default ({@code regLambda=0}; {@code auto} is the paper's choice).
 */
public final class BernoulliLoRARegressor extends BloraEstimator<BernoulliLoRARegressionModel, BernoulliLoRARegressor> {
    private static final long serialVersionUID = 1L;

    public BernoulliLoRARegressor() {
        this(Identifiable$.MODULE$.randomUID("bloraRegressor"));
    }

    public BernoulliLoRARegressor(String uid) {
        super(uid);
    }

    public Param<String> shape() {
        return ParamTable.string(this, paramTable(), "shape", "the d coefficients viewed as W (row-major): MxN with M N = d, "
                + "or auto = the squarest M x N = d (M <= N the largest divisor of d up to sqrt(d): 64x64 for 4096, 2x5 for 10, "
                + "1xd for a prime d, where only rank 1 fits)", "auto",
                ParamCheck.that("shape", "auto or MxN (e.g. 4x4)", v -> "auto".equals(v) || Shape.parse((String) v) != null));
    }

    public Param<String> stepRule() {
        return ParamTable.string(this, paramTable(), "stepRule", "theory (gamma = stepC / L_hat, L_hat estimated from X^T X) "
                + "or constant (gamma = stepSize)", "theory",
                ParamCheck.oneOf("stepRule", Arrays.stream(StepRuleKind.values()).map(Choice::key).toList()));
    }

    public DoubleParam stepC() {
        return ParamTable.real(this, paramTable(), "stepC", "c of the theory rule", 1.0, ParamCheck.above("stepC", 0));
    }

    public DoubleParam tol() {
        return ParamTable.real(this, paramTable(), "tol", "stop when ||grad f||^2 <= tol", 1e-12, ParamCheck.atLeast("tol", 0));
    }

    public BernoulliLoRARegressor setShape(String v) {
        return with(shape(), v);
    }

    public BernoulliLoRARegressor setStepRule(String v) {
        return with(stepRule(), v);
    }

    public BernoulliLoRARegressor setStepC(double v) {
        return with(stepC(), v);
    }

    public BernoulliLoRARegressor setTol(double v) {
        return with(tol(), v);
    }

    @Override
    Map<String, String> fixedKeys() {
        return ParamKeys.LINEAR;
    }

    @Override
    BernoulliLoRARegressionModel createModel(TrainRun.Outcome o, RunFolder run) {
        return new BernoulliLoRARegressionModel(uid(), o.setup().model(), o.chain().w(), RunAdapter.ofRun(run));
    }

    @Override
    public StructType transformSchema(StructType schema) {
        return BernoulliLoRARegressionModel.withPrediction(schema, getPredictionCol());
    }

    @Override
    public BernoulliLoRARegressor copy(ParamMap extra) {
        return (BernoulliLoRARegressor) defaultCopy(extra);
    }

    public static MLReader<BernoulliLoRARegressor> read() {
        return new DefaultParamsReader<>();
    }

    public static BernoulliLoRARegressor load(String path) {
        return read().load(path);
    }
}
