package org.blora.spark;

import java.io.Serializable;
import java.util.List;
import org.apache.spark.broadcast.Broadcast;
import org.blora.core.sketch.Link;

/**
 * What a task needs to know W_t: the run, the round, the latest snapshot and the links of the rounds after it
 * (each its own small broadcast; a task whose executor already holds W_{t-1} reads only the newest one).
 */
record IterateHandle(String runId, int round, Broadcast<Snapshot> snapshot, List<Broadcast<Link>> links)
        implements Serializable {
    Link newestLink() {
        return links.isEmpty() ? null : links.get(links.size() - 1).value();
    }
}
