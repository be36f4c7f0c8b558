package org.blora.spark;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.blora.core.sketch.Link;
import org.blora.core.train.Iterate;

/**
 * Driver side of moving W_t to the executors. Each round broadcasts only the new link (r (m + n) numbers);
 * every {@code snapshotEvery} rounds the full W is broadcast once as a recovery point, and the snapshot and
 * links it supersedes are destroyed. Executors fetch the snapshot only when they cannot advance their own copy
 * (a new executor, a lost cache), so the steady-state downlink is the link alone.
 */
final class IterateChannel implements AutoCloseable {
    private final JavaSparkContext sc;
    private final String runId = UUID.randomUUID().toString();
    private final int snapshotEvery;
    private Broadcast<Snapshot> snapshot;
    private final List<Broadcast<Link>> links = new ArrayList<>();
    private long broadcastNumbers;

    IterateChannel(JavaSparkContext sc, int snapshotEvery) {
        this.sc = sc;
        this.snapshotEvery = Math.max(1, snapshotEvery);
    }

    IterateHandle prepare(Iterate at) {
        boolean needSnapshot = snapshot == null || at.lastLink() == null
                || at.round() - snapshot.value().round() >= snapshotEvery
                || at.round() <= snapshot.value().round();
        if (needSnapshot) {
            destroyAll();
            snapshot = sc.broadcast(new Snapshot(at.round(), at.w().clone(),
                    at.wPrev() == null ? null : at.wPrev().clone()));
            broadcastNumbers += at.w().length * (at.wPrev() == null ? 1L : 2L);
        } else {
            links.add(sc.broadcast(at.lastLink()));
            broadcastNumbers += at.lastLink().numbers();
        }
        return new IterateHandle(runId, at.round(), snapshot, List.copyOf(links));
    }

    /** Numbers put into broadcasts so far (links and snapshots). */
    long broadcastNumbers() {
        return broadcastNumbers;
    }

    private void destroyAll() {
        for (Broadcast<Link> b : links) {
            b.destroy();
        }
        links.clear();
        if (snapshot != null) {
            snapshot.destroy();
            snapshot = null;
        }
    }

    @Override
    public void close() {
        destroyAll();
    }
}
