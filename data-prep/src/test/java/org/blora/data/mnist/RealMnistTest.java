package org.blora.data.mnist;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;
import static org.junit.jupiter.api.TestInstance.Lifecycle.PER_CLASS;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.SparkSession;
import org.blora.core.objective.DataBlock;
import org.blora.data.Blocks;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real MNIST files, when present (environment variable BLORA_MNIST_DIR, else {@code data/mnist} of the
 * repository, filled by {@code data-prep/fetch-mnist.sh}): the counts of the Bernoulli-LoRA paper's MNIST
 * experiment. Skipped otherwise, so that the build needs no network.
 */
@TestInstance(PER_CLASS)
class RealMnistTest {
    private SparkSession spark;
    @TempDir
    static Path dir;

    private static Path mnistDir() {
        String env = System.getenv("BLORA_MNIST_DIR");
        if (env != null && !env.isBlank()) {
            return Path.of(env);
        }
        Path here = Path.of("").toAbsolutePath();
        // Maven runs the tests in the module's folder.
        Path root = here.endsWith("data-prep") ? here.getParent() : here;
        return root.resolve("data").resolve("mnist");
    }

    private static boolean present(Path in) {
        for (String name : List.of(PrepMnist.TRAIN_IMAGES, PrepMnist.TRAIN_LABELS, PrepMnist.TEST_IMAGES,
                PrepMnist.TEST_LABELS)) {
            if (!Files.exists(in.resolve(name)) && !Files.exists(in.resolve(name + ".gz"))) {
                return false;
            }
        }
        return true;
    }

    @AfterAll
    void stop() {
        if (spark != null) {
            spark.stop();
        }
    }

    private static long sum(Map<String, String> p, String split, int from, int to) {
        long n = 0;
        for (int k = from; k <= to; k++) {
            n += Long.parseLong(p.get(split + ".class." + k));
        }
        return n;
    }

    @Test
    void countsOfThePapersExperiment() {
        // The assumption in the test (not in @BeforeAll) makes the report show the test as skipped, with the reason.
        assumeTrue(present(mnistDir()), "the MNIST files are not in " + mnistDir()
                + ": run data-prep/fetch-mnist.sh (or set BLORA_MNIST_DIR) to run this test");
        spark = SparkSession.builder().master("local[2]").appName("RealMnistTest")
                .config("spark.ui.enabled", "false").config("spark.sql.shuffle.partitions", "2").getOrCreate();
        String out = dir.resolve("mnist").toString();
        PrepMnist.Result r = PrepMnist.write(spark, mnistDir().toString(), out, PrepMnist.DEFAULT_VAL,
                PrepMnist.DEFAULT_SEED, false);
        Map<String, String> p = r.properties();
        assertEquals(List.of(), r.warnings(), "the files are the original ones");
        assertEquals("28", p.get("mnist.image.rows"));
        assertEquals("28", p.get("mnist.image.cols"));
        assertEquals("55000", p.get("train.rows"));
        assertEquals("5000", p.get("val.rows"));
        assertEquals("10000", p.get("test.rows"));
        assertEquals(60_000, sum(p, "train", 0, 9) + sum(p, "val", 0, 9));
        assertEquals(30_596, sum(p, "train", 0, 4) + sum(p, "val", 0, 4), "digits 0-4 of the training file");
        assertEquals(5_139, sum(p, "test", 0, 4), "digits 0-4 of the test file");

        MnistClients test = MnistClients.read(spark, out, "test", ClassFilter.parse("0-4"), true, 2,
                Blocks.DEFAULT_BLOCK_BYTES);
        assertEquals(5_139, test.rows());
        assertEquals(5, test.classes());
        long rows = 0;
        for (DataBlock b : test.blocks().collect()) {
            assertEquals(784, b.cols);
            assertEquals(rows, b.firstRow);
            rows += b.rows;
        }
        assertEquals(5_139, rows);

        MnistClients fineTune = MnistClients.read(spark, out, "train", ClassFilter.parse("5-9"), true, 4,
                Blocks.DEFAULT_BLOCK_BYTES);
        assertEquals(sum(p, "train", 5, 9), fineTune.rows());
        double[] labels = fineTune.blocks().flatMap(b -> Arrays.stream(b.y).boxed().iterator())
                .distinct().collect().stream().mapToDouble(Double::doubleValue).sorted().toArray();
        assertArrayEquals(new double[] {0, 1, 2, 3, 4}, labels, 0.0, "digits 5-9 relabelled to 0-4");
    }
}
