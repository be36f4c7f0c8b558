package org.blora.spark;

import java.io.Serializable;
import org.apache.spark.broadcast.Broadcast;
import org.blora.core.chain.Step;

/**
 * What a task needs to know W_t, shipped inside the task itself: the run, the round, the step that moved
 * W_{t-1} to W_t (r (m + n) numbers per adapted module, no broadcast), and, only on rounds where the driver sends one, a
 * broadcast snapshot of the full W_t (and W_{t-1}) to rebuild from.
 */
record IterateHandle(String runId, int round, Step newestStep, Broadcast<Snapshot> snapshot)
        implements Serializable {
}
