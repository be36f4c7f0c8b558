package org.blora.data.regression;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.UUID;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Spark job that generates a {@link RegressionSpec} data set in parallel and writes it as Parquet with columns
 * {@code client} (int), {@code label} (double), {@code features} (array&lt;double&gt;).
 *
 * <p>Layout: client c owns blocks c·k .. c·k + k − 1 of P = clients·k generator partitions, where k is the
 * smallest count that keeps every block at most {@link #BLOCK_BYTES} of features (the paper's pre-training set with
 * 2 clients has 45 000 rows × 32 KiB = 1.4 GB per client, so k = 11). Rows are streamed, so a task
 * holds O(d) of generated data whatever the block size; the bound keeps tasks and Parquet files of a sane size.
 * Client sizes differ by at most k rows. The data depend on (spec, P), i.e. on the client count.
 *
 * <p>Passes: with a post-processing, a first job computes {@link MomentStats} per block (each block regenerated
 * on its executor), collected and merged on the driver in block order (deterministic); the second job
 * regenerates every block, applies the post-processing on the executor and writes. Nothing of size N is ever on
 * the driver. The output is written to a hidden sibling directory and renamed onto {@code outUri} through the
 * Hadoop FileSystem API (atomic on HDFS and local file systems), together with {@value #SPEC_FILE}.
 */
public final class PrepRegression {
    /** Upper bound of one generator partition's features, in bytes. */
    public static final long BLOCK_BYTES = 128L << 20;
    /** Name of the small properties file stored next to the Parquet parts. */
    public static final String SPEC_FILE = "_spec.properties";

    public static final StructType SCHEMA = new StructType()
            .add("client", DataTypes.IntegerType, false)
            .add("label", DataTypes.DoubleType, false)
            .add("features", DataTypes.createArrayType(DataTypes.DoubleType, false), false);

    private PrepRegression() {
    }

    /** As {@link #write(SparkSession, RegressionSpec, int, String, String, boolean)} without overwriting. */
    public static void write(SparkSession spark, RegressionSpec spec, int clients, String postprocess, String outUri) {
        write(spark, spec, clients, postprocess, outUri, false);
    }

    /**
     * Generates and writes the data set.
     *
     * @param clients     number of federated clients (1..rows)
     * @param postprocess {@code none}, {@code standardize} or {@code rescale}
     * @param outUri      a Hadoop URI; refused if it exists unless {@code overwrite}
     */
    public static void write(SparkSession spark, RegressionSpec spec, int clients, String postprocess, String outUri,
                             boolean overwrite) {
        write(spark, spec, clients, postprocess, outUri, overwrite, BLOCK_BYTES);
    }

    static void write(SparkSession spark, RegressionSpec spec, int clients, String postprocess, String outUri,
                      boolean overwrite, long blockBytes) {
        String post = PostProcessing.checkName(postprocess);
        int k = blocksPerClient(spec, clients, blockBytes);
        int partitions = clients * k;
        Configuration conf = spark.sparkContext().hadoopConfiguration();
        try {
            Path given = new Path(outUri);
            FileSystem fs = FileSystem.get(given.toUri(), conf);
            Path out = fs.makeQualified(given);
            if (fs.exists(out) && !overwrite) {
                throw new IllegalArgumentException("output already exists: " + out + " (pass overwrite=true to replace it)");
            }
            Path parent = out.getParent();
            if (parent == null) {
                throw new IllegalArgumentException("output must not be a file system root: " + out);
            }
            fs.mkdirs(parent);
            Path tmp = new Path(parent, "." + out.getName() + ".tmp-" + UUID.randomUUID());
            try {
                JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
                PostProcessing pp = PostProcessing.Identity.INSTANCE;
                if (PostProcessing.needsStatistics(post)) {
                    jsc.setJobDescription("prep-regression " + spec.cacheKey() + ": statistics (" + partitions + " blocks)");
                    pp = PostProcessing.of(post, statistics(jsc, spec, partitions));
                }
                jsc.setJobDescription("prep-regression " + spec.cacheKey() + ": generate and write (" + partitions + " blocks)");
                final PostProcessing apply = pp;
                final int perClient = k;
                JavaRDD<Row> rows = blockIndices(jsc, partitions)
                        .flatMap(p -> new RowIterator(spec, p, partitions, p / perClient, apply));
                // Dictionary encoding never pays off on random doubles and costs up to half of the write time.
                spark.createDataFrame(rows, SCHEMA).write().option("parquet.enable.dictionary", "false")
                        .parquet(tmp.toString());
                writeSpecFile(fs, new Path(tmp, SPEC_FILE), spec, clients, k, apply);
                if (fs.exists(out)) {
                    fs.delete(out, true);
                }
                if (!fs.rename(tmp, out)) {
                    throw new IOException("could not rename " + tmp + " to " + out);
                }
            } finally {
                spark.sparkContext().setJobDescription(null);
                if (fs.exists(tmp)) {
                    fs.delete(tmp, true);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("writing " + outUri + ": " + e.getMessage(), e);
        }
    }

    /**
     * Blocks per client k: the smallest k ≥ 1 such that a block of the largest client holds at most
     * {@code blockBytes} of features.
     */
    public static int blocksPerClient(RegressionSpec spec, int clients, long blockBytes) {
        if (clients < 1 || clients > spec.rows()) {
            throw new IllegalArgumentException("clients must be in [1, " + RegressionSpec.ROWS + "=" + spec.rows()
                    + "], got " + clients);
        }
        long clientRows = (spec.rows() + clients - 1) / clients;
        long rowBytes = 8L * spec.features();
        long rowsPerBlock = Math.max(1, blockBytes / rowBytes);
        long k = (clientRows + rowsPerBlock - 1) / rowsPerBlock;
        if (k * clients > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("too many blocks: " + k * clients);
        }
        return (int) k;
    }

    /**
     * Distributed statistics pass: one {@link MomentStats} per block computed on the executors, collected in
     * block order and merged in that order on the driver.
     */
    public static MomentStats statistics(JavaSparkContext jsc, RegressionSpec spec, int partitions) {
        List<MomentStats> parts = blockIndices(jsc, partitions)
                .map(p -> MomentStats.ofPartition(spec, p, partitions))
                .collect();
        return mergeInOrder(spec.features(), parts);
    }

    /** Merges block statistics left to right. */
    public static MomentStats mergeInOrder(int features, List<MomentStats> parts) {
        MomentStats all = new MomentStats(features);
        for (MomentStats s : parts) {
            all.merge(s);
        }
        return all;
    }

    /** One RDD element and one Spark partition per block index, in order. */
    private static JavaRDD<Integer> blockIndices(JavaSparkContext jsc, int partitions) {
        List<Integer> idx = new ArrayList<>(partitions);
        for (int p = 0; p < partitions; p++) {
            idx.add(p);
        }
        return jsc.parallelize(idx, partitions);
    }

    private static void writeSpecFile(FileSystem fs, Path file, RegressionSpec spec, int clients, int k,
                                      PostProcessing post) throws IOException {
        Map<String, String> p = new LinkedHashMap<>(spec.toProperties());
        p.put("data.cache.key", spec.cacheKey());
        p.put("data.generator.version", Integer.toString(RegressionGenerator.VERSION));
        p.put("clients", Integer.toString(clients));
        p.put("data.blocks.per.client", Integer.toString(k));
        p.put("data.partitions", Integer.toString(clients * k));
        p.putAll(post.describe());
        p.put("data.columns", "client:int,label:double,features:array<double>");
        StringBuilder text = new StringBuilder("# blora-spark synthetic regression data set (make_regression semantics)\n");
        for (Map.Entry<String, String> e : p.entrySet()) {
            text.append(e.getKey()).append('=').append(e.getValue()).append('\n');
        }
        try (OutputStream os = fs.create(file, false)) {
            os.write(text.toString().getBytes(StandardCharsets.ISO_8859_1));
        }
    }

    /** Streams one block's rows as Spark rows, post-processed. */
    private static final class RowIterator implements Iterator<Row> {
        private final RegressionRows rows;
        private final int client;
        private final int d;
        private final PostProcessing post;

        RowIterator(RegressionSpec spec, int partition, int partitions, int client, PostProcessing post) {
            this.rows = RegressionGenerator.rows(spec, partition, partitions);
            this.client = client;
            this.d = spec.features();
            this.post = post;
        }

        @Override
        public boolean hasNext() {
            return rows.hasNext();
        }

        @Override
        public Row next() {
            if (!rows.hasNext()) {
                throw new NoSuchElementException();
            }
            double[] x = new double[d];
            double label = rows.next(x);
            double y = post.apply(x, label);
            return RowFactory.create(client, y, x);
        }
    }
}
