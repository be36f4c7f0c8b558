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
import org.blora.data.DataFrameClients;
import org.blora.io.RunFolder;
import org.blora.io.RunOutputs;

/**
 * Bernoulli-LoRA fine-tuning of the MLP classifier (model.type=mlp: Linear, ReLU, dropout; log-softmax and NLL;
 * a chain W0 + sum_t B_t A_t on every weight matrix; Bernoulli-LoRA, arXiv 2508.03820, section 7.2) as a Spark ML
 * {@link Estimator}. {@code fit(df)} trains on the DataFrame's rows (a vector column of features, the class index
 * 0..K-1 as the label; the partitions in order become {@code clients} federated clients) with the same
 * {@link TrainRun} the command line uses, and returns a {@link BernoulliLoRAClassificationModel} that adds the
 * predicted class, the class probabilities and the log-probabilities. Every Param is a train key (the doc of
 * each says which); {@code basePath} is the adapter.safetensors of a finished run whose merged weights are the
 * pre-trained base model (model.init). With {@code validationFraction} > 0 a seeded share of the rows is held
 * out and scored every evaluation, which early stopping and the plateau schedule watch.
 */
public final class BernoulliLoRAClassifier extends Estimator<BernoulliLoRAClassificationModel>
        implements DefaultParamsWritable {
    private static final long serialVersionUID = 1L;

    private final String uid;
    private final Param<String> featuresCol;
    private final Param<String> labelCol;
    private final Param<String> predictionCol;
    private final Param<String> probabilityCol;
    private final Param<String> rawPredictionCol;
    private final Param<String> layers;
    private final DoubleParam dropout;
    private final Param<String> basePath;
    private final Param<String> method;
    private final IntParam rank;
    private final DoubleParam p;
    private final Param<String> modules;
    private final Param<String> coin;
    private final Param<String> firstSide;
    private final Param<String> linkSteps;
    private final DoubleParam linkEpochs;
    private final Param<String> optimizer;
    private final Param<String> estimator;
    private final DoubleParam stepSize;
    private final IntParam batch;
    private final DoubleParam epochs;
    private final IntParam rounds;
    private final LongParam seed;
    private final IntParam clients;
    private final Param<String> metricsEvery;
    private final DoubleParam validationFraction;
    private final IntParam earlyStopPatience;
    private final IntParam plateauPatience;


    public BernoulliLoRAClassifier() {
        this(Identifiable$.MODULE$.randomUID("bloraClassifier"));
    }

    public BernoulliLoRAClassifier(String uid) {
        this.uid = uid;
        featuresCol = new Param<>(this, "featuresCol", "features column (a vector)");
        labelCol = new Param<>(this, "labelCol", "label column: the class index 0..K-1 as a number");
        predictionCol = new Param<>(this, "predictionCol", "predicted class column (a double)");
        probabilityCol = new Param<>(this, "probabilityCol", "class probabilities column (a vector; empty = none)");
        rawPredictionCol = new Param<>(this, "rawPredictionCol", "class log-probabilities column (a vector; empty = none)");
        layers = new Param<>(this, "layers", "model.layers: widths from the input features to the classes, e.g. 784,64,64,5");
        dropout = new DoubleParam(this, "dropout", "model.dropout: dropout rate after every hidden layer (training minibatches only)");
        basePath = new Param<>(this, "basePath", "model.init: adapter.safetensors of a finished run (the pre-trained base model), or empty for PyTorch's default init from seed");
        method = new Param<>(this, "method", "lora.method: bernoulli, rac, fpft, lora, cola, asymm");
        rank = new IntParam(this, "rank", "lora.rank: rank r of every chain link");
        p = new DoubleParam(this, "p", "lora.p: probability of the left sketch (A trained)");
        modules = new Param<>(this, "modules", "lora.modules: the adapted weight matrices (e.g. l1,l2); empty = all");
        coin = new Param<>(this, "coin", "lora.coin: shared or per-module");
        firstSide = new Param<>(this, "firstSide", "lora.first.side: random, A or B");
        linkSteps = new Param<>(this, "linkSteps", "lora.link.steps: optimiser steps per chain link, or auto");
        linkEpochs = new DoubleParam(this, "linkEpochs", "lora.link.epochs: merge every this many epochs instead (0 = use linkSteps)");
        optimizer = new Param<>(this, "optimizer", "optim.optimizer: sgd or adamw");
        estimator = new Param<>(this, "estimator", "optim.estimator: gd, sgd, page, mvr");
        stepSize = new DoubleParam(this, "stepSize", "optim.step.size: the step size (AdamW's learning rate)");
        batch = new IntParam(this, "batch", "optim.batch: minibatch size");
        epochs = new DoubleParam(this, "epochs", "optim.epochs: epoch budget");
        rounds = new IntParam(this, "rounds", "optim.rounds: round budget");
        seed = new LongParam(this, "seed", "run.seed: seed of every random draw");
        clients = new IntParam(this, "clients", "clients: federated clients = partitions of the data");
        metricsEvery = new Param<>(this, "metricsEvery", "run.metrics.every: rounds between evaluations, or epoch");
        validationFraction = new DoubleParam(this, "validationFraction", "share of the rows held out (drawn per row from seed) and scored for early stopping and the plateau schedule");
        earlyStopPatience = new IntParam(this, "earlyStopPatience", "optim.early.stop.patience: stop after this many evaluations without a better validation loss (0 = off)");
        plateauPatience = new IntParam(this, "plateauPatience", "optim.plateau.patience: step size / 10 after this many evaluations without a better validation loss (0 = off)");
        setDefault(featuresCol, "features");
        setDefault(labelCol, "label");
        setDefault(predictionCol, "prediction");
        setDefault(probabilityCol, "probability");
        setDefault(rawPredictionCol, "rawPrediction");
        setDefault(layers, "784,64,64,5");
        setDefault(dropout, 0.1);
        setDefault(basePath, "");
        setDefault(method, "bernoulli");
        setDefault(rank, 1);
        setDefault(p, 0.5);
        setDefault(modules, "");
        setDefault(coin, "shared");
        setDefault(firstSide, "random");
        setDefault(linkSteps, "auto");
        setDefault(linkEpochs, 0.0);
        setDefault(optimizer, "adamw");
        setDefault(estimator, "sgd");
        setDefault(stepSize, 2e-4);
        setDefault(batch, 128);
        setDefault(epochs, 10.0);
        setDefault(rounds, 1000000);
        setDefault(seed, 1L);
        setDefault(clients, 2);
        setDefault(metricsEvery, "epoch");
        setDefault(validationFraction, 0.0);
        setDefault(earlyStopPatience, 0);
        setDefault(plateauPatience, 0);
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

    public Param<String> probabilityCol() {
        return probabilityCol;
    }

    public Param<String> rawPredictionCol() {
        return rawPredictionCol;
    }

    public Param<String> layers() {
        return layers;
    }

    public DoubleParam dropout() {
        return dropout;
    }

    public Param<String> basePath() {
        return basePath;
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

    public Param<String> modules() {
        return modules;
    }

    public Param<String> coin() {
        return coin;
    }

    public Param<String> firstSide() {
        return firstSide;
    }

    public Param<String> linkSteps() {
        return linkSteps;
    }

    public DoubleParam linkEpochs() {
        return linkEpochs;
    }

    public Param<String> optimizer() {
        return optimizer;
    }

    public Param<String> estimator() {
        return estimator;
    }

    public DoubleParam stepSize() {
        return stepSize;
    }

    public IntParam batch() {
        return batch;
    }

    public DoubleParam epochs() {
        return epochs;
    }

    public IntParam rounds() {
        return rounds;
    }

    public LongParam seed() {
        return seed;
    }

    public IntParam clients() {
        return clients;
    }

    public Param<String> metricsEvery() {
        return metricsEvery;
    }

    public DoubleParam validationFraction() {
        return validationFraction;
    }

    public IntParam earlyStopPatience() {
        return earlyStopPatience;
    }

    public IntParam plateauPatience() {
        return plateauPatience;
    }

    public BernoulliLoRAClassifier setFeaturesCol(String v) {
        return (BernoulliLoRAClassifier) set(featuresCol, v);
    }

    public BernoulliLoRAClassifier setLabelCol(String v) {
        return (BernoulliLoRAClassifier) set(labelCol, v);
    }

    public BernoulliLoRAClassifier setPredictionCol(String v) {
        return (BernoulliLoRAClassifier) set(predictionCol, v);
    }

    public BernoulliLoRAClassifier setProbabilityCol(String v) {
        return (BernoulliLoRAClassifier) set(probabilityCol, v);
    }

    public BernoulliLoRAClassifier setRawPredictionCol(String v) {
        return (BernoulliLoRAClassifier) set(rawPredictionCol, v);
    }

    public BernoulliLoRAClassifier setLayers(String v) {
        return (BernoulliLoRAClassifier) set(layers, v);
    }

    public BernoulliLoRAClassifier setDropout(double v) {
        return (BernoulliLoRAClassifier) set(dropout, (Object) v);
    }

    public BernoulliLoRAClassifier setBasePath(String v) {
        return (BernoulliLoRAClassifier) set(basePath, v);
    }

    public BernoulliLoRAClassifier setMethod(String v) {
        return (BernoulliLoRAClassifier) set(method, v);
    }

    public BernoulliLoRAClassifier setRank(int v) {
        return (BernoulliLoRAClassifier) set(rank, (Object) v);
    }

    public BernoulliLoRAClassifier setP(double v) {
        return (BernoulliLoRAClassifier) set(p, (Object) v);
    }

    public BernoulliLoRAClassifier setModules(String v) {
        return (BernoulliLoRAClassifier) set(modules, v);
    }

    public BernoulliLoRAClassifier setCoin(String v) {
        return (BernoulliLoRAClassifier) set(coin, v);
    }

    public BernoulliLoRAClassifier setFirstSide(String v) {
        return (BernoulliLoRAClassifier) set(firstSide, v);
    }

    public BernoulliLoRAClassifier setLinkSteps(String v) {
        return (BernoulliLoRAClassifier) set(linkSteps, v);
    }

    public BernoulliLoRAClassifier setLinkEpochs(double v) {
        return (BernoulliLoRAClassifier) set(linkEpochs, (Object) v);
    }

    public BernoulliLoRAClassifier setOptimizer(String v) {
        return (BernoulliLoRAClassifier) set(optimizer, v);
    }

    public BernoulliLoRAClassifier setEstimator(String v) {
        return (BernoulliLoRAClassifier) set(estimator, v);
    }

    public BernoulliLoRAClassifier setStepSize(double v) {
        return (BernoulliLoRAClassifier) set(stepSize, (Object) v);
    }

    public BernoulliLoRAClassifier setBatch(int v) {
        return (BernoulliLoRAClassifier) set(batch, (Object) v);
    }

    public BernoulliLoRAClassifier setEpochs(double v) {
        return (BernoulliLoRAClassifier) set(epochs, (Object) v);
    }

    public BernoulliLoRAClassifier setRounds(int v) {
        return (BernoulliLoRAClassifier) set(rounds, (Object) v);
    }

    public BernoulliLoRAClassifier setSeed(long v) {
        return (BernoulliLoRAClassifier) set(seed, (Object) v);
    }

    public BernoulliLoRAClassifier setClients(int v) {
        return (BernoulliLoRAClassifier) set(clients, (Object) v);
    }

    public BernoulliLoRAClassifier setMetricsEvery(String v) {
        return (BernoulliLoRAClassifier) set(metricsEvery, v);
    }

    public BernoulliLoRAClassifier setValidationFraction(double v) {
        return (BernoulliLoRAClassifier) set(validationFraction, (Object) v);
    }

    public BernoulliLoRAClassifier setEarlyStopPatience(int v) {
        return (BernoulliLoRAClassifier) set(earlyStopPatience, (Object) v);
    }

    public BernoulliLoRAClassifier setPlateauPatience(int v) {
        return (BernoulliLoRAClassifier) set(plateauPatience, (Object) v);
    }


    private String str(Param<String> param) {
        return getOrDefault(param);
    }

    private String num(Param<Object> param) {
        return String.valueOf(getOrDefault(param));
    }

    /** The train job's configuration these Params stand for (the rest at the job's defaults). */
    public Map<String, String> configuration(String dataName) {
        Map<String, String> c = new LinkedHashMap<>();
        c.put("data.source", "dataframe");
        c.put("data.path", dataName);
        c.put("clients", num(clients));
        c.put("model.type", "mlp");
        c.put("model.layers", str(layers));
        c.put("model.dropout", num(dropout));
        c.put("model.init", str(basePath));
        c.put("lora.method", str(method));
        c.put("lora.rank", num(rank));
        c.put("lora.p", num(p));
        c.put("lora.modules", str(modules));
        c.put("lora.coin", str(coin));
        c.put("lora.first.side", str(firstSide));
        if ((Double) getOrDefault(linkEpochs) > 0) {
            c.put("lora.link.epochs", num(linkEpochs));
        } else {
            c.put("lora.link.steps", str(linkSteps));
        }
        c.put("optim.optimizer", str(optimizer));
        c.put("optim.estimator", str(estimator));
        c.put("optim.batch", num(batch));
        c.put("optim.step.rule", "constant");
        c.put("optim.step.size", num(stepSize));
        c.put("optim.epochs", num(epochs));
        c.put("optim.rounds", num(rounds));
        c.put("optim.tol", "0");
        c.put("optim.early.stop.patience", num(earlyStopPatience));
        c.put("optim.plateau.patience", num(plateauPatience));
        c.put("reg.lambda", "0");
        c.put("run.metrics.every", str(metricsEvery));
        c.put("run.seed", num(seed));
        c.put("run.progress.seconds", "1e9");
        return c;
    }

    @Override
    public BernoulliLoRAClassificationModel fit(Dataset<?> dataset) {
        @SuppressWarnings("unchecked")
        Dataset<Row> df = (Dataset<Row>) dataset;
        TrainSpec spec = new TrainSpec(RunConfig.of(configuration(uid)));
        double fraction = (Double) getOrDefault(validationFraction);
        if (!(fraction >= 0 && fraction < 1)) {
            throw new IllegalArgumentException("validationFraction must be in [0, 1), got " + fraction);
        }
        String f = getOrDefault(featuresCol);
        String l = getOrDefault(labelCol);
        DataFrameClients.Clients train;
        DataFrameClients.Clients validation = null;
        if (fraction > 0) {
            DataFrameClients.Clients[] parts = DataFrameClients.split(df, f, l, fraction, spec.seed(), spec.clients(), spec.blockBytes());
            train = parts[0];
            validation = parts[1];
        } else {
            train = DataFrameClients.of(df, f, l, spec.clients(), spec.blockBytes());
        }
        java.nio.file.Path dir;
        try {
            dir = Files.createTempDirectory("blora-fit-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        RunFolder out = new RunFolder(dir.toUri().toString(), df.sparkSession().sparkContext().hadoopConfiguration());
        PrintStream quiet = new PrintStream(PrintStream.nullOutputStream());
        try (DataSession session = new DataSession(df.sparkSession(), quiet)) {
            session.offer(uid, train);
            if (validation != null) {
                session.offerValidation(uid, validation);
            }
            TrainRun.Outcome o = TrainRun.run(new TrainRun.Context(session, spec, out, quiet, null));
            BernoulliLoRAClassificationModel model = new BernoulliLoRAClassificationModel(uid, spec.layers(), o.chain().w(),
                    out.read("adapter/adapter.safetensors"), out.readText("adapter/" + RunOutputs.CHAIN));
            model.setParent(this);
            model.trainedFor(o.result().stopReason().text, o.result().epochs());
            model.set(model.featuresCol(), f);
            model.set(model.predictionCol(), getOrDefault(predictionCol));
            model.set(model.probabilityCol(), getOrDefault(probabilityCol));
            model.set(model.rawPredictionCol(), getOrDefault(rawPredictionCol));
            return model;
        } finally {
            try (java.util.stream.Stream<java.nio.file.Path> files = Files.walk(dir)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException e) {
                // a leftover temporary folder is harmless
            }
        }
    }

    @Override
    public StructType transformSchema(StructType schema) {
        return BernoulliLoRAClassificationModel.outputSchema(schema, getOrDefault(predictionCol), getOrDefault(probabilityCol),
                getOrDefault(rawPredictionCol));
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
