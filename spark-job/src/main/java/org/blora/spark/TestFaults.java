package org.blora.spark;

import java.util.concurrent.atomic.AtomicInteger;
import org.apache.spark.TaskContext;

/**
 * TEST-ONLY fault injection. With the JVM system property {@code blora.test.failFirstAttemptOfRound=N} set on
 * the driver, the first attempt of every task of round N throws after computing its result, so Spark retries
 * it (a master such as {@code local[2,3]} allows retries; plain {@code local[2]} fails the job). The property is
 * read on the driver and shipped in the task closure; unset (the default) nothing changes. Not a configuration
 * key and not for production use: it exists to show that a retried task leaves metrics.csv unchanged.
 */
public final class TestFaults {
    public static final String FAIL_FIRST_ATTEMPT_OF_ROUND = "blora.test.failFirstAttemptOfRound";
    private static final AtomicInteger INJECTED = new AtomicInteger();

    private TestFaults() {
    }

    /** The round whose first task attempts fail, or -1 (read on the driver). */
    static int roundToFail() {
        return Integer.getInteger(FAIL_FIRST_ATTEMPT_OF_ROUND, -1);
    }

    /** In a task: throws on the first attempt when {@code round} is the round to fail. */
    static void maybeFail(int failRound, int round) {
        if (failRound >= 0 && round == failRound) {
            TaskContext tc = TaskContext.get();
            if (tc != null && tc.attemptNumber() == 0) {
                INJECTED.incrementAndGet();
                throw new IllegalStateException("injected test fault (" + FAIL_FIRST_ATTEMPT_OF_ROUND + "=" + failRound
                        + "): first attempt of partition " + tc.partitionId() + " in round " + round);
            }
        }
    }

    /** With this property N set on the driver, task 0 of a persistent stage's first launch fails in round N. */
    public static final String KILL_PERSISTENT_TASK_IN_ROUND = "blora.test.killPersistentTaskInRound";
    /** With this property N set on the driver, task 0 of a persistent stage's first launch never answers round N. */
    public static final String HANG_PERSISTENT_TASK_IN_ROUND = "blora.test.hangPersistentTaskInRound";

    /** The round in which the first persistent stage loses a task, or -1 (read on the driver). */
    public static int persistentKillRound() {
        return Integer.getInteger(KILL_PERSISTENT_TASK_IN_ROUND, -1);
    }

    /** The round the first persistent stage's task 0 does not answer, or -1 (read on the driver). */
    public static int persistentHangRound() {
        return Integer.getInteger(HANG_PERSISTENT_TASK_IN_ROUND, -1);
    }

    /** In a persistent task of the first launch: throws when {@code round} is the round to fail in. */
    public static void maybeKillPersistentTask(int killRound, int round) {
        if (killRound >= 0 && round == killRound) {
            INJECTED.incrementAndGet();
            throw new IllegalStateException("injected test fault (" + KILL_PERSISTENT_TASK_IN_ROUND + "=" + killRound
                    + "): a persistent task fails in round " + round);
        }
    }

    /** Faults injected in this JVM (local mode: the executors run in the driver's JVM). */
    public static int injected() {
        return INJECTED.get();
    }
}
