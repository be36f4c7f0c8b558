package org.blora.spark.persistent;

import org.apache.spark.api.java.JavaSparkContext;

/**
 * The task slots a barrier stage needs at once: Spark launches all its tasks together or none, so a run that cannot
 * have them (too few executor cores, dynamic allocation) is refused in one line that says what to change.
 */
final class TaskSlots {
    private final JavaSparkContext sc;

    TaskSlots(JavaSparkContext sc) {
        this.sc = sc;
        if (sc.getConf().getBoolean("spark.dynamicAllocation.enabled", false)) {
            throw new PersistentRounds.Refused("run.rounds=persistent runs the rounds in one barrier stage, which Spark "
                    + "does not allow with dynamic allocation: set spark.dynamicAllocation.enabled=false, or use "
                    + "run.rounds=stage");
        }
    }

    /** Task slots the cluster offers now, waiting up to {@code waitMs} for at least {@code need}; refuses below. */
    int await(int need, long waitMs) {
        long deadline = System.currentTimeMillis() + waitMs;
        int slots = offered();
        while (slots < need && System.currentTimeMillis() < deadline) {
            sleep(200);
            slots = offered();
        }
        if (slots < need) {
            throw new PersistentRounds.Refused("run.rounds=persistent needs " + need + " task slots at once for its "
                    + "barrier stage and the cluster offers " + slots + ": give the job more executor cores "
                    + "(spark.executor.instances, spark.cores.max, local[N]), or use run.rounds=stage");
        }
        return slots;
    }

    private int offered() {
        return sc.sc().maxNumConcurrentTasks(sc.sc().resourceProfileManager().defaultResourceProfile());
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for task slots", e);
        }
    }
}
