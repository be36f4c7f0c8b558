package org.blora.data.regression;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.TestInstance.Lifecycle.PER_CLASS;

import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import scala.collection.Seq;

@TestInstance(PER_CLASS)
class PrepRegressionTest {
    private static final RegressionSpec SPEC = new RegressionSpec(1000, 16, 8, 4, 0.9, 50, 10, 84);
    private static final int CLIENTS = 3;
    /** Small blocks: 170 rows × 16 × 8 B, forcing k = 2 blocks per client (P = 6). */
    private static final long BLOCK = 170 * 16 * 8;

    private SparkSession spark;
    @TempDir
    Path dir;

    @BeforeAll
    void start() {
        spark = SparkSession.builder().master("local[2]").appName("PrepRegressionTest")
                .config("spark.ui.enabled", "false")
                .config("spark.sql.shuffle.partitions", "2")
                .getOrCreate();
    }

    @AfterAll
    void stop() {
        spark.stop();
    }

    /** The expected rows computed without Spark: block statistics merged in block order, then applied. */
    private static List<double[]> expected(String post, int partitions, int perClient) {
        List<MomentStats> stats = new ArrayList<>();
        for (int p = 0; p < partitions; p++) {
            stats.add(MomentStats.ofPartition(SPEC, p, partitions));
        }
        PostProcessing pp = PostProcessing.of(post, PrepRegression.mergeInOrder(SPEC.features(), stats));
        List<double[]> out = new ArrayList<>();
        for (int p = 0; p < partitions; p++) {
            RegressionRows rows = RegressionGenerator.rows(SPEC, p, partitions);
            while (rows.hasNext()) {
                double[] x = new double[SPEC.features()];
                double y = pp.apply(x, rows.next(x));
                double[] r = new double[SPEC.features() + 2];
                r[0] = p / perClient;
                r[1] = y;
                System.arraycopy(x, 0, r, 2, x.length);
                out.add(r);
            }
        }
        out.sort(Comparator.comparingDouble(r -> r[1]));
        return out;
    }

    private List<double[]> read(String uri) {
        List<Row> rows = spark.read().parquet(uri).select("client", "label", "features").collectAsList();
        List<double[]> out = new ArrayList<>();
        for (Row row : rows) {
            Seq<Object> f = row.getSeq(2);
            double[] r = new double[f.size() + 2];
            r[0] = row.getInt(0);
            r[1] = row.getDouble(1);
            for (int j = 0; j < f.size(); j++) {
                r[2 + j] = (Double) f.apply(j);
            }
            out.add(r);
        }
        out.sort(Comparator.comparingDouble(r -> r[1]));
        return out;
    }

    @Test
    void writesRescaledParquetThatRoundTripsBitForBit() throws Exception {
        assertEquals(2, PrepRegression.blocksPerClient(SPEC, CLIENTS, BLOCK));
        String out = dir.resolve("ft").toUri().toString();
        PrepRegression.write(spark, SPEC, CLIENTS, "rescale", out, false, BLOCK);

        FileSystem fs = FileSystem.get(URI.create(out), new Configuration());
        assertTrue(fs.exists(new org.apache.hadoop.fs.Path(out, PrepRegression.SPEC_FILE)));
        for (FileStatus st : fs.listStatus(new org.apache.hadoop.fs.Path(dir.toUri()))) {
            assertFalse(st.getPath().getName().contains(".tmp-"), "temporary left behind: " + st.getPath());
        }
        Properties props = new Properties();
        try (InputStream in = fs.open(new org.apache.hadoop.fs.Path(out, PrepRegression.SPEC_FILE))) {
            props.load(in);
        }
        Map<String, String> m = new HashMap<>();
        props.stringPropertyNames().forEach(k -> m.put(k, props.getProperty(k)));
        assertEquals(SPEC, RegressionSpec.fromProperties(m));
        assertEquals(SPEC.cacheKey(), m.get("data.cache.key"));
        assertEquals("6", m.get("data.partitions"));
        assertEquals("rescale", m.get("postprocess"));

        List<double[]> got = read(out);
        List<double[]> want = expected("rescale", 6, 2);
        assertEquals(SPEC.rows(), got.size());
        int[] perClient = new int[CLIENTS];
        for (int i = 0; i < got.size(); i++) {
            assertArrayEquals(want.get(i), got.get(i), 0.0, "row " + i);
            perClient[(int) got.get(i)[0]]++;
        }
        // 1000 rows over 6 blocks: 167,167,167,167,166,166 -> clients 334, 334, 332
        assertArrayEquals(new int[] {334, 334, 332}, perClient);

        double sum = 0;
        double ySum = 0;
        for (double[] r : got) {
            ySum += r[1];
            for (int j = 2; j < r.length; j++) {
                sum += r[j];
            }
        }
        double n = got.size() * (double) SPEC.features();
        double mean = sum / n;
        double yMean = ySum / got.size();
        double ss = 0;
        double yss = 0;
        for (double[] r : got) {
            yss += (r[1] - yMean) * (r[1] - yMean);
            for (int j = 2; j < r.length; j++) {
                ss += (r[j] - mean) * (r[j] - mean);
            }
        }
        assertEquals(1.0, mean, 1e-9);
        assertEquals(2.0, Math.sqrt(ss / n), 1e-9);
        assertEquals(1.0, yMean, 1e-9);
        assertEquals(2.0, Math.sqrt(yss / got.size()), 1e-9);
    }

    @Test
    void existingOutputIsRefusedUnlessOverwrite() throws Exception {
        Path target = dir.resolve("exists");
        Files.createDirectories(target);
        Files.writeString(target.resolve("keep.txt"), "x");
        String out = target.toUri().toString();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> PrepRegression.write(spark, SPEC, CLIENTS, "none", out));
        assertTrue(e.getMessage().startsWith("output already exists: "), e.getMessage());
        assertFalse(e.getMessage().contains("\n"));
        assertTrue(Files.exists(target.resolve("keep.txt")));

        PrepRegression.write(spark, SPEC, CLIENTS, "standardize", out, true);
        assertFalse(Files.exists(target.resolve("keep.txt")));
        List<double[]> got = read(out);
        assertEquals(SPEC.rows(), got.size());
        assertArrayEquals(expected("standardize", CLIENTS, 1).get(0), got.get(0), 0.0);
        for (int j = 1; j < got.get(0).length; j++) {
            double mean = 0;
            for (double[] r : got) {
                mean += r[j];
            }
            mean /= got.size();
            double ss = 0;
            for (double[] r : got) {
                ss += (r[j] - mean) * (r[j] - mean);
            }
            assertEquals(0.0, mean, 1e-9, "column " + j);
            assertEquals(1.0, Math.sqrt(ss / got.size()), 1e-9, "column " + j);
        }
    }

    @Test
    void millionByFourThousandSplitsIntoBlocksOfAtMost128MiB() {
        RegressionSpec big = new RegressionSpec(1_000_000, 4096, 4096, 64, 0.8, 20, 0, 42);
        for (int clients : new int[] {1, 2, 10}) {
            int k = PrepRegression.blocksPerClient(big, clients, PrepRegression.BLOCK_BYTES);
            int partitions = clients * k;
            long maxRows = RegressionGenerator.rowsOf(big, 0, partitions);
            assertTrue(maxRows * 4096 * 8 <= PrepRegression.BLOCK_BYTES, clients + " clients: " + maxRows + " rows per block");
        }
        assertEquals(123, PrepRegression.blocksPerClient(big, 2, PrepRegression.BLOCK_BYTES));
        assertEquals(11, PrepRegression.blocksPerClient(RegressionSpec.paperPretrain(), 2, PrepRegression.BLOCK_BYTES));
        assertEquals(2, PrepRegression.blocksPerClient(RegressionSpec.paperFinetune(), 2, PrepRegression.BLOCK_BYTES));
    }

    @Test
    void badArgumentsAreRejectedBeforeSparkRuns() {
        String out = dir.resolve("bad").toUri().toString();
        IllegalArgumentException c = assertThrows(IllegalArgumentException.class,
                () -> PrepRegression.write(spark, SPEC, 0, "none", out));
        assertTrue(c.getMessage().startsWith("clients "), c.getMessage());
        IllegalArgumentException p = assertThrows(IllegalArgumentException.class,
                () -> PrepRegression.write(spark, SPEC, 2, "zscore", out));
        assertTrue(p.getMessage().startsWith("postprocess "), p.getMessage());
        assertFalse(Files.exists(dir.resolve("bad")));
    }
}
