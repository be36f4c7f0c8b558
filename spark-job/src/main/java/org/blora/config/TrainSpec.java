package org.blora.config;

import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.blora.core.chain.ChainSpec;
import org.blora.core.chain.CoinMode;
import org.blora.core.chain.Method;
import org.blora.core.compress.Compressor;
import org.blora.core.compress.Compressors;
import org.blora.core.federated.Protocol;
import org.blora.core.federated.ProtocolKind;
import org.blora.core.linalg.Shape;
import org.blora.core.model.ModelKind;
import org.blora.core.model.ModelKinds;
import org.blora.core.optim.AdamW;
import org.blora.core.oracle.ClientWeighting;
import org.blora.core.sketch.Side;
import org.blora.core.sketch.SketchSampler;
import org.blora.data.ClientSplit;
import org.blora.data.DataFormat;
import org.blora.data.regression.RegressionSpec;

/**
 * The typed, validated, immutable specification of one training run, built once from a {@link RunConfig}.
 * Everything that can be checked without data is checked here, before Spark starts, with one line that names
 * the key and the fix; the shape against the data's feature count is checked by {@link #shapeFor(int)} right
 * after reading, still before anything is written.
 */
public final class TrainSpec {
    private final RunConfig config;
    private final DataSource source;
    private final String path;
    private final DataFormat format;
    private final PostProcess postprocess;
    private final String cacheDir;
    private final double curvature;
    private final RegressionSpec synthetic;
    private final int counterexampleFeatures;
    private final long dataSeed;
    private final int clients;
    private final String shapeText;
    private final Shape fixedShape;
    private final ModelInit init;
    private final Method method;
    private final boolean pretrain;
    private final int rank;
    private final double p;
    private final SketchSampler sketch;
    private final EstimatorKind estimator;
    private final int batch;
    private final double pageQ;
    private final double mvrB;
    private final StepRuleKind stepRule;
    private final double stepC;
    private final double stepSize;
    private final double polyakFStar;
    private final boolean polyakFStarAuto;
    private final LossKind loss;
    private final LabelKind labels;
    private final double margin;
    private final double subgradientR;
    private final double subgradientL0;
    private final int rounds;
    private final double epochs;
    private final double tol;
    private final double lambda;
    private final double smoothnessTol;
    private final int metricsEvery;
    private final long seed;
    private final double progressSeconds;
    private final int snapshotEvery;
    private final RoundsMode roundsMode;
    private final double roundsTimeout;
    private final long blockBytes;
    private final String master;
    private final ClientSplit split;
    private final ProtocolKind protocol;
    private final String compressorName;
    private final Compressor compressor;
    private final double marinaQ;
    private final double participation;
    private final ClientWeighting weighting;
    private final boolean sketchFirst;
    private final double divergeFactor;
    private final int checkpointEvery;
    private final boolean checkpointKeep;
    private final boolean resume;
    private final ModelKind modelType;
    private final int[] layers;
    private final double dropout;
    private final String classes;
    private final List<String> loraModules;
    private final CoinMode coin;
    /** Rounds per link; -1 = the method's default. */
    private final int linkSteps;
    /** Epochs per link, or NaN when lora.link.epochs is unset. */
    private final double linkEpochs;
    private final Side firstSide;
    private final Side gaussianFactor;
    /** LoRA's alpha, or NaN for auto (= rank). */
    private final double alpha;
    private final AdamW adamw;
    private final int plateauPatience;
    private final int earlyStopPatience;
    private final boolean metricsPerEpoch;
    private final boolean exportF64;
    private final int exportRank;

    public TrainSpec(RunConfig settings) {
        RunConfig c = DataPresets.apply(settings);
        this.config = c;
        source = c.choice("data.source", DataSource.class);
        path = c.get("data.path");
        format = c.choice("data.format", DataFormat.class);
        postprocess = c.choice("data.postprocess", PostProcess.class);
        cacheDir = c.get("data.cache.dir");
        curvature = c.number("data.curvature", Double.MIN_VALUE, Double.MAX_VALUE);
        if ((source == DataSource.PATH || source == DataSource.MNIST) && path.isEmpty()) {
            throw new ConfigException("data.path is required when data.source=" + source.key() + " (set data.path=URI of the data"
                    + (source == DataSource.MNIST ? " written by prep-mnist)" : ")"));
        }
        if ((source.generated() || source == DataSource.COUNTEREXAMPLE) && !path.isEmpty()) {
            throw new ConfigException("data.path=" + path + " is not read with data.source=" + source.key()
                    + (settings.isExplicit("data.source") ? "" : " (implied by data.preset=" + c.get("data.preset") + ")")
                    + ": set data.source=path and data.preset=none to read it, or drop data.path");
        }
        if (source != DataSource.CACHED_REGRESSION && postprocess != PostProcess.NONE) {
            throw new ConfigException("data.postprocess=" + postprocess.key() + " needs data.source=cached-regression "
                    + "(the statistics pass runs when the data set is generated)");
        }
        if (source.generated()) {
            int d = c.integer("data.features", 1, 1 << 26);
            int informative = c.isAuto("data.informative") ? d : c.integer("data.informative", 0, d);
            try {
                synthetic = new RegressionSpec(c.longValue("data.rows", 1), d, informative,
                        c.integer("data.effective.rank", 0, d), c.number("data.tail.strength", 0, 1),
                        c.number("data.noise", 0, Double.MAX_VALUE), c.number("data.bias", -Double.MAX_VALUE, Double.MAX_VALUE),
                        c.longValue("data.seed", 0));
            } catch (IllegalArgumentException e) {
                throw new ConfigException(e.getMessage());
            }
        } else {
            synthetic = null;
        }
        clients = c.integer("clients", 1, 1 << 16);
        shapeText = c.get("model.shape");
        init = ModelInit.parse(c.get("model.init"));
        method = parse(() -> Method.parse(c.get("lora.method")));
        modelType = parse(() -> ModelKinds.named(c.get("model.type")));
        layers = parseLayers(c.get("model.layers"));
        dropout = c.number("model.dropout", 0, 0.999);
        classes = c.get("data.classes");
        loraModules = c.get("lora.modules").isBlank() ? List.of()
                : Arrays.stream(c.get("lora.modules").split(",")).map(String::trim).toList();
        coin = parse(() -> CoinMode.parse(c.get("lora.coin")));
        linkSteps = c.isAuto("lora.link.steps") ? -1 : c.integer("lora.link.steps", 0, Integer.MAX_VALUE);
        linkEpochs = c.get("lora.link.epochs").isBlank() ? Double.NaN
                : c.number("lora.link.epochs", Double.MIN_VALUE, Double.MAX_VALUE);
        String first = c.string("lora.first.side", Set.of("random", "A", "B", "a", "b"));
        firstSide = "random".equals(first) ? null : Side.valueOf(first.toUpperCase(java.util.Locale.ROOT));
        gaussianFactor = Side.valueOf(c.string("lora.gaussian.factor", Set.of("A", "B", "a", "b")).toUpperCase(java.util.Locale.ROOT));
        alpha = c.isAuto("lora.alpha") ? Double.NaN : c.number("lora.alpha", Double.MIN_VALUE, Double.MAX_VALUE);
        boolean useAdamw = "adamw".equals(c.string("optim.optimizer", Set.of("sgd", "adamw")));
        String[] betas = c.get("optim.adamw.betas").split(",");
        if (betas.length != 2) {
            throw new ConfigException("optim.adamw.betas must be two numbers beta1,beta2, got '" + c.get("optim.adamw.betas") + "'");
        }
        adamw = !useAdamw ? null : parse(() -> new AdamW(1.0, Double.parseDouble(betas[0].trim()),
                Double.parseDouble(betas[1].trim()), c.number("optim.adamw.eps", 0, 1),
                c.number("optim.adamw.weight.decay", 0, Double.MAX_VALUE)));
        plateauPatience = c.integer("optim.plateau.patience", 0, Integer.MAX_VALUE);
        earlyStopPatience = c.integer("optim.early.stop.patience", 0, Integer.MAX_VALUE);
        metricsPerEpoch = "epoch".equalsIgnoreCase(c.get("run.metrics.every").trim());
        exportF64 = "f64".equals(c.string("export.peft.dtype", Set.of("f32", "f64")));
        exportRank = c.integer("export.rank", 0, Integer.MAX_VALUE);
        if (modelType.classifier() && source != DataSource.MNIST && source != DataSource.PATH && source != DataSource.DATAFRAME) {
            throw new ConfigException("model.type=" + modelType.key() + " is a classifier: use data.source=mnist (or path with class labels)");
        }
        if (source == DataSource.MNIST && !modelType.classifier()) {
            throw new ConfigException("data.source=mnist needs model.type=mlp");
        }
        if (!modelType.linear() && c.choice("optim.step.rule", StepRuleKind.class) == StepRuleKind.THEORY) {
            throw new ConfigException("optim.step.rule=theory estimates L from X^T X, which only model.type=linear has: "
                    + "set optim.step.rule=constant and optim.step.size");
        }
        if ((earlyStopPatience > 0 || plateauPatience > 0) && source != DataSource.MNIST && source != DataSource.DATAFRAME) {
            throw new ConfigException("optim.early.stop.patience and optim.plateau.patience watch the validation loss: "
                    + "they need data.source=mnist (which has a validation split; in Spark ML, a validationFraction)");
        }
        pretrain = c.bool("pretrain");
        if (pretrain && init.kind() != ModelInit.Kind.ZEROS) {
            throw new ConfigException("model.init=" + c.get("model.init") + " conflicts with pretrain=true (the pre-trained W "
                    + "is W0); unset one of them");
        }
        estimator = c.choice("optim.estimator", EstimatorKind.class);
        if (source == DataSource.COUNTEREXAMPLE && (pretrain || estimator != EstimatorKind.GD)) {
            throw new ConfigException("data.source=counterexample has no data rows: use optim.estimator=gd and pretrain=false");
        }
        if (modelType.takesDropout() && dropout > 0 && (estimator == EstimatorKind.PAGE || estimator == EstimatorKind.MVR)) {
            throw new ConfigException("optim.estimator=" + estimator.key() + " with model.dropout=" + c.get("model.dropout")
                    + ": its full gradients run without dropout and its minibatch differences with it, two objectives; "
                    + "set model.dropout=0 (or optim.estimator=sgd)");
        }
        rank = c.integer("lora.rank", 1, Integer.MAX_VALUE);
        p = c.number("lora.p", 0, 1);
        if ((method == Method.RAC || method == Method.ASYMM) && p != 0.0 && p != 1.0) {
            throw new ConfigException("lora.p must be 0 (always train B) or 1 (always train A) for lora.method="
                    + method.key() + ", got " + p);
        }
        sketch = parse(() -> SketchSampler.parse(c.get("lora.sketch")));
        batch = c.integer("optim.batch", 1, Integer.MAX_VALUE);
        pageQ = c.isAuto("optim.page.q") ? Double.NaN : positiveAtMostOne(c, "optim.page.q");
        mvrB = positiveAtMostOne(c, "optim.mvr.b");
        stepRule = c.choice("optim.step.rule", StepRuleKind.class);
        stepC = c.number("optim.step.c", Double.MIN_VALUE, Double.MAX_VALUE);
        if (stepRule == StepRuleKind.CONSTANT && c.get("optim.step.size").isEmpty()) {
            throw new ConfigException("optim.step.size is required for optim.step.rule=constant (set optim.step.size=GAMMA)");
        }
        stepSize = c.get("optim.step.size").isEmpty() ? Double.NaN : c.number("optim.step.size", Double.MIN_VALUE, Double.MAX_VALUE);
        loss = c.choice("model.loss", LossKind.class);
        polyakFStarAuto = c.isAuto("optim.polyak.fstar");
        polyakFStar = c.get("optim.polyak.fstar").isBlank() || polyakFStarAuto ? Double.NaN
                : c.number("optim.polyak.fstar", -Double.MAX_VALUE, Double.MAX_VALUE);
        if (stepRule == StepRuleKind.POLYAK && Double.isNaN(polyakFStar) && !polyakFStarAuto) {
            throw new ConfigException(org.blora.core.optim.StepRule.POLYAK_NEEDS_FSTAR);
        }
        if (polyakFStarAuto && !loss.nonSmooth()) {
            throw new ConfigException("optim.polyak.fstar=auto is computed for model.loss=lad or hinge only: set optim.polyak.fstar=F");
        }
        subgradientR = c.isAuto("optim.subgradient.r") ? Double.NaN
                : c.number("optim.subgradient.r", Double.MIN_VALUE, Double.MAX_VALUE);
        subgradientL0 = c.isAuto("optim.subgradient.l0") ? Double.NaN
                : c.number("optim.subgradient.l0", Double.MIN_VALUE, Double.MAX_VALUE);
        LabelKind givenLabels = c.choice("data.labels", LabelKind.class);
        labels = givenLabels != LabelKind.AUTO ? givenLabels : loss == LossKind.HINGE && source == DataSource.SYNTHETIC_REGRESSION
                ? LabelKind.SIGN : LabelKind.VALUES;
        margin = c.number("data.margin", Double.MIN_VALUE, Double.MAX_VALUE);
        rounds = c.integer("optim.rounds", 0, Integer.MAX_VALUE - 1);
        epochs = c.number("optim.epochs", 0, Double.POSITIVE_INFINITY);
        tol = c.number("optim.tol", 0, Double.MAX_VALUE);
        lambda = c.isAuto("reg.lambda") ? Double.NaN : c.number("reg.lambda", 0, Double.MAX_VALUE);
        smoothnessTol = c.number("smoothness.tol", 1e-15, 0.1);
        metricsEvery = metricsPerEpoch ? 0 : c.integer("run.metrics.every", 1, Integer.MAX_VALUE);
        seed = c.longValue("run.seed", 0);
        progressSeconds = c.number("run.progress.seconds", 0, Double.MAX_VALUE);
        snapshotEvery = c.isAuto("run.snapshot.every") ? 0 : c.integer("run.snapshot.every", 1, Integer.MAX_VALUE);
        roundsMode = c.choice("run.rounds", RoundsMode.class);
        roundsTimeout = c.number("run.rounds.timeout", 1e-3, 1e9);
        blockBytes = c.longValue("data.block.mb", 1) << 20;
        master = c.get("spark.master");
        split = parse(() -> new ClientSplit(c.string("data.split", Set.of("iid", "dirichlet")),
                c.number("data.dirichlet.alpha", Double.MIN_VALUE, Double.MAX_VALUE),
                c.number("data.client.shift", -Double.MAX_VALUE, Double.MAX_VALUE), 16));
        checkLoss(c);
        protocol = c.choice("fed.protocol", ProtocolKind.class);
        compressorName = c.get("fed.compressor");
        double compressorK = c.number("fed.compressor.k", Double.MIN_VALUE, 1.0);
        int compressorLevels = c.integer("fed.compressor.levels", 1, 1 << 20);
        compressor = parse(() -> Compressors.parse(compressorName, compressorK, compressorLevels));
        marinaQ = positiveAtMostOne(c, "fed.marina.q");
        participation = positiveAtMostOne(c, "fed.participation");
        weighting = c.choice("fed.weighting", ClientWeighting.class);
        if (loss.nonSmooth() && weighting != ClientWeighting.ROWS) {
            throw new ConfigException("fed.weighting=" + c.get("fed.weighting") + " with model.loss=" + loss.key()
                    + ": f*, L0 and R are computed for the row-weighted objective; set fed.weighting=rows");
        }
        sketchFirst = c.bool("fed.sketch.first");
        newProtocol(); // validates the protocol and compressor pairing now, before Spark starts
        if (protocol != ProtocolKind.NONE && estimator != EstimatorKind.GD) {
            throw new ConfigException("fed.protocol=" + protocol.key() + " runs on local full gradients: set optim.estimator=gd");
        }
        if (sketchFirst && (!modelType.linear() || adamw != null || linkSteps > 1 || protocol != ProtocolKind.NONE || !Set.of(EstimatorKind.GD, EstimatorKind.SGD).contains(estimator)
                || !Set.of(Method.BERNOULLI, Method.RAC).contains(method))) {
            throw new ConfigException("fed.sketch.first=true needs model.type=linear, optim.optimizer=sgd, one step per link, "
                    + "fed.protocol=none, optim.estimator=gd or sgd and lora.method=bernoulli or rac");
        }
        divergeFactor = c.number("run.diverge.factor", 0, Double.MAX_VALUE);
        if (divergeFactor > 0 && divergeFactor <= 1) {
            throw new ConfigException("run.diverge.factor must be 0 (off) or > 1, got " + c.get("run.diverge.factor"));
        }
        checkpointEvery = c.integer("run.checkpoint.every", 0, Integer.MAX_VALUE);
        checkpointKeep = c.bool("run.checkpoint.keep");
        resume = c.bool("run.resume");
        counterexampleFeatures = source == DataSource.COUNTEREXAMPLE ? c.integer("data.features", 1, 1 << 26) : 0;
        dataSeed = c.longValue("data.seed", 0);
        fixedShape = "auto".equalsIgnoreCase(shapeText) ? null : parse(() -> Shape.parse(shapeText));
        if (synthetic != null) {
            Shape s = shapeFor(synthetic.features());
            checkRank(s);
            if (estimator.minibatch() && batch > synthetic.rows()) {
                throw new ConfigException("optim.batch (" + batch + ") exceeds data.rows (" + synthetic.rows() + "); lower optim.batch");
            }
        } else if (source == DataSource.COUNTEREXAMPLE) {
            checkRank(shapeFor(counterexampleFeatures));
        } else if (fixedShape != null) {
            checkRank(fixedShape);
        }
    }

    /** model.loss and data.labels against the model, the data source and the regulariser. */
    private void checkLoss(RunConfig c) {
        if (loss != LossKind.SQUARES && !modelType.linear()) {
            throw new ConfigException("model.loss=" + loss.key() + " is a loss of the linear model: set model.type=linear or model.loss=squares");
        }
        if (loss.nonSmooth() && lambda > 0) {
            throw new ConfigException("reg.lambda=" + c.get("reg.lambda") + ": the non-convex regulariser breaks the convexity "
                    + "model.loss=" + loss.key() + " relies on; set reg.lambda=0 (or auto, which is 0 for lad and hinge)");
        }
        if (labels == LabelKind.SIGN && source != DataSource.SYNTHETIC_REGRESSION) {
            throw new ConfigException("data.labels=sign is made by the synthetic generator: set data.source=synthetic-regression or data.labels=auto");
        }
        if (labels == LabelKind.SIGN && split.shift() != 0.0) {
            throw new ConfigException("data.labels=sign takes the labels from the hyperplane, which a target shift does not move: set data.client.shift=0");
        }
        if (loss == LossKind.HINGE && source == DataSource.SYNTHETIC_REGRESSION && labels != LabelKind.SIGN) {
            throw new ConfigException("model.loss=hinge needs labels -1/+1: set data.labels=sign (or auto) for the synthetic data");
        }
    }

    /** A value built by core or data-prep; the parameter its IllegalArgumentException names becomes the key. */
    private static <T> T parse(java.util.function.Supplier<T> build) {
        try {
            return build.get();
        } catch (IllegalArgumentException e) {
            throw new ConfigException(ParameterKeys.translate(e.getMessage()));
        }
    }

    private static double positiveAtMostOne(RunConfig c, String key) {
        double v = c.number(key, 0, 1);
        if (v == 0) {
            throw new ConfigException(key + " must be in (0, 1], got 0");
        }
        return v;
    }

    /** A new federated protocol with its compressor (it holds the server's state), or null for fed.protocol=none. */
    public Protocol newProtocol() {
        return parse(() -> protocol.build(compressor, marinaQ, participation));
    }

    /** This spec with W0 = the merged W of a finished pre-training run (pretrain is then done). */
    public TrainSpec withPretrainedInit(String adapterPath) {
        return new TrainSpec(config.with("pretrain", "false").with("model.init", adapterPath));
    }

    /** The shape of W for d features: model.shape, or the squarest m x n = d when auto ({@link Shape#squarest}). */
    public Shape shapeFor(int d) {
        if (fixedShape == null) {
            return Shape.squarest(d);
        }
        if (fixedShape.size() != d) {
            throw new ConfigException("model.shape=" + fixedShape + " has " + fixedShape.size() + " entries but the data has " + d
                    + " features (set model.shape=MxN with M*N=" + d + ")");
        }
        return fixedShape;
    }

    public void checkRank(Shape s) {
        int max = Math.min(s.m(), s.n());
        if (method != Method.FPFT && rank > max) {
            throw new ConfigException("lora.rank=" + rank + " exceeds min(m, n)=" + max + " for model.shape=" + s
                    + " (set lora.rank <= " + max + ")");
        }
    }

    /** The resolved configuration this spec was built from (written to config.properties, fingerprinted by checkpoints). */
    public RunConfig config() {
        return config;
    }

    public DataSource source() {
        return source;
    }

    /** data.path: the URI of the data when data.source=path. */
    public String path() {
        return path;
    }

    public DataFormat format() {
        return format;
    }

    public PostProcess postprocess() {
        return postprocess;
    }

    /** data.cache.dir: folder of generated data sets and pre-trained W0. */
    public String cacheDir() {
        return cacheDir;
    }

    /** The counterexample's L (its M = diag(curvature, 1, ..., 1)). */
    public double curvature() {
        return curvature;
    }

    /** The generator settings when the rows are generated ({@link DataSource#generated()}), else null. */
    public RegressionSpec synthetic() {
        return synthetic;
    }

    /** data.features of the counterexample (0 for other sources). */
    public int counterexampleFeatures() {
        return counterexampleFeatures;
    }

    public long dataSeed() {
        return dataSeed;
    }

    public int clients() {
        return clients;
    }

    /** model.shape as written: MxN or auto. */
    public String shapeText() {
        return shapeText;
    }

    /** model.shape when it is MxN, null when auto (the shape then follows from the data). */
    public Shape fixedShape() {
        return fixedShape;
    }

    public ModelInit init() {
        return init;
    }

    public Method method() {
        return method;
    }

    /** model.type: the kind of model the chains adapt. */
    public ModelKind modelType() {
        return modelType;
    }

    /** model.layers: the MLP's widths from the input features to the classes. */
    public int[] layers() {
        return layers.clone();
    }

    public double dropout() {
        return dropout;
    }

    /** data.classes: the mnist classes kept (relabelled 0..K-1). */
    public String classes() {
        return classes;
    }

    public int plateauPatience() {
        return plateauPatience;
    }

    public int earlyStopPatience() {
        return earlyStopPatience;
    }

    /** run.metrics.every=epoch: one evaluation per epoch (ceil(N / b) rounds). */
    public boolean metricsPerEpoch() {
        return metricsPerEpoch;
    }

    /** export.peft.dtype=f64 (else f32). */
    public boolean exportF64() {
        return exportF64;
    }

    /** export.rank: the PEFT export's rank cap, 0 for exact. */
    public int exportRank() {
        return exportRank;
    }

    /**
     * The chains' specification for a run on {@code rows} training rows: the link length resolved (lora.link.epochs
     * in rounds of optim.batch rows, or the method's default), alpha resolved.
     */
    public ChainSpec chainSpec(long rows) {
        int steps;
        if (!Double.isNaN(linkEpochs)) {
            steps = (int) Math.max(1, Math.round(linkEpochs * Math.ceil((double) rows / batch)));
        } else if (linkSteps >= 0) {
            steps = linkSteps;
        } else {
            steps = method == Method.COLA ? 10 : 1;
        }
        if (Set.of(Method.LORA, Method.ASYMM).contains(method)) {
            steps = 0; // these never merge
        }
        int s = steps;
        return parse(() -> new ChainSpec(method, rank, p, Double.isNaN(alpha) ? rank : alpha, loraModules, coin, s,
                firstSide, gaussianFactor, adamw, sketch, seed));
    }

    private static int[] parseLayers(String text) {
        try {
            int[] l = Arrays.stream(text.split(",")).map(String::trim).mapToInt(Integer::parseInt).toArray();
            if (l.length >= 2 && Arrays.stream(l).allMatch(w -> w > 0)) {
                return l;
            }
        } catch (NumberFormatException e) {
            // the message below
        }
        throw new ConfigException("model.layers must be positive widths from the inputs to the classes, e.g. 784,64,64,5; got '"
                + text + "'");
    }

    public boolean pretrain() {
        return pretrain;
    }

    public int rank() {
        return rank;
    }

    public double p() {
        return p;
    }

    public SketchSampler sketch() {
        return sketch;
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

    /** fed.marina.q, MARINA's synchronisation probability. */
    public double marinaQ() {
        return marinaQ;
    }

    public double mvrB() {
        return mvrB;
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

    public LossKind loss() {
        return loss;
    }

    /** data.labels resolved: VALUES or SIGN. */
    public LabelKind labels() {
        return labels;
    }

    public double margin() {
        return margin;
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

    /** reg.lambda; NaN for auto (= ||X^T X / N||_2, known once the data are). */
    public double lambda() {
        return lambda;
    }

    public double smoothnessTol() {
        return smoothnessTol;
    }

    public int metricsEvery() {
        return metricsEvery;
    }

    /** run.seed: the seed of every random draw of the run. */
    public long seed() {
        return seed;
    }

    public double progressSeconds() {
        return progressSeconds;
    }

    /** Rounds between full-W snapshots; 0 for auto. */
    public int snapshotEvery() {
        return snapshotEvery;
    }

    /** run.rounds: one stage per round, or every round inside one barrier stage. */
    public RoundsMode roundsMode() {
        return roundsMode;
    }

    /** run.rounds.timeout in seconds: how long a persistent round may take before its tasks count as lost. */
    public double roundsTimeout() {
        return roundsTimeout;
    }

    public long blockBytes() {
        return blockBytes;
    }

    /** spark.master when spark-submit does not set one; empty for the default. */
    public String master() {
        return master;
    }

    public ClientSplit split() {
        return split;
    }

    public ProtocolKind protocol() {
        return protocol;
    }

    /** fed.compressor as written (for logs and titles). */
    public String compressorName() {
        return compressorName;
    }

    public Compressor compressor() {
        return compressor;
    }

    public double participation() {
        return participation;
    }

    /** fed.weighting: how the clients' results are combined into f. */
    public ClientWeighting weighting() {
        return weighting;
    }

    public boolean sketchFirst() {
        return sketchFirst;
    }

    /** run.diverge.factor: growth of the loss or ||grad f||^2 over its start that stops a run as diverged; 0 = off. */
    public double divergeFactor() {
        return divergeFactor;
    }

    public int checkpointEvery() {
        return checkpointEvery;
    }

    public boolean checkpointKeep() {
        return checkpointKeep;
    }

    public boolean resume() {
        return resume;
    }
}
