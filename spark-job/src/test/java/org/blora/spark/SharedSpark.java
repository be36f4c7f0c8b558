package org.blora.spark;

import org.apache.spark.sql.SparkSession;

/**
 * One local SparkSession for every test class of the JVM that needs no special configuration: starting one
 * costs seconds, so test classes and the jobs they run (which join a running session and leave it running)
 * share it. A test that needs another master calls {@link #stop()} first; the next {@link #get()} starts a
 * new one. The JVM's exit stops the last.
 */
public final class SharedSpark {
    /** The master of the shared session, and of the jobs the tests run. */
    public static final String MASTER = "local[2]";
    private static SparkSession session;
    private static boolean hooked;

    private SharedSpark() {
    }

    public static synchronized SparkSession get() {
        if (session == null || session.sparkContext().isStopped()) {
            session = SparkSession.builder().master(MASTER).appName("blora-spark tests")
                    .config("spark.ui.enabled", "false")
                    .config("spark.sql.shuffle.partitions", "2")
                    .config("spark.ui.showConsoleProgress", "false")
                    .getOrCreate();
            session.sparkContext().setLogLevel("ERROR");
            if (!hooked) {
                Runtime.getRuntime().addShutdownHook(new Thread(SharedSpark::stop, "stop shared SparkSession"));
                hooked = true;
            }
        }
        return session;
    }

    public static synchronized void stop() {
        if (session != null) {
            session.stop();
            session = null;
        }
    }
}
