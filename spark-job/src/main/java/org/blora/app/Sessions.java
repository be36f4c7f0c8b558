package org.blora.app;

import org.apache.spark.SparkConf;
import org.apache.spark.SparkContext;
import org.apache.spark.sql.SparkSession;

/**
 * The SparkSession of a job: the master from spark-submit when there is one, else spark.master, else local[*].
 * A session already running in this JVM (a notebook's, a test fixture's) is joined and left running; one that
 * {@link #start} created is stopped by {@link #release}.
 */
public final class Sessions {
    /** The context that already has a {@link StageProgress} listener (a session reused by getOrCreate). */
    private static SparkContext withProgress;
    /** The context {@link #start} created, which {@link #release} stops. */
    private static SparkContext startedHere;
    private Sessions() {
    }

    /** Starts (or joins) the session; long stages print progress at most every {@code progressSeconds}. */
    public static SparkSession start(String appName, String master, double progressSeconds) {
        SparkConf conf = new SparkConf(true);
        SparkSession.Builder b = SparkSession.builder().appName(appName)
                .config("spark.ui.showConsoleProgress", "false");
        if (!conf.contains("spark.serializer.objectStreamReset")) {
            // Java serialization keeps every object it wrote reachable until the stream is reset (by default every
            // 100 objects). A client spilled to disk by MEMORY_AND_DISK is a few dozen 128 MB blocks: without a
            // reset per block the whole client stays on the heap while it is written (an OOM at 10^6 x 4096).
            b.config("spark.serializer.objectStreamReset", "1");
        }
        String given = master == null || master.isEmpty() ? "local[*]" : master;
        if (!conf.contains("spark.master")) {
            b.master(given);
        }
        String effective = conf.contains("spark.master") ? conf.get("spark.master") : given;
        if (!effective.startsWith("local") && !conf.contains("spark.excludeOnFailure.enabled")) {
            // An executor whose worker died still accepts tasks for a moment and rejects each at once: without
            // exclusion all of a task's attempts land there within a millisecond and the job aborts. Excluded
            // after one failure, the retry waits for a live executor (measured on the standalone cluster).
            b.config("spark.excludeOnFailure.enabled", "true");
        }
        scala.Option<SparkSession> running = SparkSession.getDefaultSession();
        boolean joined = running.isDefined() && !running.get().sparkContext().isStopped();
        SparkSession s = b.getOrCreate();
        s.sparkContext().setLogLevel("WARN");
        synchronized (Sessions.class) {
            if (!joined) {
                startedHere = s.sparkContext();
            }
            if (withProgress != s.sparkContext()) {
                // Printed to System.out as it is when a stage runs: a joined session serves later jobs too.
                s.sparkContext().addSparkListener(new StageProgress(() -> System.out, progressSeconds));
                withProgress = s.sparkContext();
            }
        }
        return s;
    }

    /** Ends a job's use of the session: stops it if {@link #start} created it, else leaves it to its owner. */
    public static synchronized void release(SparkSession s) {
        if (s.sparkContext() == startedHere) {
            startedHere = null;
            s.stop();
        }
    }
}
