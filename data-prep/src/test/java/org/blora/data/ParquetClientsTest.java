package org.blora.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.TestInstance.Lifecycle.PER_CLASS;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;
import org.apache.spark.SparkException;
import org.apache.spark.ml.linalg.VectorUDT;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.blora.core.objective.DataBlock;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shuffle-free Parquet reader against the rows as written: every client gets exactly its rows, in input
 * order, with global row numbers that continue from client to client, whatever the row-group layout (one client
 * per row group, row groups that mix clients, no client column at all, ML vectors dense or sparse).
 */
@TestInstance(PER_CLASS)
class ParquetClientsTest {
    private static final int N = 600;
    private static final int D = 5;
    private SparkSession spark;
    @TempDir
    Path tmp;

    @BeforeAll
    void start() {
        spark = SparkSession.builder().master("local[2]").appName("ParquetClientsTest")
                .config("spark.ui.enabled", "false").getOrCreate();
    }

    @AfterAll
    void stop() {
        spark.stop();
    }

    private static double feature(int row, int j) {
        return row * 10.0 + j + 0.25;
    }

    private static double[] features(int row) {
        double[] x = new double[D];
        for (int j = 0; j < D; j++) {
            x[j] = feature(row, j);
        }
        return x;
    }

    /**
     * Writes rows 0..N-1 (label = row number) in {@code files} files of consecutive rows, with small row groups
     * (about 40 rows) so that clients interleave inside row groups when {@code client} says so.
     */
    private String write(String name, StructType schema, int files, IntFunction<Row> row) {
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < N; i++) {
            rows.add(row.apply(i));
        }
        String out = tmp.resolve(name).toString();
        spark.createDataFrame(spark.sparkContext().parallelize(
                        scala.jdk.javaapi.CollectionConverters.asScala(rows).toSeq(), files,
                        scala.reflect.ClassTag$.MODULE$.apply(Row.class)), schema)
                .write().option("parquet.block.size", 2048).option("parquet.page.size", 512).parquet(out);
        return out;
    }

    private List<DataBlock> read(String path, int clients) {
        return ClientDataReader.read(spark, path, DataFormat.PARQUET, clients, -1, 24L * 8 * D).collect();
    }

    /** Every client's rows are the expected row numbers in order; global row numbers are contiguous. */
    private static void assertClients(List<DataBlock> blocks, List<List<Integer>> expected) {
        long next = 0;
        int[] seen = new int[expected.size()];
        for (DataBlock b : blocks) {
            assertEquals(next, b.firstRow, "global row numbers continue across blocks and clients");
            assertTrue(b.rows <= 24, "a block holds at most blockBytes of features");
            for (int i = 0; i < b.rows; i++) {
                int row = expected.get(b.client).get(seen[b.client]++);
                assertEquals(row, b.y[i], "client " + b.client + " reads its rows in input order");
                assertArrayEquals(features(row), java.util.Arrays.copyOfRange(b.x, i * D, (i + 1) * D));
            }
            next += b.rows;
        }
        for (int c = 0; c < expected.size(); c++) {
            assertEquals(expected.get(c).size(), seen[c], "client " + c + " gets all its rows");
        }
    }

    private static List<List<Integer>> byClient(int clients, IntFunction<Integer> clientOf) {
        List<List<Integer>> out = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            out.add(new ArrayList<>());
        }
        for (int i = 0; i < N; i++) {
            out.get(clientOf.apply(i)).add(i);
        }
        return out;
    }

    private static final StructType ARRAY_WITH_CLIENT = new StructType()
            .add("client", DataTypes.IntegerType, false)
            .add("label", DataTypes.DoubleType, false)
            .add("features", DataTypes.createArrayType(DataTypes.DoubleType, false), false);

    @Test
    void oneClientPerFileReadsWholeRowGroups() {
        // as prep-regression writes: file f holds client f's rows only
        String path = write("per-file", ARRAY_WITH_CLIENT, 3, i -> RowFactory.create(i / 200, (double) i, features(i)));
        assertClients(read(path, 3), byClient(3, i -> i / 200));
    }

    @Test
    void rowGroupsThatMixClientsAreFiltered() {
        String path = write("mixed", ARRAY_WITH_CLIENT, 2, i -> RowFactory.create((i * 7 / 3) % 4, (double) i, features(i)));
        assertClients(read(path, 4), byClient(4, i -> (i * 7 / 3) % 4));
    }

    @Test
    void withoutClientColumnClientsTakeContiguousShares() {
        StructType schema = new StructType().add("label", DataTypes.DoubleType)
                .add("features", DataTypes.createArrayType(DataTypes.DoubleType, true));
        String path = write("range", schema, 3, i -> RowFactory.create((double) i, features(i)));
        int clients = 7;
        assertClients(read(path, clients), byClient(clients, i -> (int) ((long) i * clients / N)));
    }

    @Test
    void mlVectorsDenseAndSparse() {
        StructType schema = new StructType().add("label", DataTypes.DoubleType).add("features", new VectorUDT());
        String path = write("vectors", schema, 2, i -> {
            double[] x = features(i);
            if (i % 2 == 0) {
                return RowFactory.create((double) i, Vectors.dense(x));
            }
            return RowFactory.create((double) i, Vectors.sparse(D, new int[] {0, 1, 2, 3, 4}, x));
        });
        assertClients(read(path, 2), byClient(2, i -> i * 2 / N));
    }

    @Test
    void clientIdOutsideTheClientCountIsNamed() {
        String path = write("bad-client", ARRAY_WITH_CLIENT, 1, i -> RowFactory.create(i % 3, (double) i, features(i)));
        DataException e = assertThrows(DataException.class, () -> read(path, 2));
        assertTrue(e.getMessage().contains("client id 2 but clients=2"), e.getMessage());
    }

    @Test
    void rowsWithAnotherFeatureCountAreNamed() {
        String path = write("ragged", ARRAY_WITH_CLIENT, 1,
                i -> RowFactory.create(0, (double) i, i == 333 ? new double[D + 1] : features(i)));
        SparkException e = assertThrows(SparkException.class, () -> read(path, 1));
        assertTrue(e.getMessage().contains("has 6 features, expected 5"), e.getMessage());
        assertTrue(e.getMessage().contains("ragged"), e.getMessage());
    }
}
