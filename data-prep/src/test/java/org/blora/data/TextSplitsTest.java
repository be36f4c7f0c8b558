package org.blora.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.util.SerializableConfiguration;
import org.blora.core.objective.DataBlock;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Text files read in Hadoop input splits: with a split size of a few hundred bytes a few-KB file is read by many
 * tasks, and the clients' blocks equal those of the file read whole, bit for bit; a corrupt line deep in a later
 * split is named with its file and line number.
 */
class TextSplitsTest {
    private static final String MAX = "mapreduce.input.fileinputformat.split.maxsize";
    private static SparkSession spark;

    @TempDir
    Path tmp;

    @BeforeAll
    static void start() {
        spark = SparkSession.builder().master("local[2]").appName("TextSplitsTest")
                .config("spark.ui.enabled", "false").getOrCreate();
    }

    @AfterAll
    static void stop() {
        spark.stop();
    }

    /** Rows of 6 numbers with blank lines and Windows line ends sprinkled in. */
    static String csv(int rows, long seed) {
        java.util.SplittableRandom rng = new java.util.SplittableRandom(seed);
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < rows; i++) {
            sb.append(String.format(Locale.ROOT, "%.17g", rng.nextGaussian()));
            for (int j = 0; j < 5; j++) {
                sb.append(',').append(String.format(Locale.ROOT, "%.17g", rng.nextGaussian()));
            }
            sb.append(i % 17 == 3 ? "\r\n" : "\n");
            if (i % 23 == 5) {
                sb.append('\n');
            }
        }
        return sb.toString();
    }

    private List<DataBlock> read(String path, DataFormat format, int clients, int features, long maxSplit) {
        JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        if (maxSplit > 0) {
            sc.hadoopConfiguration().setLong(MAX, maxSplit);
        }
        try {
            return ClientDataReader.read(spark, path, format, clients, features, 1 << 20).collect();
        } finally {
            sc.hadoopConfiguration().unset(MAX);
        }
    }

    private int splits(String path, long maxSplit) throws IOException {
        JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        sc.hadoopConfiguration().setLong(MAX, maxSplit);
        try {
            return TextSplits.plan(sc, ClientDataReader.listFiles(spark, path),
                    sc.broadcast(new SerializableConfiguration(sc.hadoopConfiguration()))).size();
        } finally {
            sc.hadoopConfiguration().unset(MAX);
        }
    }

    static void assertSameBlocks(List<DataBlock> want, List<DataBlock> got) {
        assertEquals(want.size(), got.size());
        for (int i = 0; i < want.size(); i++) {
            assertEquals(want.get(i).client, got.get(i).client);
            assertEquals(want.get(i).firstRow, got.get(i).firstRow);
            assertArrayEquals(want.get(i).x, got.get(i).x, 0.0);
            assertArrayEquals(want.get(i).y, got.get(i).y, 0.0);
        }
    }

    @Test
    void splitFilesGiveTheSameClientsBitForBit() throws IOException {
        Path dir = Files.createDirectory(tmp.resolve("parts"));
        Files.writeString(dir.resolve("part-0.csv"), csv(150, 1));
        Files.writeString(dir.resolve("part-1.csv"), csv(40, 2));
        long size = Files.size(dir.resolve("part-0.csv"));
        assertTrue(splits(dir.toString(), 700) >= size / 700 + 1, "the 700-byte split size cuts the files");
        List<DataBlock> whole = read(dir.toString(), DataFormat.CSV, 3, -1, 0);
        assertEquals(190, whole.stream().mapToInt(b -> b.rows).sum());
        assertSameBlocks(whole, read(dir.toString(), DataFormat.CSV, 3, -1, 700));
    }

    @Test
    void aCorruptLineInALaterSplitIsNamedWithItsLineNumber() throws IOException {
        String text = csv(150, 3);
        List<String> lines = new java.util.ArrayList<>(List.of(text.split("\n", -1)));
        int bad = 131; // 1-based line number
        lines.set(bad - 1, lines.get(bad - 1).replaceFirst(",", ",oops"));
        Path csv = tmp.resolve("bad.csv");
        Files.writeString(csv, String.join("\n", lines));
        assertTrue(splits(csv.toString(), 1024) > 10);
        for (long max : new long[] {0, 1024}) {
            Exception e = assertThrows(Exception.class, () -> read(csv.toString(), DataFormat.CSV, 2, -1, max));
            assertTrue(String.valueOf(e.getMessage()).contains("bad.csv: line " + bad + ": column 2 'oops") , e.getMessage());
        }
    }

    @Test
    void libsvmSplitsToo() throws IOException {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 120; i++) {
            sb.append(i % 3).append(" 1:").append(0.5 * i).append(i % 2 == 0 ? " 3:" + (1.0 / (i + 1)) : "").append(" 4:-2\n");
        }
        sb.append("1 2:x\n");
        Path svm = tmp.resolve("rows.svm");
        Files.writeString(svm, sb.toString().replace("1 2:x\n", ""));
        assertSameBlocks(read(svm.toString(), DataFormat.LIBSVM, 2, 4, 0), read(svm.toString(), DataFormat.LIBSVM, 2, 4, 200));
        Path bad = tmp.resolve("bad.svm");
        Files.writeString(bad, sb.toString());
        Exception e = assertThrows(Exception.class, () -> read(bad.toString(), DataFormat.LIBSVM, 2, 4, 200));
        assertTrue(String.valueOf(e.getMessage()).contains("bad.svm: line 121: feature 2 'x' is not a number"), e.getMessage());
    }
}
