package org.blora.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.function.UnaryOperator;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.column.Encoding;
import org.apache.parquet.column.ParquetProperties.WriterVersion;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.SimpleGroupFactory;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.example.ExampleParquetWriter;
import org.apache.parquet.hadoop.metadata.BlockMetaData;
import org.apache.parquet.hadoop.metadata.ColumnChunkMetaData;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.hadoop.util.HadoopInputFile;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.MessageTypeParser;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The page decoder of array&lt;double&gt; features against Parquet's value-by-value ColumnReader on the same files
 * (written here with Parquet's own writer, Spark's schema for array&lt;double&gt;, no SparkSession): every row of
 * every row group, over several row groups and many pages, dictionary-encoded pages followed by PLAIN ones (random
 * doubles: the writer's dictionary gives up), snappy and uncompressed, data pages v1 and v2, BYTE_STREAM_SPLIT,
 * and null elements, gives the same labels and the same feature bits (or the same error); a corrupt page is still
 * reported as a corrupt file naming data.path.
 */
class ParquetDoublePagesTest {
    private static final int N = 700;
    private static final int D = 24;
    private static final MessageType SCHEMA = MessageTypeParser.parseMessageType("message spark_schema {"
            + " required int32 client; required double label;"
            + " optional group features (LIST) { repeated group list { optional double element; } } }");
    @TempDir
    Path tmp;

    /** N rows of D doubles: the first 40 rows repeat a few values (the dictionary holds), the rest are random. */
    private String write(String name, UnaryOperator<ExampleParquetWriter.Builder> options, boolean nullElement)
            throws IOException {
        String file = tmp.resolve(name + ".parquet").toString();
        Random rnd = new Random(7);
        SimpleGroupFactory rows = new SimpleGroupFactory(SCHEMA);
        ExampleParquetWriter.Builder b = ExampleParquetWriter.builder(new org.apache.hadoop.fs.Path(file)).withType(SCHEMA)
                .withConf(new Configuration()).withRowGroupSize(16 * 1024).withPageSize(2048);
        try (ParquetWriter<Group> w = options.apply(b).build()) {
            for (int i = 0; i < N; i++) {
                Group g = rows.newGroup().append("client", i % 2).append("label", (double) i);
                Group list = g.addGroup("features");
                for (int j = 0; j < D; j++) {
                    Group e = list.addGroup("list");
                    if (!(nullElement && i == 500 && j == 3)) {
                        e.append("element", i < 40 ? j : rnd.nextGaussian() * Math.pow(10, rnd.nextInt(20) - 10));
                    }
                }
                w.write(g);
            }
        }
        return file;
    }

    private static ParquetColumns columns(String f) throws IOException {
        try (ParquetFileReader r = open(f)) {
            return ParquetColumns.of(r.getFooter().getFileMetaData().getSchema(), f);
        }
    }

    private static ParquetFileReader open(String f) throws IOException {
        return ParquetFileReader.open(HadoopInputFile.fromPath(new org.apache.hadoop.fs.Path(f), new Configuration()));
    }

    /** Every row of every row group, label and features, by both decoders; returns the row groups compared. */
    private static int assertSameRows(String f) throws IOException {
        Configuration conf = new Configuration();
        ParquetColumns columns = columns(f);
        int rowGroups;
        try (ParquetFileReader r = open(f)) {
            rowGroups = r.getRowGroups().size();
        }
        for (int g = 0; g < rowGroups; g++) {
            try (ParquetRowGroup pages = new ParquetRowGroup(conf, f, g, columns, false, true);
                 ParquetRowGroup values = new ParquetRowGroup(conf, f, g, columns, false, false)) {
                assertEquals(values.rows(), pages.rows());
                for (long i = 0; i < values.rows(); i++) {
                    assertEquals(values.nextClient(), pages.nextClient());
                    assertEquals(Double.doubleToRawLongBits(values.nextLabel()), Double.doubleToRawLongBits(pages.nextLabel()));
                    int n = values.nextFeatures();
                    assertEquals(n, pages.nextFeatures(), f + " group " + g + " row " + i);
                    long[] a = new long[n];
                    long[] b = new long[n];
                    for (int j = 0; j < n; j++) {
                        a[j] = Double.doubleToRawLongBits(values.features()[j]);
                        b[j] = Double.doubleToRawLongBits(pages.features()[j]);
                    }
                    assertArrayEquals(a, b, f + " group " + g + " row " + i);
                }
            }
        }
        return rowGroups;
    }

    /** Reads every row of the file with one decoder. */
    private static void readAll(String f, boolean pages) throws IOException {
        ParquetColumns columns = columns(f);
        int rowGroups;
        try (ParquetFileReader r = open(f)) {
            rowGroups = r.getRowGroups().size();
        }
        for (int g = 0; g < rowGroups; g++) {
            try (ParquetRowGroup rg = new ParquetRowGroup(new Configuration(), f, g, columns, false, pages)) {
                for (long i = 0; i < rg.rows(); i++) {
                    rg.nextClient();
                    rg.skipRow();
                }
            }
        }
    }

    /** The value encodings of the file's features column chunks. */
    private static Set<Encoding> featureEncodings(String f) throws IOException {
        Set<Encoding> out = new HashSet<>();
        try (ParquetFileReader r = open(f)) {
            for (BlockMetaData b : r.getRowGroups()) {
                for (ColumnChunkMetaData c : b.getColumns()) {
                    if (c.getPath().toDotString().startsWith("features")) {
                        out.addAll(c.getEncodings());
                    }
                }
            }
        }
        return out;
    }

    @Test
    void sameBitsAsTheValueReader() throws IOException {
        Map<String, UnaryOperator<ExampleParquetWriter.Builder>> variants = new LinkedHashMap<>();
        variants.put("snappy", b -> b.withCompressionCodec(CompressionCodecName.SNAPPY).withDictionaryEncoding(true));
        variants.put("plain-uncompressed", b -> b.withDictionaryEncoding(false));
        variants.put("v2", b -> b.withWriterVersion(WriterVersion.PARQUET_2_0).withCompressionCodec(CompressionCodecName.SNAPPY)
                .withDictionaryEncoding(true));
        variants.put("byte-stream-split", b -> b.withDictionaryEncoding(false).withByteStreamSplitEncoding(true));
        for (Map.Entry<String, UnaryOperator<ExampleParquetWriter.Builder>> v : variants.entrySet()) {
            String f = write(v.getKey(), v.getValue(), false);
            int groups = assertSameRows(f);
            assertTrue(groups >= 4, v.getKey() + ": several row groups (" + groups + ")");
            Set<Encoding> used = featureEncodings(f);
            if (v.getKey().equals("byte-stream-split")) {
                assertTrue(used.contains(Encoding.BYTE_STREAM_SPLIT), v.getKey() + ": " + used);
            } else {
                assertTrue(used.contains(Encoding.PLAIN), v.getKey() + ": " + used);
            }
            if (!v.getKey().equals("plain-uncompressed") && !v.getKey().equals("byte-stream-split")) {
                assertTrue(used.stream().anyMatch(Encoding::usesDictionary), v.getKey() + ": dictionary pages first: " + used);
            }
        }
    }

    @Test
    void aNullElementIsNamedAsBefore() throws IOException {
        String f = write("null", b -> b, true);
        DataException a = assertThrows(DataException.class, () -> assertSameRows(f));
        assertTrue(a.getMessage().contains("a feature value is null"), a.getMessage());
        for (boolean pages : new boolean[] {true, false}) {
            DataException e = assertThrows(DataException.class, () -> readAll(f, pages));
            assertEquals(a.getMessage(), e.getMessage());
        }
    }

    @Test
    void aCorruptPageIsStillReportedAsACorruptFile() throws IOException {
        String f = write("corrupt", b -> b.withCompressionCodec(CompressionCodecName.SNAPPY), false);
        byte[] bytes = Files.readAllBytes(Path.of(f));
        // Keep the footer, overwrite the column data of the first half of the file.
        for (int i = 4; i < bytes.length / 2; i++) {
            bytes[i] = (byte) 0xA5;
        }
        Files.write(Path.of(f), bytes);
        Files.deleteIfExists(Path.of(f).resolveSibling("." + Path.of(f).getFileName() + ".crc"));
        for (boolean pages : new boolean[] {true, false}) {
            Exception e = assertThrows(Exception.class, () -> readAll(f, pages));
            RuntimeException reported = ClientDataReader.corruptParquet("data/x", e);
            assertTrue(reported.getMessage().startsWith("data.path: data/x holds a corrupt Parquet file"),
                    (pages ? "page decoder: " : "value reader: ") + reported.getMessage());
        }
    }
}
