package org.blora.config;

import java.util.Set;
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
    public final int mergeEvery;
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

    public TrainSpec(RunConfig c) {
        c = DataPresets.apply(c);
        this.config = c;
        source = c.string("data.source", Set.of("synthetic-regression", "cached-regression", "path", "counterexample"));
        path = c.get("data.path");
        format = c.string("data.format", Set.of("parquet", "csv", "libsvm"));
        postprocess = c.string("data.postprocess", Set.of("none", "standardize", "rescale"));
        cacheDir = c.get("data.cache.dir");
        curvature = c.number("data.curvature", Double.MIN_VALUE, Double.MAX_VALUE);
        if ("path".equals(source) && path.isEmpty()) {
            throw new ConfigException("data.path is required when data.source=path (set data.path=URI of the data)");
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
        mergeEvery = c.integer("lora.merge.every", 1, Integer.MAX_VALUE);
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
        metricsEvery = c.integer("run.metrics.every", 1, Integer.MAX_VALUE);
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
        if (sketchFirst && (!"none".equals(protocol) || !Set.of("gd", "sgd").contains(estimator)
                || !Set.of(Method.BERNOULLI, Method.RAC).contains(method))) {
            throw new ConfigException("fed.sketch.first=true needs fed.protocol=none, optim.estimator=gd or sgd and lora.method=bernoulli or rac");
        }
        checkpointEvery = c.integer("run.checkpoint.every", 0, Integer.MAX_VALUE);
        checkpointKeep = Boolean.parseBoolean(c.string("run.checkpoint.keep", Set.of("true", "false")));
        resume = Boolean.parseBoolean(c.string("run.resume", Set.of("true", "false")));
        if (resume && Set.of("marina", "ef21").contains(protocol)) {
            throw new ConfigException("run.resume=true is not supported with fed.protocol=" + protocol
                    + " (its per-client state is not in the checkpoints yet); rerun from the start");
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
