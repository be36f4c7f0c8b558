package org.blora.config;

import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.blora.core.chain.ChainSpec;
import org.blora.core.chain.CoinMode;
import org.blora.core.optim.AdamW;
import org.blora.core.sketch.Side;
import org.blora.core.sketch.SketchSampler;
import org.blora.core.chain.Method;
import org.blora.core.linalg.Shape;
import org.blora.data.regression.RegressionSpec;

/**
 * The typed, validated view of a {@link RunConfig} for the train job. Everything that can be checked without
 * data is checked here, before Spark starts; the shape against the data's feature count is checked by
 * {@link #shapeFor(int)} right after reading, still before anything is written.
 */
public final class TrainSpec {
    public final RunConfig config;
    public final String source;
    /** cached-regression: the post-processing applied when the data set is generated. */
    public final String postprocess;
    public final String cacheDir;
    public final double curvature;
    public final boolean pretrain;
    public final String path;
    public final String format;
    public final RegressionSpec synthetic;
    public final int clients;
    public final String shapeText;
    public final String init;
    public final Method method;
    public final int rank;
    public final double p;
    public final String sketch;
    public final String estimator;
    public final int batch;
    public final double pageQ;
    public final double mvrB;
    public final String stepRule;
    public final double stepC;
    public final double stepSize;
    public final double polyakFStar;
    public final int rounds;
    public final double epochs;
    public final double tol;
    public final double lambda;
    public final double smoothnessTol;
    public final int metricsEvery;
    public final long seed;
    public final double progressSeconds;
    public final int snapshotEvery;
    public final long blockBytes;
    public final String master;
    public final org.blora.data.ClientSplit split;
    public final String protocol;
    public final String compressor;
    public final double compressorK;
    public final int compressorLevels;
    public final double marinaQ;
    public final double participation;
    public final boolean sketchFirst;
    public final int checkpointEvery;
    public final boolean checkpointKeep;
    public final boolean resume;
    /** linear (least squares on W) or mlp (classifier). */
    public final String modelType;
    public final int[] layers;
    public final double dropout;
    public final String classes;
    public final List<String> loraModules;
    public final CoinMode coin;
    /** Rounds per link; -1 = the method's default. */
    public final int linkSteps;
    /** Epochs per link, or NaN when lora.link.epochs is unset. */
    public final double linkEpochs;
    /** The trained side of link 0, or null for the coin. */
    public final Side firstSide;
    public final Side gaussianFactor;
    /** LoRA's alpha, or NaN for auto (= rank). */
    public final double alpha;
    /** AdamW for the trained factors, or null for the paper's (projected) SGD step. */
    public final AdamW adamw;
    public final int plateauPatience;
    public final int earlyStopPatience;
    /** The PEFT export of adapter/peft: dtype and rank cap. */
    public final org.blora.io.PeftAdapter.Options peft;
    /** run.metrics.every=epoch: one evaluation per epoch (ceil(N / b) rounds). */
    public final boolean metricsPerEpoch;

    public TrainSpec(RunConfig c) {
        c = DataPresets.apply(c);
        this.config = c;
        source = c.string("data.source", Set.of("synthetic-regression", "cached-regression", "path", "counterexample", "mnist"));
        path = c.get("data.path");
        format = c.string("data.format", Set.of("parquet", "csv", "libsvm"));
        postprocess = c.string("data.postprocess", Set.of("none", "standardize", "rescale"));
        cacheDir = c.get("data.cache.dir");
        curvature = c.number("data.curvature", Double.MIN_VALUE, Double.MAX_VALUE);
        if (("path".equals(source) || "mnist".equals(source)) && path.isEmpty()) {
            throw new ConfigException("data.path is required when data.source=" + source + " (set data.path=URI of the data"
                    + ("mnist".equals(source) ? " written by prep-mnist)" : ")"));
        }
        if (!"cached-regression".equals(source) && !"none".equals(postprocess)) {
            throw new ConfigException("data.postprocess=" + postprocess + " needs data.source=cached-regression "
                    + "(the statistics pass runs when the data set is generated)");
        }
        if ("synthetic-regression".equals(source) || "cached-regression".equals(source)) {
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
        init = c.get("model.init");
        method = parseMethod(c.get("lora.method"));
        modelType = c.string("model.type", Set.of("linear", "mlp"));
        layers = parseLayers(c.get("model.layers"));
        dropout = c.number("model.dropout", 0, 0.999);
        classes = c.get("data.classes");
        loraModules = c.get("lora.modules").isBlank() ? List.of()
                : Arrays.stream(c.get("lora.modules").split(",")).map(String::trim).toList();
        try {
            coin = CoinMode.parse(c.get("lora.coin"));
        } catch (IllegalArgumentException e) {
            throw new ConfigException(e.getMessage());
        }
        linkSteps = c.isAuto("lora.link.steps") ? -1 : c.integer("lora.link.steps", 0, Integer.MAX_VALUE);
        linkEpochs = c.get("lora.link.epochs").isBlank() ? Double.NaN
                : c.number("lora.link.epochs", Double.MIN_VALUE, Double.MAX_VALUE);
        String first = c.string("lora.first.side", Set.of("random", "A", "B", "a", "b"));
        firstSide = "random".equals(first) ? null : Side.valueOf(first.toUpperCase());
        gaussianFactor = Side.valueOf(c.string("lora.gaussian.factor", Set.of("A", "B", "a", "b")).toUpperCase());
        alpha = c.isAuto("lora.alpha") ? Double.NaN : c.number("lora.alpha", Double.MIN_VALUE, Double.MAX_VALUE);
        String optimizer = c.string("optim.optimizer", Set.of("sgd", "adamw"));
        String[] betas = c.get("optim.adamw.betas").split(",");
        if (betas.length != 2) {
            throw new ConfigException("optim.adamw.betas must be two numbers beta1,beta2, got '" + c.get("optim.adamw.betas") + "'");
        }
        try {
            adamw = "adamw".equals(optimizer) ? new AdamW(1.0, Double.parseDouble(betas[0].trim()),
                    Double.parseDouble(betas[1].trim()), c.number("optim.adamw.eps", 0, 1),
                    c.number("optim.adamw.weight.decay", 0, Double.MAX_VALUE)) : null;
        } catch (IllegalArgumentException e) {
            throw new ConfigException("optim.adamw: " + e.getMessage());
        }
        plateauPatience = c.integer("optim.plateau.patience", 0, Integer.MAX_VALUE);
        earlyStopPatience = c.integer("optim.early.stop.patience", 0, Integer.MAX_VALUE);
        metricsPerEpoch = "epoch".equalsIgnoreCase(c.get("run.metrics.every").trim());
        peft = new org.blora.io.PeftAdapter.Options(
                org.blora.io.SafetensorsWriter.Dtype.valueOf(c.string("export.peft.dtype", Set.of("F32", "F64"))),
                c.integer("export.rank", 0, Integer.MAX_VALUE));
        if ("mlp".equals(modelType) && !Set.of("mnist", "path").contains(source)) {
            throw new ConfigException("model.type=mlp is a classifier: use data.source=mnist (or path with class labels)");
        }
        if ("mnist".equals(source) && !"mlp".equals(modelType)) {
            throw new ConfigException("data.source=mnist needs model.type=mlp");
        }
        if ("mlp".equals(modelType) && "theory".equals(c.get("optim.step.rule"))) {
            throw new ConfigException("optim.step.rule=theory estimates L from X^T X, which only model.type=linear has: "
                    + "set optim.step.rule=constant and optim.step.size");
        }
        pretrain = c.bool("pretrain");
        if (pretrain && !init.isEmpty()) {
            throw new ConfigException("model.init=" + init + " conflicts with pretrain=true (the pre-trained W is W0); "
                    + "unset one of them");
        }
        if ("counterexample".equals(source) && (pretrain || !"gd".equals(c.get("optim.estimator")))) {
            throw new ConfigException("data.source=counterexample has no data rows: use optim.estimator=gd and pretrain=false");
        }
        rank = c.integer("lora.rank", 1, Integer.MAX_VALUE);
        p = c.number("lora.p", 0, 1);
        if ((method == Method.RAC || method == Method.ASYMM) && p != 0.0 && p != 1.0) {
            throw new ConfigException("lora.p must be 0 (always train B) or 1 (always train A) for lora.method="
                    + method.key() + ", got " + p);
        }
        sketch = c.string("lora.sketch", Set.of("gaussian"));
        estimator = c.string("optim.estimator", Set.of("gd", "sgd", "page", "mvr"));
        batch = c.integer("optim.batch", 1, Integer.MAX_VALUE);
        pageQ = c.isAuto("optim.page.q") ? Double.NaN : positiveAtMostOne(c, "optim.page.q");
        mvrB = positiveAtMostOne(c, "optim.mvr.b");
        stepRule = c.string("optim.step.rule", Set.of("theory", "constant", "polyak"));
        stepC = c.number("optim.step.c", Double.MIN_VALUE, Double.MAX_VALUE);
        if ("constant".equals(stepRule) && c.get("optim.step.size").isEmpty()) {
            throw new ConfigException("optim.step.size is required for optim.step.rule=constant (set optim.step.size=GAMMA)");
        }
        stepSize = c.get("optim.step.size").isEmpty() ? Double.NaN : c.number("optim.step.size", Double.MIN_VALUE, Double.MAX_VALUE);
        polyakFStar = c.number("optim.polyak.fstar", -Double.MAX_VALUE, Double.MAX_VALUE);
        rounds = c.integer("optim.rounds", 0, Integer.MAX_VALUE - 1);
        epochs = c.number("optim.epochs", 0, Double.POSITIVE_INFINITY);
        tol = c.number("optim.tol", 0, Double.MAX_VALUE);
        lambda = c.isAuto("reg.lambda") ? Double.NaN : c.number("reg.lambda", 0, Double.MAX_VALUE);
        smoothnessTol = c.number("smoothness.tol", 1e-15, 0.1);
        metricsEvery = metricsPerEpoch ? 0 : c.integer("run.metrics.every", 1, Integer.MAX_VALUE);
        seed = c.longValue("run.seed", 0);
        progressSeconds = c.number("run.progress.seconds", 0, Double.MAX_VALUE);
        snapshotEvery = c.isAuto("run.snapshot.every") ? 0 : c.integer("run.snapshot.every", 1, Integer.MAX_VALUE);
        blockBytes = c.longValue("data.block.mb", 1) << 20;
        master = c.get("spark.master");
        try {
            split = new org.blora.data.ClientSplit(c.string("data.split", Set.of("iid", "dirichlet")),
                    c.number("data.dirichlet.alpha", Double.MIN_VALUE, Double.MAX_VALUE),
                    c.number("data.client.shift", -Double.MAX_VALUE, Double.MAX_VALUE), 16);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(e.getMessage());
        }
        protocol = c.string("fed.protocol", Set.of("none", "qgd", "marina", "ef21"));
        compressor = c.get("fed.compressor");
        compressorK = c.number("fed.compressor.k", Double.MIN_VALUE, 1.0);
        compressorLevels = c.integer("fed.compressor.levels", 1, 1 << 20);
        marinaQ = positiveAtMostOne(c, "fed.marina.q");
        participation = positiveAtMostOne(c, "fed.participation");
        sketchFirst = bool(c, "fed.sketch.first");
        newProtocol(); // validates the compressor and the protocol pairing now, before Spark starts
        if (!"none".equals(protocol) && !"gd".equals(estimator)) {
            throw new ConfigException("fed.protocol=" + protocol + " runs on local full gradients: set optim.estimator=gd");
        }
        if (sketchFirst && ("mlp".equals(modelType) || adamw != null || linkSteps > 1 || !"none".equals(protocol) || !Set.of("gd", "sgd").contains(estimator)
                || !Set.of(Method.BERNOULLI, Method.RAC).contains(method))) {
            throw new ConfigException("fed.sketch.first=true needs model.type=linear, optim.optimizer=sgd, one step per link, "
                    + "fed.protocol=none, optim.estimator=gd or sgd and lora.method=bernoulli or rac");
        }
        checkpointEvery = c.integer("run.checkpoint.every", 0, Integer.MAX_VALUE);
        checkpointKeep = Boolean.parseBoolean(c.string("run.checkpoint.keep", Set.of("true", "false")));
        resume = Boolean.parseBoolean(c.string("run.resume", Set.of("true", "false")));
        if (resume && Set.of("marina", "ef21").contains(protocol)) {
            throw new ConfigException("run.resume=true is not supported with fed.protocol=" + protocol
                    + " (its per-client state is not in the checkpoints yet); rerun from the start");
        }
        if ((earlyStopPatience > 0 || plateauPatience > 0) && !"mnist".equals(source)) {
            throw new ConfigException("optim.early.stop.patience and optim.plateau.patience watch the validation loss: "
                    + "they need data.source=mnist (which has a validation split)");
        }
        if (synthetic != null) {
            Shape s = shapeFor(synthetic.features());
            checkRank(s);
            if (!"gd".equals(estimator) && batch > synthetic.rows()) {
                throw new ConfigException("optim.batch (" + batch + ") exceeds data.rows (" + synthetic.rows() + "); lower optim.batch");
            }
        } else if ("counterexample".equals(source)) {
            checkRank(shapeFor(c.integer("data.features", 1, 1 << 26)));
        } else if (!c.isAuto("model.shape")) {
            checkRank(parseShape());
        }
    }

    /** A new federated protocol with its compressor (it holds the server's state), or null for fed.protocol=none. */
    public org.blora.core.federated.Protocol newProtocol() {
        try {
            return org.blora.core.federated.Protocols.parse(protocol,
                    org.blora.core.compress.Compressors.parse(compressor, compressorK, compressorLevels), marinaQ, participation);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(e.getMessage());
        }
    }

    private static boolean bool(RunConfig c, String key) {
        String v = c.get(key).trim().toLowerCase();
        if (!v.equals("true") && !v.equals("false")) {
            throw new ConfigException(key + " must be true or false, got '" + c.get(key) + "'");
        }
        return v.equals("true");
    }

    /** This spec with W0 = the merged W of a finished pre-training run (pretrain is then done). */
    public TrainSpec withPretrainedInit(String adapterPath) {
        return new TrainSpec(config.with("pretrain", "false").with("model.init", adapterPath));
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

    /**
     * The chains' specification for a run on {@code rows} training rows: the link length resolved (lora.link.epochs
     * in rounds of optim.batch rows, or the method's default), alpha resolved, the optimiser's moments fresh.
     */
    public ChainSpec chainSpec(long rows) {
        int steps;
        if (!Double.isNaN(linkEpochs)) {
            steps = (int) Math.max(1, Math.round(linkEpochs * Math.ceil((double) rows / batch)));
        } else if (linkSteps >= 0) {
            steps = linkSteps;
        } else {
            steps = switch (method) {
                case COLA -> 10;
                case LORA, ASYMM, FPFT -> 0;
                default -> 1;
            };
        }
        if (Set.of(Method.LORA, Method.ASYMM).contains(method)) {
            steps = 0; // these never merge
        }
        try {
            return new ChainSpec(method, rank, p, Double.isNaN(alpha) ? rank : alpha, loraModules, coin, steps,
                    firstSide, gaussianFactor, adamw, SketchSampler.parse(sketch), seed);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(e.getMessage());
        }
    }

    private static Method parseMethod(String s) {
        try {
            return Method.parse(s);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(e.getMessage());
        }
    }

    private static double positiveAtMostOne(RunConfig c, String key) {
        double v = c.number(key, 0, 1);
        if (v == 0) {
            throw new ConfigException(key + " must be in (0, 1], got 0");
        }
        return v;
    }

    private Shape parseShape() {
        try {
            return Shape.parse(shapeText);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(e.getMessage());
        }
    }

    /** The shape of W for d features: model.shape, or the square root of d when auto. */
    public Shape shapeFor(int d) {
        if ("auto".equalsIgnoreCase(shapeText)) {
            int m = (int) Math.round(Math.sqrt(d));
            if (m * m != d) {
                throw new ConfigException("model.shape=auto needs a square feature count, but the data has " + d
                        + " features (set model.shape=MxN with M*N=" + d + ")");
            }
            return new Shape(m, m);
        }
        Shape s = parseShape();
        if (s.size() != d) {
            throw new ConfigException("model.shape=" + s + " has " + s.size() + " entries but the data has " + d
                    + " features (set model.shape=MxN with M*N=" + d + ")");
        }
        return s;
    }

    public void checkRank(Shape s) {
        int max = Math.min(s.m(), s.n());
        if (method != Method.FPFT && rank > max) {
            throw new ConfigException("lora.rank=" + rank + " exceeds min(m, n)=" + max + " for model.shape=" + s
                    + " (set lora.rank <= " + max + ")");
        }
    }
}
