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
    /** Superseded broadcasts with the last round that used them; destroyed once no live lineage needs them. */
    private final List<Retired> retired = new ArrayList<>();
    private long broadcastNumbers;

    private record Retired(int lastRound, Broadcast<?> broadcast) {
    }

    IterateChannel(JavaSparkContext sc, int snapshotEvery) {
        this.sc = sc;
        this.snapshotEvery = Math.max(1, snapshotEvery);
    }

    IterateHandle prepare(Iterate at) {
        boolean needSnapshot = snapshot == null || at.lastLink() == null
                || at.round() - snapshot.value().round() >= snapshotEvery
                || at.round() <= snapshot.value().round();
        if (needSnapshot) {
            retireAll(at.round() - 1);
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

    private void retireAll(int lastRound) {
        for (Broadcast<Link> b : links) {
            retired.add(new Retired(lastRound, b));
        }
        links.clear();
        if (snapshot != null) {
            retired.add(new Retired(lastRound, snapshot));
            snapshot = null;
        }
    }

    /**
     * Destroys superseded broadcasts last used at or before {@code round}. Without client state nothing refers to
     * them once their round's stage is done; with client state the state RDD's lineage does until it is
     * checkpointed past them.
     */
    void releaseThrough(int round) {
        retired.removeIf(r -> {
            if (r.lastRound() <= round) {
                r.broadcast().destroy();
                return true;
            }
            return false;
        });
    }

    @Override
    public void close() {
        retireAll(Integer.MIN_VALUE);
        releaseThrough(Integer.MAX_VALUE);
    }
}
