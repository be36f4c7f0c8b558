package org.blora.data;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.util.SerializableConfiguration;
import org.blora.core.objective.DataBlock;
import scala.Tuple2;

/**
 * Reads a data set from any Hadoop URI (file://, hdfs://, s3a://) into one RDD partition per client, each
 * holding its rows as contiguous blocks with global row numbers. Formats: {@code parquet} (what data-prep
 * writes: label, features array, optional client; read without a shuffle by {@link ParquetClients}),
 * {@code csv} (dense, label first, no header), {@code libsvm}.
 *
 * <p>Row order is the input order (files sorted by name, lines in order); without a client column, client c
 * receives the c-th contiguous share of the rows. Text files are read in Hadoop input splits, one task each
 * ({@link TextSplits}), and errors name {@code file: line N} whichever split the line is in.
 */
public final class ClientDataReader {
    private ClientDataReader() {
    }

    /**
     * @param features the feature count, or -1 to take it from the data (every row must then agree)
     * @param blockBytes upper bound on one block's features, in bytes
     */
    public static JavaRDD<DataBlock> read(SparkSession spark, String path, DataFormat format, int clients, int features,
                                          long blockBytes) {
        List<String> files = listFiles(spark, path);
        if (format == DataFormat.PARQUET) {
            try {
                return ParquetClients.read(JavaSparkContext.fromSparkContext(spark.sparkContext()), files, clients,
                        features, blockBytes);
            } catch (RuntimeException e) {
                throw corruptParquet(path, e);
            } catch (Exception e) {
                // Scala's SparkException is checked in Java but thrown undeclared by the actions above.
                throw corruptParquet(path, e);
            }
        }
        JavaPairRDD<ClientKey, LabeledRow> keyed = byRange(textRows(spark, files, format, features), clients);
        return toBlocks(keyed, clients, features, blockBytes);
    }

    /**
     * A failure while reading Parquet: our own DataException (also when it comes back from a task inside a
     * SparkException) passes unchanged; anything else means a file Parquet cannot decode (garbage bytes, a
     * truncated file, corrupt pages), reported as one line naming data.path and the innermost cause.
     */
    static RuntimeException corruptParquet(String path, Exception e) {
        Throwable root = e;
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof DataException d) {
                return d;
            }
            if (String.valueOf(t.getMessage()).contains(DataException.class.getName() + ": ")) {
                return e instanceof RuntimeException r ? r : new RuntimeException(e);
            }
            root = t;
        }
        String why = firstLine(root);
        if (why.length() > 300) {
            why = why.substring(0, 297) + "...";
        }
        return new DataException("data.path: " + path + " holds a corrupt Parquet file (" + root.getClass().getSimpleName()
                + ": " + why + "); regenerate it with prep-regression or check data.format");
    }

    /** Files under the path (a file, a folder or a glob), sorted by name; hidden files (_SUCCESS, .crc) skipped. */
    static List<String> listFiles(SparkSession spark, String path) {
        Configuration conf = spark.sparkContext().hadoopConfiguration();
        try {
            Path p = new Path(path);
            FileSystem fs = p.getFileSystem(conf);
            FileStatus[] matches = fs.globStatus(p);
            if (matches == null || matches.length == 0) {
                throw new DataException("data.path: " + path + " does not exist (set data.path to an existing file or folder)");
            }
            List<String> out = new ArrayList<>();
            for (FileStatus s : matches) {
                if (s.isDirectory()) {
                    for (FileStatus c : fs.listStatus(s.getPath())) {
                        String name = c.getPath().getName();
                        if (c.isFile() && !name.startsWith("_") && !name.startsWith(".")) {
                            out.add(c.getPath().toString());
                        }
                    }
                } else {
                    out.add(s.getPath().toString());
                }
            }
            if (out.isEmpty()) {
                throw new DataException("data.path: " + path + " holds no data files (set data.path to a folder with data)");
            }
            out.sort(null);
            return out;
        } catch (IOException e) {
            throw new DataException("data.path: cannot read " + path + ": " + e.getMessage()
                    + " (check the URI and permissions)");
        }
    }

    private static JavaRDD<LabeledRow> textRows(SparkSession spark, List<String> files, DataFormat format, int features) {
        JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        // The job's Hadoop configuration (with every spark.hadoop.* setting: credentials, endpoints, file system
        // implementations, the split size) travels once, as a broadcast; a new Configuration() on the executor
        // would lose it.
        Broadcast<SerializableConfiguration> hadoop = sc.broadcast(new SerializableConfiguration(sc.hadoopConfiguration()));
        List<TextSplits.Split> splits;
        try {
            splits = TextSplits.plan(sc, files, hadoop);
        } catch (IOException e) {
            throw new DataException("data.path: cannot read " + files.get(0) + ": " + e.getMessage()
                    + " (check the URI and permissions)");
        }
        return sc.parallelize(splits, splits.size()).flatMap(split -> readText(split, format, features, hadoop.value().value()));
    }

    private static Iterator<LabeledRow> readText(TextSplits.Split split, DataFormat format, int features,
                                                 Configuration conf) throws IOException {
        List<LabeledRow> rows = new ArrayList<>();
        for (Iterator<TextSplits.Line> it = TextSplits.lines(split, conf); it.hasNext(); ) {
            TextSplits.Line line = it.next();
            if (line.text().isBlank()) {
                continue;
            }
            String origin = split.file() + ": line " + line.number();
            rows.add(format == DataFormat.CSV ? TextFormats.csv(line.text(), origin)
                    : TextFormats.libsvm(line.text(), origin, features));
        }
        return rows.iterator();
    }

    /** Client c gets rows [c N / M, (c + 1) N / M) of the input order. */
    private static JavaPairRDD<ClientKey, LabeledRow> byRange(JavaRDD<LabeledRow> rows, int clients) {
        JavaPairRDD<LabeledRow, Long> indexed = rows.zipWithIndex();
        long n = indexed.count();
        checkEnoughRows(n, clients);
        return indexed.mapToPair(t -> new Tuple2<>(new ClientKey((int) (t._2() * clients / n), t._2()), t._1()));
    }

    static void checkEnoughRows(long n, int clients) {
        if (n < clients) {
            throw new DataException("data has " + n + " rows but clients=" + clients
                    + " (every client needs at least one row; lower clients)");
        }
    }

    /** Sorts rows into their clients and packs each client's rows into blocks. */
    private static JavaRDD<DataBlock> toBlocks(JavaPairRDD<ClientKey, LabeledRow> keyed, int clients, int features,
                                               long blockBytes) {
        Map<Integer, Long> counts = keyed.map(t -> t._1().client()).countByValue();
        long[] first = new long[clients + 1];
        for (int c = 0; c < clients; c++) {
            long k = counts.getOrDefault(c, 0L);
            if (k == 0) {
                throw new DataException("client " + c + " has no rows (lower clients, or re-split the data)");
            }
            first[c + 1] = first[c] + k;
        }
        return ClientPartitioner.sortAndPack(keyed, clients, first, features, blockBytes);
    }

    static String firstLine(Throwable e) {
        String m = String.valueOf(e.getMessage());
        int nl = m.indexOf('\n');
        return nl < 0 ? m : m.substring(0, nl);
    }
}
