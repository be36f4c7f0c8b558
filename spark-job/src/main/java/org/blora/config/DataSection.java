package org.blora.config;

import org.blora.data.ClientSplit;
import org.blora.data.DataFormat;
import org.blora.data.regression.RegressionSpec;

/** The data.* keys: where the rows come from, how synthetic rows are generated and split over the clients. */
public final class DataSection {
    public static final KeyGroup KEYS = new KeyGroup("Data", "where the rows come from and how they are generated");

    public static final Key<DataSource> SOURCE = KEYS.key("data.source", "synthetic-regression", Key.choice(DataSource.class),
            "synthetic-regression (generated on the executors), mnist (a folder written by prep-mnist), cached-regression "
                    + "(generated once into data.cache.dir with data.postprocess, then read), path, or counterexample "
                    + "(the RAC-LoRA quadratic, no data)");
    public static final Key<DataPresets.Preset> PRESET = KEYS.key("data.preset", "none", Key.choice(DataPresets.Preset.class),
            "none, paper-pretrain or paper-finetune: the paper's generator settings and "
                    + "post-processing as defaults of the data.* keys (implies data.source=cached-regression)");
    public static final Key<PostProcess> POSTPROCESS = KEYS.key("data.postprocess", "none", Key.choice(PostProcess.class),
            "cached-regression: none, standardize (pre-training data) or rescale (fine-tuning data: mean 1, std 2)");
    public static final Key<String> CACHE_DIR = KEYS.key("data.cache.dir", "data", Key.text(),
            "folder (Hadoop URI) of generated data sets and pre-trained W0, keyed by their parameters");
    public static final Key<Double> CURVATURE = KEYS.key("data.curvature", "10", Key.number(Double.MIN_VALUE, Double.MAX_VALUE),
            "counterexample: M = diag(curvature, 1, ..., 1), so L = curvature");
    public static final Key<String> PATH = KEYS.key("data.path", "", Key.text(),
            "Hadoop URI of the data (file://, hdfs://, s3a://) when data.source=path");
    public static final Key<DataFormat> FORMAT = KEYS.key("data.format", "parquet", Key.choice(DataFormat.class),
            "parquet (label, features[, client]), libsvm, or csv (dense, label first, no header)");
    public static final Key<Long> ROWS = KEYS.key(RegressionSpec.ROWS, "4000", Key.atLeast(1), "synthetic: number of rows N");
    public static final Key<Integer> FEATURES = KEYS.key(RegressionSpec.FEATURES, "256", Key.integer(1, 1 << 26),
            "synthetic: number of features d (= m n of model.shape)");
    /** Up to data.features, checked against it; -1 for auto (all). */
    public static final Key<Integer> INFORMATIVE = KEYS.key(RegressionSpec.INFORMATIVE, "auto",
            Key.orAuto(-1, Key.integer(0, 1 << 26)), "synthetic: features with a nonzero true coefficient (auto = all)");
    public static final Key<Integer> EFFECTIVE_RANK = KEYS.key(RegressionSpec.EFFECTIVE_RANK, "0", Key.integer(0, 1 << 26),
            "synthetic: make_regression effective_rank (0 = plain Gaussian features)");
    public static final Key<Double> TAIL_STRENGTH = KEYS.key(RegressionSpec.TAIL_STRENGTH, "0.5", Key.number(0, 1),
            "synthetic: make_regression tail_strength");
    public static final Key<Double> NOISE = KEYS.key(RegressionSpec.NOISE, "1.0", Key.number(0, Double.MAX_VALUE),
            "synthetic: standard deviation of the label noise");
    public static final Key<Double> BIAS = KEYS.key(RegressionSpec.BIAS, "0.0", Key.number(-Double.MAX_VALUE, Double.MAX_VALUE),
            "synthetic: intercept added to every label");
    public static final Key<Long> SEED = KEYS.key(RegressionSpec.SEED, "42", Key.atLeast(0),
            "synthetic: generator seed (each client draws from (seed, client))");
    public static final Key<String> SPLIT = KEYS.key("data.split", "iid", Key.oneOf("iid", "dirichlet"),
            "synthetic: iid (equal shares) or dirichlet (client sizes ~ Dirichlet(alpha); targets shifted only with "
                    + "data.client.shift)");
    public static final Key<Double> DIRICHLET_ALPHA = KEYS.key("data.dirichlet.alpha", "0.5",
            Key.number(Double.MIN_VALUE, Double.MAX_VALUE),
            "synthetic: Dirichlet concentration of the client sizes (smaller = more uneven)");
    public static final Key<Double> CLIENT_SHIFT = KEYS.key("data.client.shift", "0.0",
            Key.number(-Double.MAX_VALUE, Double.MAX_VALUE),
            "synthetic: client c's targets are shifted by shift * N(0, 1) (heterogeneity)");
    public static final Key<LabelKind> LABELS = KEYS.key("data.labels", "auto", Key.choice(LabelKind.class),
            "synthetic: values (the make_regression targets) or sign (-1/+1: the side of the true "
                    + "coefficients' hyperplane, each row moved to at least data.margin from it, so the hinge loss has f* = 0); "
                    + "auto = sign for model.loss=hinge");
    public static final Key<Double> MARGIN = KEYS.key("data.margin", "0.1", Key.number(Double.MIN_VALUE, Double.MAX_VALUE),
            "synthetic, data.labels=sign: least distance of a row from the hyperplane (W* = unit normal / margin)");
    public static final Key<String> CLASSES = KEYS.key("data.classes", "all", Key.text(),
            "mnist: the classes kept (0-4, 5-9, 0,3,7 or all), relabelled in increasing order to 0..K-1");
    public static final Key<Long> BLOCK_MB = KEYS.key("data.block.mb", "128", Key.atLeast(1),
            "upper bound on one cached block of a client's rows, in MB");

    private final DataSource source;
    private final String path;
    private final DataFormat format;
    private final PostProcess postprocess;
    private final String cacheDir;
    private final double curvature;
    private final RegressionSpec synthetic;
    private final int counterexampleFeatures;
    private final long seed;
    private final ClientSplit split;
    private final LabelKind labels;
    private final double margin;
    private final String classes;
    private final long blockBytes;

    /**
     * The data section of {@code c}, a configuration with its data.preset applied ({@link DataPresets}); {@code
     * sourceExplicit}: whether data.source was given rather than implied by the preset (for the message).
     */
    DataSection(RunConfig c, boolean sourceExplicit) {
        source = c.get(SOURCE);
        path = c.get(PATH);
        format = c.get(FORMAT);
        postprocess = c.get(POSTPROCESS);
        cacheDir = c.get(CACHE_DIR);
        curvature = c.get(CURVATURE);
        checkPath(c, sourceExplicit);
        if (source != DataSource.CACHED_REGRESSION && postprocess != PostProcess.NONE) {
            throw new ConfigException(POSTPROCESS.is(postprocess.key()) + " needs data.source=cached-regression "
                    + "(the statistics pass runs when the data set is generated)");
        }
        synthetic = source.generated() ? generator(c) : null;
        labels = c.get(LABELS);
        margin = c.get(MARGIN);
        classes = c.get(CLASSES);
        blockBytes = c.get(BLOCK_MB) << 20;
        split = ConfigException.translated(() -> new ClientSplit(c.get(SPLIT), c.get(DIRICHLET_ALPHA), c.get(CLIENT_SHIFT), 16));
        counterexampleFeatures = source == DataSource.COUNTEREXAMPLE ? c.get(FEATURES) : 0;
        seed = c.get(SEED);
    }

    /** data.path is required by the sources that read it and refused by those that would ignore it. */
    private void checkPath(RunConfig c, boolean sourceExplicit) {
        if ((source == DataSource.PATH || source == DataSource.MNIST) && path.isEmpty()) {
            throw new ConfigException("data.path is required when " + SOURCE.is(source.key()) + " (set data.path=URI of the data"
                    + (source == DataSource.MNIST ? " written by prep-mnist)" : ")"));
        }
        if ((source.generated() || source == DataSource.COUNTEREXAMPLE) && !path.isEmpty()) {
            throw new ConfigException(PATH.is(path) + " is not read with " + SOURCE.is(source.key())
                    + (sourceExplicit || c.get(PRESET) == DataPresets.Preset.NONE ? ""
                            : " (implied by " + PRESET.is(c.text(PRESET)) + ")")
                    + ": set data.source=path and data.preset=none to read it, or drop data.path");
        }
    }

    private static RegressionSpec generator(RunConfig c) {
        int d = c.get(FEATURES);
        int informative = c.get(INFORMATIVE) < 0 ? d : c.get(INFORMATIVE);
        if (informative > d) {
            throw new ConfigException(INFORMATIVE + " must be in [0, " + d + "], got " + informative);
        }
        int effectiveRank = c.get(EFFECTIVE_RANK);
        if (effectiveRank > d) {
            throw new ConfigException(EFFECTIVE_RANK + " must be in [0, " + d + "], got " + effectiveRank);
        }
        try {
            return new RegressionSpec(c.get(ROWS), d, informative, effectiveRank, c.get(TAIL_STRENGTH), c.get(NOISE),
                    c.get(BIAS), c.get(SEED));
        } catch (IllegalArgumentException e) {
            throw new ConfigException(e.getMessage());
        }
    }

    public DataSource source() {
        return source;
    }

    /** data.path: the URI of the data when data.source=path or mnist. */
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

    /** data.seed: the generator's seed. */
    public long seed() {
        return seed;
    }

    public ClientSplit split() {
        return split;
    }

    /** data.labels as given (auto possible); {@link TrainSpec#labels()} resolves auto. */
    public LabelKind givenLabels() {
        return labels;
    }

    public double margin() {
        return margin;
    }

    /** data.classes: the mnist classes kept (relabelled 0..K-1). */
    public String classes() {
        return classes;
    }

    public long blockBytes() {
        return blockBytes;
    }
}
