package org.blora.app;

import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;
import org.blora.config.ConfigException;
import org.blora.config.DataSource;
import org.blora.config.DataSplit;
import org.blora.config.LabelKind;
import org.blora.config.TrainSpec;
import org.blora.core.objective.DataBlock;
import org.blora.data.Blocks;
import org.blora.data.ClientDataReader;
import org.blora.data.DataFormat;
import org.blora.data.SyntheticClients;
import org.blora.data.mnist.ClassFilter;
import org.blora.data.mnist.MnistClients;
import org.blora.data.regression.MarginLabels;
import org.blora.data.regression.PrepRegression;
import org.blora.io.RunFolder;
import org.blora.spark.SharedPasses;
import scala.Tuple2;

/**
 * The data of one SparkSession, shared by every run in it (a train job has one run, a sweep many): the
 * clients' blocks persisted once per data key and reused while the key is equal, and the smoothness estimates
 * per (data, seed, tolerance). Also owns the on-disk cache of generated data sets ({@code data.cache.dir}).
 * Thread-safe: the points of a parallel sweep ask for their blocks concurrently (the sweep loads them first).
 */
public final class DataSession implements AutoCloseable {
    /** Cached blocks with what the first pass learned about them. */
    public record Loaded(String key, JavaRDD<DataBlock> blocks, long rows, int features, long[] clientRows) {
    }

    private final SparkSession spark;
    private final JavaSparkContext sc;
    private final PrintStream log;
    private final Map<String, Loaded> loaded = new LinkedHashMap<>();
    /** Held-out splits (validation, test) of the data sets in use. */
    private final Map<String, Loaded> held = new LinkedHashMap<>();
    private final Map<String, double[]> gramNorms = new LinkedHashMap<>();
    /** Where concurrent runs share stages; null while runs do not share them. */
    private volatile SharedPasses sharedPasses;

    public DataSession(SparkSession spark, PrintStream log) {
        this.spark = spark;
        this.sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        this.log = log;
    }

    public SparkSession spark() {
        return spark;
    }

    public JavaSparkContext sc() {
        return sc;
    }

    /** From now on, concurrent runs on the same blocks share stages (a parallel sweep). */
    public void shareStages() {
        sharedPasses = new SharedPasses();
    }

    /** Where the runs of this session share stages, or null when they do not. */
    public SharedPasses sharedPasses() {
        return sharedPasses;
    }

    /** What identifies the loaded blocks: equal keys give identical blocks. */
    static String dataKey(TrainSpec spec) {
        String layout = ";clients=" + spec.fed().clients() + ";blockBytes=" + spec.data().blockBytes();
        return switch (spec.data().source()) {
            case SYNTHETIC_REGRESSION -> "synthetic:" + spec.data().synthetic().cacheKey() + ";split=" + spec.data().split()
                    + (spec.labels() == LabelKind.SIGN ? ";labels=sign;margin=" + spec.data().margin() : "") + layout;
            case CACHED_REGRESSION -> "cached:" + cachedPath(spec) + layout;
            case COUNTEREXAMPLE -> "counterexample";
            case MNIST -> "mnist:" + spec.data().path() + ";split=train;classes=" + spec.data().classes() + layout;
            case DATAFRAME -> throw dataframeOnly();
            case PATH -> "path:" + spec.data().path() + ";format=" + spec.data().format().key()
                    + ";shape=" + spec.model().shapeText() + layout;
        };
    }

    /** Where a cached-regression data set lives: data.cache.dir/KEY-cCLIENTS-POST (the data depend on the client count). */
    static String cachedPath(TrainSpec spec) {
        return spec.data().cacheDir() + "/" + spec.data().synthetic().cacheKey() + "-c" + spec.fed().clients()
                + "-" + spec.data().postprocess().key();
    }

    /** The blocks of the spec's data, generated into the cache first if needed; persisted and counted once. */
    public synchronized Loaded blocks(TrainSpec spec) {
        String key = dataKey(spec);
        Loaded l = loaded.get(key);
        if (l != null) {
            return l;
        }
        // One data set at a time stays cached: a different key releases the previous blocks.
        releaseAll();
        sc.setJobDescription("load data");
        JavaRDD<DataBlock> blocks;
        if (spec.data().source() == DataSource.MNIST) {
            blocks = mnist(spec, DataSplit.TRAIN).blocks();
        } else if (spec.data().source() == DataSource.SYNTHETIC_REGRESSION) {
            int maxRows = Blocks.maxRows(spec.data().synthetic().features(), spec.data().blockBytes());
            blocks = SyntheticClients.generate(sc, spec.data().synthetic(), spec.fed().clients(),
                    maxRows, spec.data().split(), marginLabels(spec));
        } else {
            String path = spec.data().path();
            DataFormat format = spec.data().format();
            if (spec.data().source() == DataSource.CACHED_REGRESSION) {
                path = ensureGenerated(spec);
                format = DataFormat.PARQUET;
            }
            int d = format == DataFormat.LIBSVM ? shapeSize(spec) : -1;
            blocks = ClientDataReader.read(spark, path, format, spec.fed().clients(), d, spec.data().blockBytes());
        }
        blocks = blocks.persist(StorageLevel.MEMORY_AND_DISK());
        l = count(key, blocks);
        loaded.put(key, l);
        return l;
    }

    /** The synthetic source's -1/+1 labels for data.labels=sign, or null for regression targets. */
    static MarginLabels marginLabels(TrainSpec spec) {
        if (spec.labels() != LabelKind.SIGN) {
            return null;
        }
        try {
            return new MarginLabels(spec.data().synthetic(), spec.data().margin());
        } catch (IllegalArgumentException e) {
            throw new ConfigException(e.getMessage());
        }
    }

    private static ConfigException dataframeOnly() {
        return new ConfigException("data.source=dataframe is set by the Spark ML API (BernoulliLoRARegressor.fit), "
                + "not on the command line: use data.source=path with data.format=parquet");
    }

    /** The training clients a caller handed to the run, persisted and counted once per name and layout. */
    public synchronized Loaded blocks(TrainSpec spec, ClientData given) {
        String key = "dataframe:" + given.name() + ";clients=" + spec.fed().clients() + ";blockBytes=" + spec.data().blockBytes();
        Loaded l = loaded.get(key);
        if (l == null) {
            releaseAll();
            sc.setJobDescription("load data");
            l = count(key, given.train().blocks().persist(StorageLevel.MEMORY_AND_DISK()));
            loaded.put(key, l);
        }
        return l;
    }

    /** The validation clients a caller handed to the run, or null when it handed none. */
    public synchronized Loaded validation(TrainSpec spec, ClientData given) {
        if (given.validation() == null) {
            return null;
        }
        String key = "dataframe:" + given.name() + "#validation;clients=" + spec.fed().clients();
        Loaded l = held.get(key);
        if (l == null) {
            l = count(key, given.validation().blocks().persist(StorageLevel.MEMORY_AND_DISK()));
            held.put(key, l);
        }
        return l;
    }

    /**
     * A held-out split (val or test) of an mnist data set with the training run's class filter, as clients
     * (scored on metric rounds, never trained on); cached beside the training blocks for the session.
     */
    public synchronized Loaded heldOut(TrainSpec spec, DataSplit split) {
        String key = "mnist:" + spec.data().path() + ";split=" + split.key()
                + ";classes=" + spec.data().classes() + ";clients=" + spec.fed().clients();
        Loaded l = held.get(key);
        if (l == null) {
            sc.setJobDescription("load " + split.key() + " data");
            JavaRDD<DataBlock> blocks = mnist(spec, split).blocks().persist(StorageLevel.MEMORY_AND_DISK());
            l = count(key, blocks);
            held.put(key, l);
        }
        return l;
    }

    private MnistClients mnist(TrainSpec spec, DataSplit split) {
        try {
            return MnistClients.read(spark, spec.data().path(), split.key(), ClassFilter.parse(spec.data().classes()),
                    true, spec.fed().clients(),
                    spec.data().blockBytes());
        } catch (IllegalArgumentException e) {
            throw new ConfigException(e.getMessage());
        }
    }

    /** Generates the cached-regression data set unless a finished copy (its _spec.properties) exists. */
    synchronized String ensureGenerated(TrainSpec spec) {
        String path = cachedPath(spec);
        RunFolder folder = new RunFolder(path, sc.hadoopConfiguration());
        if (folder.exists(PrepRegression.SPEC_FILE)) {
            log.printf("[data] reusing %s%n", path);
            return path;
        }
        log.printf("[data] generating %s (%d rows x %d features, %s) into %s%n", spec.data().synthetic().cacheKey(),
                spec.data().synthetic().rows(), spec.data().synthetic().features(), spec.data().postprocess().key(), path);
        long t0 = System.nanoTime();
        try {
            PrepRegression.write(spark, spec.data().synthetic(), spec.fed().clients(), spec.data().postprocess().key(),
                    path, true);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(e.getMessage());
        }
        log.printf("[data] generated in %.1f s%n", (System.nanoTime() - t0) / 1e9);
        return path;
    }

    private static int shapeSize(TrainSpec spec) {
        if (spec.model().fixedShape() == null) {
            throw new ConfigException("data.format=libsvm needs model.shape=MxN (the feature count is not in the file)");
        }
        return spec.model().fixedShape().size();
    }

    /** One pass materialises the cache and tells rows per client and the feature count. */
    private static Loaded count(String key, JavaRDD<DataBlock> blocks) {
        List<Tuple2<Long, Integer>> perClient = blocks.mapPartitions(it -> {
            long n = 0;
            int d = -1;
            while (it.hasNext()) {
                DataBlock b = it.next();
                n += b.rows;
                d = b.cols;
            }
            return List.of(new Tuple2<>(n, d)).iterator();
        }, true).collect();
        long rows = 0;
        long[] clientRows = new long[perClient.size()];
        int d = perClient.get(0)._2();
        for (int c = 0; c < perClient.size(); c++) {
            if (perClient.get(c)._1() == 0) {
                throw new ConfigException("client " + c + " has no rows (lower clients, or re-split the data)");
            }
            if (perClient.get(c)._2() != d) {
                throw new ConfigException("data.path: rows have " + d + " features in client 0 but "
                        + perClient.get(c)._2() + " in client " + c + " (every row needs the same feature count)");
            }
            rows += perClient.get(c)._1();
            clientRows[c] = perClient.get(c)._1();
        }
        return new Loaded(key, blocks, rows, d, clientRows);
    }

    /** A remembered ||X^T X / N||_2 estimate (value, iterations) for this data, seed and tolerance, or null. */
    synchronized double[] gramNorm(String dataKey, long seed, double tol) {
        return gramNorms.get(dataKey + ";seed=" + seed + ";tol=" + tol);
    }

    synchronized void rememberGramNorm(String dataKey, long seed, double tol, double value, int iterations) {
        gramNorms.put(dataKey + ";seed=" + seed + ";tol=" + tol, new double[] {value, iterations});
    }

    /** Unpersists the blocks of {@code key} (e.g. the pre-training set once W0 is known). */
    public synchronized void release(String key) {
        Loaded l = loaded.remove(key);
        if (l != null) {
            l.blocks().unpersist(false);
        }
    }

    private synchronized void releaseAll() {
        for (String k : List.copyOf(loaded.keySet())) {
            release(k);
        }
        held.values().forEach(l -> l.blocks().unpersist(false));
        held.clear();
    }

    @Override
    public synchronized void close() {
        releaseAll();
    }
}
