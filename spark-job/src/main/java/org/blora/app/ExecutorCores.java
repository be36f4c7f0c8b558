package org.blora.app;

import java.util.Optional;
import java.util.OptionalInt;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.spark.SparkConf;

/**
 * How many tasks the executors of a session can run at once, as far as its settings say, and the warning when a
 * run has more clients than that. Every round is one stage with a task per client: with more clients than
 * executor cores the tasks run in waves, and a round takes as many client passes as there are waves.
 */
final class ExecutorCores {
    private static final Pattern LOCAL = Pattern.compile("local\\[(\\*|\\d+)(?:,\\s*\\d+)?]");
    private static final Pattern LOCAL_CLUSTER = Pattern.compile("local-cluster\\[\\s*(\\d+)\\s*,\\s*(\\d+)\\s*,.*]");

    private ExecutorCores() {
    }

    /** The total, and how it was found; empty where the settings leave it to the cluster (standalone, no cap). */
    record Total(int cores, String from) {
    }

    static Optional<Total> total(SparkConf conf, int hostCores) {
        String master = conf.get("spark.master", "local[*]");
        if (master.equals("local")) {
            return Optional.of(new Total(1, "spark.master=local"));
        }
        Matcher m = LOCAL.matcher(master);
        if (m.matches()) {
            int n = m.group(1).equals("*") ? hostCores : Integer.parseInt(m.group(1));
            return Optional.of(new Total(n, "spark.master=" + master));
        }
        m = LOCAL_CLUSTER.matcher(master);
        if (m.matches()) {
            return Optional.of(new Total(Integer.parseInt(m.group(1)) * Integer.parseInt(m.group(2)),
                    "spark.master=" + master));
        }
        if (conf.contains("spark.cores.max")) {
            return Optional.of(new Total(conf.getInt("spark.cores.max", 0), "spark.cores.max"));
        }
        OptionalInt perExecutor = conf.contains("spark.executor.cores")
                ? OptionalInt.of(conf.getInt("spark.executor.cores", 1))
                // Spark's default on YARN and Kubernetes; a standalone executor takes all of its worker's cores.
                : master.startsWith("yarn") || master.startsWith("k8s://") ? OptionalInt.of(1) : OptionalInt.empty();
        if (perExecutor.isEmpty()) {
            return Optional.empty();
        }
        int c = perExecutor.getAsInt();
        if (conf.getBoolean("spark.dynamicAllocation.enabled", false)) {
            int max = conf.getInt("spark.dynamicAllocation.maxExecutors", Integer.MAX_VALUE);
            return max == Integer.MAX_VALUE ? Optional.empty()
                    : Optional.of(new Total(max * c, "spark.dynamicAllocation.maxExecutors=" + max
                            + " x spark.executor.cores=" + c));
        }
        if (conf.contains("spark.executor.instances") || master.startsWith("yarn") || master.startsWith("k8s://")) {
            // Spark starts 2 executors on YARN and Kubernetes unless told otherwise.
            int n = conf.getInt("spark.executor.instances", 2);
            return Optional.of(new Total(n * c, "spark.executor.instances=" + n + " x spark.executor.cores=" + c));
        }
        return Optional.empty();
    }

    /** The one line to print at the start of a run whose clients cannot all run at once, if any. */
    static Optional<String> clientsWarning(int clients, SparkConf conf, int hostCores) {
        return total(conf, hostCores).filter(t -> clients > t.cores()).map(t -> {
            int waves = (clients + t.cores() - 1) / t.cores();
            return "[train] warning: clients=" + clients + " but the executors run " + t.cores() + " tasks at once ("
                    + t.from() + "): every round runs its client tasks in " + waves + " waves; give at most "
                    + t.cores() + " clients, or more executor cores, to run them all at once";
        });
    }
}
