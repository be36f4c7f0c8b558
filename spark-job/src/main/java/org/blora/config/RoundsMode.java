package org.blora.config;

/** How a run's rounds reach the executors (run.rounds). */
public enum RoundsMode implements Choice {
    /** One Spark stage per round: the job's usual shape, any cluster. */
    STAGE,
    /** Every round inside one barrier stage whose tasks keep the clients' blocks (org.blora.spark.persistent). */
    PERSISTENT
}
