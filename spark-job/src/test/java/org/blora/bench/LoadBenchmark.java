package org.blora.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;
import org.blora.core.objective.DataBlock;
import org.blora.data.Blocks;
import org.blora.data.ClientDataReader;
import org.blora.data.DataFormat;

/**
 * The job's load of a Parquet data set into cached client blocks (what {@code DataSession} does: read, persist
 * MEMORY_AND_DISK, one counting pass), timed with the page decoder of array&lt;double&gt; features and with
 * Parquet's value-by-value ColumnReader, alternately: warm (the files in the page cache, after one warm-up load of
 * each) and, where the page cache can be dropped, cold (the cache dropped before each load). Run by bench/load.sh,
 * which passes the times of one warm and one cold read of the same bytes and gets the ratio lines back. Besides
 * wall time it sums the CPU time of the load's tasks (Spark's executorCpuTime): on a machine whose cores other
 * processes share, CPU time per task is what the load would take with a core per client to itself.
 * Usage: LoadBenchmark PATH CLIENTS REPS WARM_READ_MS COLD_READ_MS (COLD_READ_MS &lt; 0: the cache cannot be dropped)
 */
public final class LoadBenchmark {
    /** ParquetClients.VALUE_READER: read on the driver when the load is planned. */
    private static final String VALUE_READER = "blora.parquet.valueReader";
    private static final Path DROP_CACHES = Path.of("/proc/sys/vm/drop_caches");

    private final SparkSession spark;
    private final String path;
    private final int clients;
    private final AtomicLong cpuNanos = new AtomicLong();

    private LoadBenchmark(SparkSession spark, String path, int clients) {
        this.spark = spark;
        this.path = path;
        this.clients = clients;
        spark.sparkContext().addSparkListener(new SparkListener() {
            @Override
            public void onTaskEnd(SparkListenerTaskEnd e) {
                if (e.taskMetrics() != null) {
                    cpuNanos.addAndGet(e.taskMetrics().executorCpuTime());
                }
            }
        });
    }

    public static void main(String[] args) throws Exception {
        String path = args[0];
        int clients = Integer.parseInt(args[1]);
        int reps = Integer.parseInt(args[2]);
        double warmReadMs = Double.parseDouble(args[3]);
        double coldReadMs = Double.parseDouble(args[4]);
        SparkSession spark = SparkSession.builder().appName("blora-load-bench").master("local[" + clients + "]")
                .config("spark.ui.enabled", "false").config("spark.serializer.objectStreamReset", "1").getOrCreate();
        spark.sparkContext().setLogLevel("WARN");
        LoadBenchmark bench = new LoadBenchmark(spark, path, clients);
        Samples[] warm = bench.loads(reps, false);
        System.out.printf(Locale.ROOT, "[load] warm load into client blocks, median of %d: page decoder %.0f ms [%.0f-%.0f], "
                        + "value reader %.0f ms [%.0f-%.0f]; warm read of the files %.0f ms%n", reps, warm[0].median(),
                warm[0].min(), warm[0].max(), warm[2].median(), warm[2].min(), warm[2].max(), warmReadMs);
        System.out.printf(Locale.ROOT, "[load] task CPU per client, median: page decoder %.0f ms, value reader %.0f ms%n",
                warm[1].median(), warm[3].median());
        if (coldReadMs > 0) {
            Samples[] cold = bench.loads(reps, true);
            System.out.printf(Locale.ROOT, "[load] cold load (page cache dropped before each), median of %d: page decoder "
                            + "%.0f ms [%.0f-%.0f], value reader %.0f ms [%.0f-%.0f]; cold read of the files %.0f ms%n",
                    reps, cold[0].median(), cold[0].min(), cold[0].max(), cold[2].median(), cold[2].min(),
                    cold[2].max(), coldReadMs);
            System.out.printf(Locale.ROOT, "ratio parquet_load_vs_disk_read %.3f%n", cold[0].median() / coldReadMs);
            System.out.printf(Locale.ROOT, "ratio parquet_load_value_reader_vs_disk_read %.3f%n",
                    cold[2].median() / coldReadMs);
        } else {
            System.out.printf(Locale.ROOT, "ratio parquet_load_vs_disk_read %.3f%n", warm[0].median() / warmReadMs);
            System.out.printf(Locale.ROOT, "ratio parquet_load_value_reader_vs_disk_read %.3f%n",
                    warm[2].median() / warmReadMs);
        }
        System.out.printf(Locale.ROOT, "ratio parquet_load_warm_vs_warm_read %.3f%n", warm[0].median() / warmReadMs);
        System.out.printf(Locale.ROOT, "ratio parquet_load_task_cpu_vs_warm_read %.3f%n", warm[1].median() / warmReadMs);
        System.out.printf(Locale.ROOT, "ratio parquet_load_value_reader_vs_page_decoder %.3f%n",
                warm[2].median() / warm[0].median());
        spark.stop();
    }

    /**
     * {@code reps} loads with each reader, alternately (after one warm-up pair when warm): wall ms and task CPU ms per
     * client of the page decoder, then of the value reader.
     */
    private Samples[] loads(int reps, boolean cold) throws Exception {
        Samples[] s = {new Samples(), new Samples(), new Samples(), new Samples()};
        for (int r = cold ? 0 : -1; r < reps; r++) {
            for (boolean pageDecoder : new boolean[] {true, false}) {
                if (cold) {
                    new ProcessBuilder("sync").inheritIO().start().waitFor();
                    Files.writeString(DROP_CACHES, "1");
                }
                double[] t = load(pageDecoder);
                if (r >= 0) {
                    s[pageDecoder ? 0 : 2].add(t[0]);
                    s[pageDecoder ? 1 : 3].add(t[1]);
                }
                System.out.printf(Locale.ROOT, "[load] %s%s, %s: %.0f ms, task CPU %.0f ms per client%n",
                        r < 0 ? "warm-up, " : "", cold ? "cold" : "warm", pageDecoder ? "page decoder" : "value reader",
                        t[0], t[1]);
            }
        }
        return s;
    }

    /** One load: wall ms, task CPU ms per client. */
    private double[] load(boolean pageDecoder) {
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
        System.clearProperty(VALUE_READER);
        if (perClient.stream().mapToLong(Long::longValue).sum() <= 0) {
            throw new IllegalStateException("the load read no rows from " + path);
        }
        return new double[] {ms, cpuPerTask};
    }

    private static void waitBus(SparkSession spark) {
        try {
            spark.sparkContext().listenerBus().waitUntilEmpty();
        } catch (Exception e) {
            throw new IllegalStateException("listener bus did not drain", e);
        }
    }
}
