package org.blora.ml;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.spark.ml.Estimator;
import org.apache.spark.ml.param.DoubleParam;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.LongParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.util.DefaultParamsReader;
import org.apache.spark.ml.util.DefaultParamsWritable;
import org.apache.spark.ml.util.Identifiable$;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.StructType;
import org.blora.app.DataSession;
import org.blora.app.TrainRun;
import org.blora.config.RunConfig;
import org.blora.config.TrainSpec;
import org.blora.core.chain.LowRankChain;
import org.blora.core.model.Module;
import org.blora.data.DataFrameClients;
import org.blora.io.RunFolder;

/**
 * Bernoulli-LoRA fine-tuning of a linear least-squares model as a Spark ML {@link Estimator}: {@code fit(df)}
 * trains W = W0 + sum_t B_t A_t on the DataFrame's rows (a vector column of features, a numeric label; the
 * DataFrame's partitions in order become {@code clients} federated clients) with the same trainer the command
 * line uses, and returns a {@link BernoulliLoRARegressionModel} predicting x . vec(W). Every Param is a
 * configuration key of the train job (the doc of each says which); {@code basePath} is the adapter.safetensors
 * of a finished run to start from (model.init).
 */
public final class BernoulliLoRARegressor extends Estimator<BernoulliLoRARegressionModel>
        implements DefaultParamsWritable {
    private static final long serialVersionUID = 1L;

    private final String uid;
    private final Param<String> featuresCol;
    private final Param<String> labelCol;
    private final Param<String> predictionCol;
    private final Param<String> method;
    private final IntParam rank;
    private final DoubleParam p;
    private final Param<String> estimator;
    private final Param<String> stepRule;
    private final DoubleParam stepSize;
    private final DoubleParam stepC;
    private final IntParam rounds;
    private final DoubleParam tol;
    private final LongParam seed;
    private final IntParam clients;
    private final Param<String> shape;
    private final Param<String> basePath;
    private final Param<String> regLambda;

    public BernoulliLoRARegressor() {
        this(Identifiable$.MODULE$.randomUID("blora"));
    }

    public BernoulliLoRARegressor(String uid) {
        this.uid = uid;
        featuresCol = new Param<>(this, "featuresCol", "features column (a vector)");
        labelCol = new Param<>(this, "labelCol", "label column (numeric)");
        predictionCol = new Param<>(this, "predictionCol", "prediction column");
        method = new Param<>(this, "method", "lora.method: bernoulli, rac, fpft, lora, cola, asymm");
        rank = new IntParam(this, "rank", "lora.rank: rank r of every chain link");
        p = new DoubleParam(this, "p", "lora.p: probability of the left sketch (A trained)");
        estimator = new Param<>(this, "estimator", "optim.estimator: gd, sgd, page, mvr");
        stepRule = new Param<>(this, "stepRule", "optim.step.rule: theory (c / L_hat) or constant");
        stepSize = new DoubleParam(this, "stepSize", "optim.step.size: gamma of the constant rule");
        stepC = new DoubleParam(this, "stepC", "optim.step.c: c of the theory rule");
        rounds = new IntParam(this, "rounds", "optim.rounds: round budget");
        tol = new DoubleParam(this, "tol", "optim.tol: stop when ||grad f||^2 <= tol");
        seed = new LongParam(this, "seed", "run.seed: seed of every random draw");
        clients = new IntParam(this, "clients", "clients: federated clients = partitions of the data");
        shape = new Param<>(this, "shape", "model.shape: MxN view of the coefficients as W, or auto (square)");
        basePath = new Param<>(this, "basePath", "model.init: adapter.safetensors of a finished run (the pre-trained W0), or empty for zeros");
        regLambda = new Param<>(this, "regLambda", "reg.lambda: weight of the non-convex regulariser, or auto");
        setDefault(featuresCol, "features");
        setDefault(labelCol, "label");
        setDefault(predictionCol, "prediction");
        setDefault(method, "bernoulli");
        setDefault(rank, 1);
        setDefault(p, 0.5);
        setDefault(estimator, "gd");
        setDefault(stepRule, "theory");
        setDefault(stepSize, 0.1);
        setDefault(stepC, 1.0);
        setDefault(rounds, 1000);
        setDefault(tol, 1e-12);
        setDefault(seed, 1L);
        setDefault(clients, 2);
        setDefault(shape, "auto");
        setDefault(basePath, "");
        setDefault(regLambda, "auto");
    }

    @Override
    public String uid() {
        return uid;
    }

    public Param<String> featuresCol() {
        return featuresCol;
    }

    public Param<String> labelCol() {
        return labelCol;
    }

    public Param<String> predictionCol() {
        return predictionCol;
    }

    public Param<String> method() {
        return method;
    }

    public IntParam rank() {
        return rank;
    }

    public DoubleParam p() {
        return p;
    }

    public Param<String> estimator() {
        return estimator;
    }

    public Param<String> stepRule() {
        return stepRule;
    }

    public DoubleParam stepSize() {
        return stepSize;
    }

    public DoubleParam stepC() {
        return stepC;
    }

    public IntParam rounds() {
        return rounds;
    }

    public DoubleParam tol() {
        return tol;
    }

    public LongParam seed() {
        return seed;
    }

    public IntParam clients() {
        return clients;
    }

    public Param<String> shape() {
        return shape;
    }

    public Param<String> basePath() {
        return basePath;
    }

    public Param<String> regLambda() {
        return regLambda;
    }

    public BernoulliLoRARegressor setFeaturesCol(String v) {
        return (BernoulliLoRARegressor) set(featuresCol, v);
    }

    public BernoulliLoRARegressor setLabelCol(String v) {
        return (BernoulliLoRARegressor) set(labelCol, v);
    }

    public BernoulliLoRARegressor setPredictionCol(String v) {
        return (BernoulliLoRARegressor) set(predictionCol, v);
    }

    public BernoulliLoRARegressor setMethod(String v) {
        return (BernoulliLoRARegressor) set(method, v);
    }

    public BernoulliLoRARegressor setRank(int v) {
        return (BernoulliLoRARegressor) set(rank, (Object) v);
    }

    public BernoulliLoRARegressor setP(double v) {
        return (BernoulliLoRARegressor) set(p, (Object) v);
    }

    public BernoulliLoRARegressor setEstimator(String v) {
        return (BernoulliLoRARegressor) set(estimator, v);
    }

    public BernoulliLoRARegressor setStepRule(String v) {
        return (BernoulliLoRARegressor) set(stepRule, v);
    }

    public BernoulliLoRARegressor setStepSize(double v) {
        return (BernoulliLoRARegressor) set(stepSize, (Object) v);
    }

    public BernoulliLoRARegressor setRounds(int v) {
        return (BernoulliLoRARegressor) set(rounds, (Object) v);
    }

    public BernoulliLoRARegressor setTol(double v) {
        return (BernoulliLoRARegressor) set(tol, (Object) v);
    }

    public BernoulliLoRARegressor setSeed(long v) {
        return (BernoulliLoRARegressor) set(seed, (Object) v);
    }

    public BernoulliLoRARegressor setClients(int v) {
        return (BernoulliLoRARegressor) set(clients, (Object) v);
    }

    public BernoulliLoRARegressor setShape(String v) {
        return (BernoulliLoRARegressor) set(shape, v);
    }

    public BernoulliLoRARegressor setBasePath(String v) {
        return (BernoulliLoRARegressor) set(basePath, v);
    }

    public BernoulliLoRARegressor setRegLambda(String v) {
        return (BernoulliLoRARegressor) set(regLambda, v);
    }

    /** The train job's configuration these Params stand for (the rest at the job's defaults). */
    public Map<String, String> configuration(String dataName) {
        Map<String, String> c = new LinkedHashMap<>();
        c.put("data.source", "dataframe");
        c.put("data.path", dataName);
        c.put("clients", Integer.toString((Integer) getOrDefault(clients)));
        c.put("model.shape", getOrDefault(shape));
        c.put("model.init", getOrDefault(basePath));
        c.put("lora.method", getOrDefault(method));
        c.put("lora.rank", Integer.toString((Integer) getOrDefault(rank)));
        c.put("lora.p", Double.toString((Double) getOrDefault(p)));
        c.put("optim.estimator", getOrDefault(estimator));
        c.put("optim.step.rule", getOrDefault(stepRule));
        c.put("optim.step.size", Double.toString((Double) getOrDefault(stepSize)));
        c.put("optim.step.c", Double.toString((Double) getOrDefault(stepC)));
        c.put("optim.rounds", Integer.toString((Integer) getOrDefault(rounds)));
        c.put("optim.tol", Double.toString((Double) getOrDefault(tol)));
        c.put("run.seed", Long.toString((Long) getOrDefault(seed)));
        c.put("reg.lambda", getOrDefault(regLambda));
        c.put("run.progress.seconds", "1e9");
        return c;
    }

    @Override
    public BernoulliLoRARegressionModel fit(Dataset<?> dataset) {
        @SuppressWarnings("unchecked")
        Dataset<Row> df = (Dataset<Row>) dataset;
        TrainSpec spec = new TrainSpec(RunConfig.of(configuration(uid)));
        DataFrameClients.Clients data = DataFrameClients.of(df, getOrDefault(featuresCol), getOrDefault(labelCol),
                spec.clients(), spec.blockBytes());
        java.nio.file.Path dir;
        try {
            dir = Files.createTempDirectory("blora-fit-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        RunFolder out = new RunFolder(dir.toUri().toString(), df.sparkSession().sparkContext().hadoopConfiguration());
        try (DataSession session = new DataSession(df.sparkSession(), new PrintStream(PrintStream.nullOutputStream()))) {
            session.offer(uid, data);
            TrainRun.Outcome o = TrainRun.run(new TrainRun.Context(session, spec, out, new PrintStream(PrintStream.nullOutputStream()), null));
            LowRankChain chain = o.chain();
            Module w = chain.layout().modules().get(0);
            BernoulliLoRARegressionModel model = new BernoulliLoRARegressionModel(uid, chain.w(), w.rows(), w.cols());
            model.setParent(this);
            return (BernoulliLoRARegressionModel) copyValues(model.set(model.featuresCol(), getOrDefault(featuresCol))
                    .set(model.predictionCol(), getOrDefault(predictionCol)), extractParamMap());
        } finally {
            try (java.util.stream.Stream<java.nio.file.Path> files = Files.walk(dir)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            } catch (IOException e) {
                // a leftover temporary folder is harmless
            }
        }
    }

    @Override
    public StructType transformSchema(StructType schema) {
        return BernoulliLoRARegressionModel.withPrediction(schema, getOrDefault(predictionCol));
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
