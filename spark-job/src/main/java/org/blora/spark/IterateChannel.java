package org.blora.spark;

import java.util.UUID;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.blora.core.oracle.Iterate;

/**
 * Driver side of moving W_t to the executors. Each round ships only the new step (r (m + n) numbers per module)
 * inside the round's tasks, with no broadcast of its own. The full W_t is broadcast as a snapshot on the first round,
 * when an executor reports that it cannot advance its copy (a new executor, a lost cache), and, if
 * {@code snapshotEvery} is positive, every that many rounds; the previous snapshot is then destroyed.
 */
final class IterateChannel implements AutoCloseable {
    private final JavaSparkContext sc;
    private final String runId = UUID.randomUUID().toString();
    private final int snapshotEvery;
    private Broadcast<Snapshot> snapshot;
    private int snapshotRound = -1;
    private int lastRound = -1;
    private long broadcastNumbers;
    private long linkNumbers;
    private int snapshots;

    /** @param snapshotEvery rounds between unconditional snapshots; 0 = only when needed */
    IterateChannel(JavaSparkContext sc, int snapshotEvery) {
        this.sc = sc;
        this.snapshotEvery = Math.max(0, snapshotEvery);
    }

    /** The handle of a round: the step alone when executors can advance from the previous round. */
    IterateHandle prepare(Iterate at) {
        boolean needSnapshot = snapshot == null || at.lastStep() == null || at.round() != lastRound + 1
                || (snapshotEvery > 0 && at.round() - snapshotRound >= snapshotEvery);
        lastRound = at.round();
        if (needSnapshot) {
            return snapshot(at);
        }
        linkNumbers += at.lastStep().numbers();
        return new IterateHandle(runId, at.round(), at.lastStep(), null);
    }

    /** The handle of a round with a broadcast snapshot of the full W_t (after a miss, or when due). */
    IterateHandle snapshot(Iterate at) {
        destroySnapshot();
        snapshot = sc.broadcast(new Snapshot(at.round(), at.w().clone(),
                at.wPrev() == null ? null : at.wPrev().clone()));
        snapshotRound = at.round();
        lastRound = at.round();
        snapshots++;
        broadcastNumbers += at.w().length * (at.wPrev() == null ? 1L : 2L);
        return new IterateHandle(runId, at.round(), null, snapshot);
    }

    /** Numbers put into broadcasts so far (snapshots only: links travel with the tasks). */
    long broadcastNumbers() {
        return broadcastNumbers;
    }

    /** Numbers of the links shipped inside tasks so far (once per round, whatever the task count). */
    long linkNumbers() {
        return linkNumbers;
    }

    /** Snapshots broadcast so far. */
    int snapshots() {
        return snapshots;
    }

    private void destroySnapshot() {
        if (snapshot != null) {
            snapshot.destroy();
            snapshot = null;
        }
    }

    @Override
    public void close() {
        destroySnapshot();
    }
}
