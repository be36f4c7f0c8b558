package org.blora.data.mnist;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.TestInstance.Lifecycle.PER_CLASS;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.function.IntPredicate;
import java.util.function.IntUnaryOperator;
import java.util.stream.Collectors;
import org.apache.spark.sql.SparkSession;
import org.blora.core.objective.DataBlock;
import org.blora.data.DataException;
import org.blora.data.regression.PrepRegression;
import org.blora.data.regression.RegressionSpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import scala.Tuple2;

/**
 * A prepared miniature MNIST read back as federated clients: the kept rows in id order, row i on client
 * ⌊i M / N⌋ with global row number i, labels relabelled as asked, one partition per client.
 */
@TestInstance(PER_CLASS)
class MnistClientsTest {
    private static final int VAL = 8;
    private static final long SEED = 3;
    /** Three rows of 16 features per block: clients hold several blocks. */
    private static final long BLOCK = 3 * TinyMnist.PIXELS * 8;
    private SparkSession spark;
    private String data;
    private Set<Integer> val;
    @TempDir
    static Path dir;

    @BeforeAll
    void start() throws Exception {
        spark = SparkSession.builder().master("local[2]").appName("MnistClientsTest")
                .config("spark.ui.enabled", "false").config("spark.sql.shuffle.partitions", "2").getOrCreate();
        Path in = dir.resolve("idx");
        TinyMnist.write(in, true);
        data = dir.resolve("mnist").toString();
        PrepMnist.write(spark, in.toString(), data, VAL, SEED, false, 16);
        val = Arrays.stream(PrepMnist.validation(TinyMnist.TRAIN, VAL, SEED)).boxed().collect(Collectors.toSet());
    }

    @AfterAll
    void stop() {
        spark.stop();
    }

    /** Ids of a split, ascending, computed from the tiny data set's definition. */
    private List<Integer> ids(String split, IntPredicate keepLabel) {
        List<Integer> out = new ArrayList<>();
        for (int id = 0; id < TinyMnist.TRAIN + TinyMnist.TEST; id++) {
            String s = id >= TinyMnist.TRAIN ? "test" : val.contains(id) ? "val" : "train";
            if (s.equals(split) && keepLabel.test(TinyMnist.label(id))) {
                out.add(id);
            }
        }
        return out;
    }

    /**
     * Checks every block against the expected ids: partition p holds client p's blocks only, global row numbers
     * are 0..N-1 in order, row i is id ids[i] on client ⌊i M / N⌋ with the expected label and features.
     */
    private static void assertLayout(MnistClients c, List<Integer> ids, int clients, IntUnaryOperator label) {
        assertEquals(clients, c.blocks().getNumPartitions());
        assertEquals(ids.size(), c.rows());
        List<Tuple2<Integer, DataBlock>> blocks = c.blocks()
                .mapPartitionsWithIndex((p, it) -> {
                    List<Tuple2<Integer, DataBlock>> out = new ArrayList<>();
                    it.forEachRemaining(b -> out.add(new Tuple2<>(p, b)));
                    return out.iterator();
                }, true).collect();
        long n = ids.size();
        long next = 0;
        for (Tuple2<Integer, DataBlock> t : blocks) {
            DataBlock b = t._2();
            assertEquals((int) t._1(), b.client, "partition p holds client p");
            assertEquals(next, b.firstRow, "global row numbers continue across blocks and clients");
            assertTrue(b.rows <= 3, "a block holds at most blockBytes of features");
            assertEquals(TinyMnist.PIXELS, b.cols);
            for (int r = 0; r < b.rows; r++) {
                long i = b.firstRow + r;
                int id = ids.get((int) i);
                assertEquals(i * clients / n, b.client, "row " + i + " on client floor(i M / N)");
                assertEquals(label.applyAsInt(TinyMnist.label(id)), b.y[r], 0.0, "label of row " + i + " (id " + id + ")");
                double[] want = new double[TinyMnist.PIXELS];
                for (int j = 0; j < want.length; j++) {
                    want[j] = PrepMnist.normalise(TinyMnist.pixel(id, j));
                }
                assertArrayEquals(want, Arrays.copyOfRange(b.x, r * b.cols, (r + 1) * b.cols), 0.0, "id " + id);
            }
            next += b.rows;
        }
        assertEquals(n, next, "every kept row is read once");
    }

    @Test
    void allClassesOfTheTrainingSplitOnThreeClients() {
        MnistClients c = MnistClients.read(spark, data, "train", ClassFilter.ALL, false, 3, BLOCK);
        List<Integer> ids = ids("train", k -> true);
        assertEquals(TinyMnist.TRAIN - VAL, ids.size());
        assertLayout(c, ids, 3, k -> k);
        assertEquals(10, c.classes());

        // A reader that loses the id order inside a block fails the check.
        MnistClients reversed = new MnistClients(c.blocks().map(b -> {
            double[] x = new double[b.x.length];
            double[] y = new double[b.rows];
            for (int r = 0; r < b.rows; r++) {
                System.arraycopy(b.x, r * b.cols, x, (b.rows - 1 - r) * b.cols, b.cols);
                y[b.rows - 1 - r] = b.y[r];
            }
            return new DataBlock(b.client, b.firstRow, b.rows, b.cols, x, y);
        }), c.rows(), c.classes());
        assertThrows(AssertionError.class, () -> assertLayout(reversed, ids, 3, k -> k));
    }

    @Test
    void fineTuningDigitsRelabelledToZeroToFour() {
        MnistClients c = MnistClients.read(spark, data, "train", ClassFilter.parse("5-9"), true, 3, BLOCK);
        List<Integer> ids = ids("train", k -> k >= 5);
        assertLayout(c, ids, 3, k -> k - 5);
        assertEquals(5, c.classes());
    }

    @Test
    void listedClassesWithAndWithoutRelabelling() {
        ClassFilter f = ClassFilter.parse("0,3,7");
        List<Integer> ids = ids("train", k -> k == 0 || k == 3 || k == 7);
        int[] rank = new int[10];
        rank[3] = 1;
        rank[7] = 2;
        MnistClients relabelled = MnistClients.read(spark, data, "train", f, true, 2, BLOCK);
        assertLayout(relabelled, ids, 2, k -> rank[k]);
        assertEquals(3, relabelled.classes());
        MnistClients kept = MnistClients.read(spark, data, "train", f, false, 2, BLOCK);
        assertLayout(kept, ids, 2, k -> k);
        assertEquals(8, kept.classes(), "without relabelling the head needs classes 0..7");
    }

    @Test
    void testSplitHasTheIdsAfterTheTrainingFile() {
        MnistClients c = MnistClients.read(spark, data, "test", ClassFilter.parse("0-4"), true, 3, BLOCK);
        List<Integer> ids = ids("test", k -> k <= 4);
        assertEquals(TinyMnist.TEST, ids.size());
        assertEquals(TinyMnist.TRAIN, ids.get(0));
        assertLayout(c, ids, 3, k -> k);
    }

    @Test
    void aFilterLeavingNoRowsNamesTheKeyAndTheClassesPresent() {
        DataException e = assertThrows(DataException.class,
                () -> MnistClients.read(spark, data, "test", ClassFilter.parse("5-9"), true, 2, BLOCK));
        assertEquals("data.classes=5-9 leaves no rows in split 'test' of " + data + " (classes present: 0, 1, 2, 3, 4);"
                + " choose classes among them", e.getMessage());
    }

    @Test
    void badInputIsOneLine() throws Exception {
        DataException few = assertThrows(DataException.class,
                () -> MnistClients.read(spark, data, "test", ClassFilter.parse("0"), true, 5, BLOCK));
        assertTrue(few.getMessage().contains("leaves 4 rows in split 'test' of " + data
                        + " but clients=5 (every client needs at least one row; lower clients)"),
                few.getMessage());
        IllegalArgumentException split = assertThrows(IllegalArgumentException.class,
                () -> MnistClients.read(spark, data, "validation", ClassFilter.ALL, true, 1, BLOCK));
        assertEquals("split must be one of [train, val, test], got 'validation'", split.getMessage());
        String nowhere = dir.resolve("nowhere").toString();
        DataException missing = assertThrows(DataException.class,
                () -> MnistClients.read(spark, nowhere, "train", ClassFilter.ALL, true, 1, BLOCK));
        assertEquals("data.path: " + nowhere + " does not exist (write it with prep-mnist --out)", missing.getMessage());

        String twice = dir.resolve("twice").toString();
        spark.read().parquet(data).union(spark.read().parquet(data).filter("id = 41")).write().parquet(twice);
        DataException duplicate = assertThrows(DataException.class,
                () -> MnistClients.read(spark, twice, "test", ClassFilter.ALL, true, 1, BLOCK));
        assertEquals("data.path: id 41 appears twice in split 'test' of " + twice + " (ids must be unique; write the"
                + " data again with prep-mnist)", duplicate.getMessage());

        String regression = dir.resolve("regression").toString();
        PrepRegression.write(spark, new RegressionSpec(20, 4, 4, 2, 0.9, 50, 10, 1), 1, "none", regression);
        DataException schema = assertThrows(DataException.class,
                () -> MnistClients.read(spark, regression, "train", ClassFilter.ALL, true, 1, BLOCK));
        assertEquals("data.path: " + regression + " has columns [client:int, label:double, features:array<double>],"
                + " needs id:bigint, label:int, features:array<double>, split:string (write it with prep-mnist)",
                schema.getMessage());
    }
}
