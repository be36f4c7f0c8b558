package org.blora.data.mnist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.TestInstance.Lifecycle.PER_CLASS;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.blora.data.DataException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** prep-mnist on a miniature MNIST the test writes: every value of the Parquet output recomputed from the pixels. */
@TestInstance(PER_CLASS)
class PrepMnistTest {
    private static final int VAL = 8;
    private static final long SEED = 5;
    private SparkSession spark;
    @TempDir
    Path dir;

    @BeforeAll
    void start() {
        spark = SparkSession.builder().master("local[2]").appName("PrepMnistTest")
                .config("spark.ui.enabled", "false").config("spark.sql.shuffle.partitions", "2").getOrCreate();
    }

    @AfterAll
    void stop() {
        spark.stop();
    }

    private PrepMnist.Result prep(Path in, String out, long seed) {
        // 16 rows per partition: four part files, so the id order across files is exercised too
        return PrepMnist.write(spark, in.toString(), out, VAL, seed, false, 16);
    }

    /** The output's rows sorted by id, as (id, label, split, features). */
    private List<Row> rows(String out) {
        return spark.read().parquet(out).select("id", "label", "split", "features").orderBy("id").collectAsList();
    }

    private static Set<Long> valIds(List<Row> rows) {
        return rows.stream().filter(r -> r.getString(2).equals("val")).map(r -> r.getLong(0))
                .collect(Collectors.toCollection(TreeSet::new));
    }

    @Test
    void writesNormalisedPixelsIdsLabelsAndSplits() throws Exception {
        Path in = dir.resolve("plain");
        TinyMnist.write(in, false);
        String out = dir.resolve("out").toString();
        PrepMnist.Result result = prep(in, out, SEED);

        List<Row> rows = rows(out);
        assertEquals(TinyMnist.TRAIN + TinyMnist.TEST, rows.size());
        Set<Long> val = Arrays.stream(PrepMnist.validation(TinyMnist.TRAIN, VAL, SEED)).mapToObj(i -> (long) i)
                .collect(Collectors.toSet());
        assertEquals(VAL, val.size());
        for (int i = 0; i < rows.size(); i++) {
            Row r = rows.get(i);
            assertEquals(i, r.getLong(0), "ids are 0..59 without gaps");
            assertEquals(TinyMnist.label(i), r.getInt(1), "label of id " + i);
            String split = i >= TinyMnist.TRAIN ? "test" : val.contains((long) i) ? "val" : "train";
            assertEquals(split, r.getString(2), "split of id " + i);
            List<Double> f = r.getList(3);
            assertEquals(TinyMnist.PIXELS, f.size());
            for (int j = 0; j < f.size(); j++) {
                double want = (TinyMnist.pixel(i, j) / 255.0 - 0.1307) / 0.3081;
                assertEquals(want, f.get(j), 0.0, "pixel " + j + " of id " + i + " (exactly the normalisation)");
            }
        }
        assertEquals((0.0 - 0.1307) / 0.3081, PrepMnist.normalise(0), 0.0);
        assertEquals((1.0 - 0.1307) / 0.3081, PrepMnist.normalise(255), 0.0);

        assertTrue(Files.exists(dir.resolve("out").resolve(PrepMnist.PROPERTIES_FILE)));
        try (Stream<Path> s = Files.list(dir)) {
            assertTrue(s.noneMatch(p -> p.getFileName().toString().contains(".tmp-")), "no temporary folder left");
        }
        Properties p = new Properties();
        try (InputStream is = Files.newInputStream(dir.resolve("out").resolve(PrepMnist.PROPERTIES_FILE))) {
            p.load(is);
        }
        assertEquals(result.properties(), p.entrySet().stream()
                .collect(Collectors.toMap(e -> (String) e.getKey(), e -> (String) e.getValue())));
        assertEquals("32", p.getProperty("train.rows"));
        assertEquals("8", p.getProperty("val.rows"));
        assertEquals("20", p.getProperty("test.rows"));
        assertEquals("5", p.getProperty("mnist.seed"));
        for (String split : PrepMnist.SPLITS) {
            for (int k = 0; k < 10; k++) {
                String sp = split;
                int kk = k;
                long want = rows.stream().filter(r -> r.getString(2).equals(sp) && r.getInt(1) == kk).count();
                assertEquals(Long.toString(want), p.getProperty(split + ".class." + k), split + " class " + k);
            }
        }
        assertEquals("4", p.getProperty("test.class.0"));
        assertEquals("0", p.getProperty("test.class.5"), "the tiny test set holds digits 0-4 only");
        IdxFile labels = IdxFile.read(spark.sparkContext().hadoopConfiguration(),
                in.resolve(PrepMnist.TRAIN_LABELS).toString(), IdxFile.LABELS);
        assertEquals(labels.sha256(), p.getProperty("sha256." + PrepMnist.TRAIN_LABELS));
        // tiny files are not the original ones: one warning per file, no error
        assertEquals(4, result.warnings().size(), String.valueOf(result.warnings()));
    }

    @Test
    void gzippedInputGivesTheSameRowsAndTheSplitDependsOnlyOnTheSeed() throws Exception {
        Path plain = dir.resolve("p");
        Path gz = dir.resolve("g");
        TinyMnist.write(plain, false);
        TinyMnist.write(gz, true);
        List<Row> a = rows(prepTo(plain, "a", SEED));
        List<Row> b = rows(prepTo(gz, "b", SEED));
        List<Row> c = rows(prepTo(plain, "c", SEED + 1));
        assertEquals(a, b, "plain and gzipped input, same seed: identical rows");
        assertEquals(valIds(a), valIds(b));
        assertNotEquals(valIds(a), valIds(c), "another seed draws another val set");
        assertEquals(VAL, valIds(c).size());
    }

    private String prepTo(Path in, String name, long seed) {
        String out = dir.resolve(name).toString();
        prep(in, out, seed);
        return out;
    }

    /**
     * Each training image lands in val with probability val/train. Over 2,000 seeds (train 40, val 8) an image's
     * count is Binomial(2000, 0.2): mean 400, sd 17.9; the check allows 5 sd. A permutation that never moves the
     * last elements (a broken shuffle) fails it.
     */
    @Test
    void validationSetIsAUniformDraw() {
        int seeds = 2000;
        int[] hits = new int[TinyMnist.TRAIN];
        for (long s = 0; s < seeds; s++) {
            int[] v = PrepMnist.validation(TinyMnist.TRAIN, VAL, s);
            assertEquals(VAL, Arrays.stream(v).distinct().count());
            for (int i : v) {
                hits[i]++;
            }
        }
        assertUniform(hits, seeds);
        int[] identity = new int[TinyMnist.TRAIN];
        for (int i = TinyMnist.TRAIN - VAL; i < TinyMnist.TRAIN; i++) {
            identity[i] = seeds; // a shuffle that does not shuffle: always the last 8 images
        }
        assertThrows(AssertionError.class, () -> assertUniform(identity, seeds), "the check rejects a broken shuffle");
        assertEquals(0, PrepMnist.validation(TinyMnist.TRAIN, 0, 1).length);
    }

    private static void assertUniform(int[] hits, int seeds) {
        double mean = seeds * (double) VAL / TinyMnist.TRAIN;
        double sd = Math.sqrt(seeds * 0.2 * 0.8);
        for (int i = 0; i < hits.length; i++) {
            assertEquals(mean, hits[i], 5 * sd, "image " + i);
        }
    }

    @Test
    void aMissingFileIsNamedAndNothingIsWritten() throws Exception {
        Path in = dir.resolve("missing");
        TinyMnist.write(in, false);
        Files.delete(in.resolve(PrepMnist.TEST_LABELS));
        String out = dir.resolve("never").toString();
        DataException e = assertThrows(DataException.class, () -> prep(in, out, SEED));
        assertTrue(e.getMessage().startsWith(in.resolve(PrepMnist.TEST_LABELS) + ": not found, nor "
                + PrepMnist.TEST_LABELS + ".gz (run data-prep/fetch-mnist.sh"), e.getMessage());
        assertFalse(Files.exists(dir.resolve("never")));
    }

    @Test
    void aTruncatedFileIsNamedAndNothingIsWritten() throws Exception {
        Path in = dir.resolve("truncated");
        TinyMnist.write(in, true);
        byte[] images = TinyMnist.images(0, TinyMnist.TRAIN);
        Path file = in.resolve(PrepMnist.TRAIN_IMAGES + ".gz");
        TinyMnist.write(file, Arrays.copyOf(images, images.length - 100), true);
        String out = dir.resolve("never2").toString();
        DataException e = assertThrows(DataException.class, () -> prep(in, out, SEED));
        assertTrue(e.getMessage().startsWith(file + ": truncated: "), e.getMessage());
        assertFalse(Files.exists(dir.resolve("never2")));
    }

    @Test
    void filesThatDoNotBelongTogetherAreRefused() throws Exception {
        Path in = dir.resolve("mismatch");
        TinyMnist.write(in, false);
        TinyMnist.write(in.resolve(PrepMnist.TRAIN_LABELS), TinyMnist.labels(0, TinyMnist.TRAIN - 1), false);
        DataException e = assertThrows(DataException.class, () -> prep(in, dir.resolve("x").toString(), SEED));
        assertTrue(e.getMessage().contains(": has 39 labels but "), e.getMessage());

        TinyMnist.write(in.resolve(PrepMnist.TRAIN_LABELS), TinyMnist.labels(0, TinyMnist.TRAIN), false);
        byte[] labels = TinyMnist.labels(TinyMnist.TRAIN, TinyMnist.TEST);
        labels[8 + 3] = 12;
        TinyMnist.write(in.resolve(PrepMnist.TEST_LABELS), labels, false);
        e = assertThrows(DataException.class, () -> prep(in, dir.resolve("x").toString(), SEED));
        assertTrue(e.getMessage().endsWith(PrepMnist.TEST_LABELS + ": label 12 of item 3 is not a digit 0-9"
                + " (not an MNIST label file)"), e.getMessage());
    }

    @Test
    void badValAndExistingOutputAreRefused() throws Exception {
        Path in = dir.resolve("args");
        TinyMnist.write(in, false);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> PrepMnist.write(spark, in.toString(), dir.resolve("y").toString(), TinyMnist.TRAIN, SEED, false));
        assertTrue(e.getMessage().startsWith("val must be below the 40 images of "), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> PrepMnist.write(spark, in.toString(), dir.resolve("y").toString(), -1, SEED, false));
        assertTrue(e.getMessage().startsWith("val must be >= 0"), e.getMessage());

        Path target = dir.resolve("exists");
        Files.createDirectories(target);
        e = assertThrows(IllegalArgumentException.class, () -> prep(in, target.toString(), SEED));
        assertTrue(e.getMessage().startsWith("output already exists: "), e.getMessage());
        PrepMnist.write(spark, in.toString(), target.toString(), 0, SEED, true);
        List<Row> rows = rows(target.toString());
        assertTrue(valIds(rows).isEmpty(), "val = 0: no val split");
        assertEquals(TinyMnist.TRAIN + TinyMnist.TEST, rows.size());
    }
}
