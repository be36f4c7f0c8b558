package org.blora.bench;

import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
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
 * passes the time of one warm read of the same bytes and gets the ratio lines back. Besides wall time it sums
 * the CPU time of the load's tasks (Spark's executorCpuTime): on a machine whose cores other processes share,
 * CPU time per task is what the load would take with a core per client to itself.
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
        AtomicLong cpuNanos = new AtomicLong();
        spark.sparkContext().addSparkListener(new SparkListener() {
            @Override
            public void onTaskEnd(SparkListenerTaskEnd e) {
                if (e.taskMetrics() != null) {
                    cpuNanos.addAndGet(e.taskMetrics().executorCpuTime());
                }
            }
        });
        Samples pagesCpu = new Samples();
        Samples valuesCpu = new Samples();
        Samples pages = new Samples();
        Samples values = new Samples();
        long[] rows = new long[1];
        for (int r = -1; r < reps; r++) {
            for (boolean pageDecoder : new boolean[] {true, false}) {
                System.setProperty(VALUE_READER, Boolean.toString(!pageDecoder));
                waitBus(spark);
                cpuNanos.set(0);
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
                waitBus(spark);
                double cpuPerTask = cpuNanos.get() / 1e6 / clients;
                blocks.unpersist(true);
                rows[0] = perClient.stream().mapToLong(Long::longValue).sum();
                if (r >= 0) {
                    (pageDecoder ? pages : values).add(ms);
                    (pageDecoder ? pagesCpu : valuesCpu).add(cpuPerTask);
                }
                System.out.printf(Locale.ROOT, "[load] %s%s: %.0f ms, task CPU %.0f ms per client (%d rows)%n",
                        r < 0 ? "warm-up, " : "", pageDecoder ? "page decoder" : "value reader", ms, cpuPerTask, rows[0]);
            }
        }
        System.clearProperty(VALUE_READER);
        System.out.printf(Locale.ROOT, "[load] load into client blocks, median of %d: page decoder %.0f ms [%.0f-%.0f], "
                        + "value reader %.0f ms [%.0f-%.0f]; warm read of the files %.0f ms%n", reps, pages.median(),
                pages.min(), pages.max(), values.median(), values.min(), values.max(), diskMs);
        System.out.printf(Locale.ROOT, "[load] task CPU per client, median: page decoder %.0f ms, value reader %.0f ms%n",
                pagesCpu.median(), valuesCpu.median());
        System.out.printf(Locale.ROOT, "ratio parquet_load_vs_disk_read %.3f%n", pages.median() / diskMs);
        System.out.printf(Locale.ROOT, "ratio parquet_load_task_cpu_vs_disk_read %.3f%n", pagesCpu.median() / diskMs);
        System.out.printf(Locale.ROOT, "ratio parquet_load_value_reader_vs_disk_read %.3f%n", values.median() / diskMs);
        System.out.printf(Locale.ROOT, "ratio parquet_load_value_reader_vs_page_decoder %.3f%n", values.median() / pages.median());
        spark.stop();
    }

    private static void waitBus(SparkSession spark) {
        try {
            spark.sparkContext().listenerBus().waitUntilEmpty();
        } catch (Exception e) {
            throw new IllegalStateException("listener bus did not drain", e);
        }
    }
}
