package org.blora.bench;

import java.util.List;
import java.util.Locale;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;
import org.blora.core.objective.DataBlock;
import org.blora.data.Blocks;
import org.blora.data.ClientDataReader;
import org.blora.data.DataFormat;

/**
 * The job's load of a Parquet data set into cached client blocks (what {@code DataSession} does: read, persist
 * MEMORY_AND_DISK, one counting pass), timed with the page decoder of array&lt;double&gt; features and with
 * Parquet's value-by-value ColumnReader, alternately, after one warm-up load of each. Run by bench/load.sh, which
 * passes the time of one warm read of the same bytes and gets the ratio lines back.
 * Usage: LoadBenchmark PATH CLIENTS REPS DISK_READ_MS
 */
public final class LoadBenchmark {
    /** ParquetClients.VALUE_READER: read on the driver when the load is planned. */
    private static final String VALUE_READER = "blora.parquet.valueReader";

    private LoadBenchmark() {
    }

    public static void main(String[] args) {
        String path = args[0];
        int clients = Integer.parseInt(args[1]);
        int reps = Integer.parseInt(args[2]);
        double diskMs = Double.parseDouble(args[3]);
        SparkSession spark = SparkSession.builder().appName("blora-load-bench").master("local[" + clients + "]")
                .config("spark.ui.enabled", "false").config("spark.serializer.objectStreamReset", "1").getOrCreate();
        spark.sparkContext().setLogLevel("WARN");
        Samples pages = new Samples();
        Samples values = new Samples();
        long[] rows = new long[1];
        for (int r = -1; r < reps; r++) {
            for (boolean pageDecoder : new boolean[] {true, false}) {
                System.setProperty(VALUE_READER, Boolean.toString(!pageDecoder));
                long t = System.nanoTime();
                JavaRDD<DataBlock> blocks = ClientDataReader.read(spark, path, DataFormat.PARQUET, clients, -1,
                        Blocks.DEFAULT_BLOCK_BYTES).persist(StorageLevel.MEMORY_AND_DISK());
                List<Long> perClient = blocks.mapPartitions(it -> {
                    long n = 0;
                    while (it.hasNext()) {
                        n += it.next().rows;
                    }
                    return List.of(n).iterator();
                }, true).collect();
                double ms = (System.nanoTime() - t) / 1e6;
                blocks.unpersist(true);
                rows[0] = perClient.stream().mapToLong(Long::longValue).sum();
                if (r >= 0) {
                    (pageDecoder ? pages : values).add(ms);
                }
                System.out.printf(Locale.ROOT, "[load] %s%s: %.0f ms (%d rows)%n", r < 0 ? "warm-up, " : "",
                        pageDecoder ? "page decoder" : "value reader", ms, rows[0]);
            }
        }
        System.clearProperty(VALUE_READER);
        System.out.printf(Locale.ROOT, "[load] load into client blocks, median of %d: page decoder %.0f ms [%.0f-%.0f], "
                        + "value reader %.0f ms [%.0f-%.0f]; warm read of the files %.0f ms%n", reps, pages.median(),
                pages.min(), pages.max(), values.median(), values.min(), values.max(), diskMs);
        System.out.printf(Locale.ROOT, "ratio parquet_load_vs_disk_read %.3f%n", pages.median() / diskMs);
        System.out.printf(Locale.ROOT, "ratio parquet_load_value_reader_vs_disk_read %.3f%n", values.median() / diskMs);
        System.out.printf(Locale.ROOT, "ratio parquet_load_value_reader_vs_page_decoder %.3f%n", values.median() / pages.median());
        spark.stop();
    }
}
