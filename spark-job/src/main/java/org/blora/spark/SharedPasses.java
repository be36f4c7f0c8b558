package org.blora.spark;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.blora.core.oracle.OracleRequest;
import org.blora.core.oracle.OracleResult;

/**
 * The rounds of concurrent runs over the same cached blocks (the points of a parallel sweep), served by shared
 * stages: the requests that are waiting when a stage can start go into that stage, whose tasks take their client's
 * blocks once through every request ({@link SparkOracle#sharedStage}; full-gradient requests read each row block
 * once for all of them); each run's thread gets its own results back. A request alone runs its run's own stage,
 * exactly as without sharing.
 *
 * <p>Which requests share a stage depends on timing, and nothing else does: each request's results are bit for bit
 * the same in a shared stage and in its own (the same per-request arithmetic in the same order:
 * {@code ClientCompute.evaluatePoints}, {@code MultiPointLoss}). Protocol rounds (their client state lives in an
 * RDD of their run) and rebuilds after a miss never come here.
 *
 * <p>Gathering: before starting a stage, the thread that starts it waits for the runs that were served less than
 * {@link #GATHER_NANOS} ago and have not asked again (a run's driver between two rounds), at most until that long
 * after each was served, so runs in step share every round instead of splitting into alternate stages. One stage
 * at a time per data set: requests that arrive while it runs form the next one.
 */
public final class SharedPasses {
    /** How long after a run was served a stage may wait for its next request: a round's driver work here. */
    static final long GATHER_NANOS = 4_000_000L;

    private final Map<String, Lane> lanes = new HashMap<>();
    private final AtomicLong sharedStages = new AtomicLong();
    private final AtomicLong sharedRequests = new AtomicLong();

    /** The runs on one data set: the requests waiting, whether a stage is running, when each run was last served. */
    private static final class Lane {
        final List<Pending> waiting = new ArrayList<>();
        final Map<SparkOracle, Long> servedAt = new HashMap<>();
        boolean running;
    }

    /** One run's request, until a stage has answered it. */
    private static final class Pending {
        final SparkOracle run;
        final OracleRequest request;
        final IterateHandle handle;
        boolean done;
        List<OracleResult> result;
        Throwable failure;

        Pending(SparkOracle run, OracleRequest request, IterateHandle handle) {
            this.run = run;
            this.request = request;
            this.handle = handle;
        }

        List<OracleResult> outcome() {
            if (failure instanceof RuntimeException e) {
                throw e;
            }
            if (failure instanceof Error e) {
                throw e;
            }
            return result;
        }
    }

    /** Stages that served more than one run's request. */
    public long sharedStages() {
        return sharedStages.get();
    }

    /** Requests served by those stages. */
    public long sharedRequests() {
        return sharedRequests.get();
    }

    /**
     * The run's per-client results for a request without protocol state (null entries: a client that missed W_t,
     * as from {@link SparkOracle}'s own stage), from a stage shared with whatever requests of other runs on the same
     * data are waiting.
     */
    List<OracleResult> evaluate(SparkOracle run, String dataKey, OracleRequest request, IterateHandle handle) {
        Lane lane = lane(dataKey);
        Pending me = new Pending(run, request, handle);
        List<Pending> batch;
        synchronized (lane) {
            lane.waiting.add(me);
            lane.notifyAll();
            while (lane.running && !me.done) {
                try {
                    lane.wait();
                } catch (InterruptedException e) {
                    lane.waiting.remove(me);
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while waiting for a shared stage", e);
                }
            }
            if (me.done) {
                return me.outcome();
            }
            lane.running = true;
            gather(lane);
            batch = new ArrayList<>(lane.waiting);
            lane.waiting.clear();
        }
        List<List<OracleResult>> results = null;
        Throwable failure = null;
        try {
            results = run(batch);
        } catch (RuntimeException | Error e) {
            failure = e;
        } finally {
            synchronized (lane) {
                long now = System.nanoTime();
                for (int i = 0; i < batch.size(); i++) {
                    Pending p = batch.get(i);
                    p.result = results == null ? null : results.get(i);
                    p.failure = failure;
                    p.done = true;
                    lane.servedAt.put(p.run, now);
                }
                lane.running = false;
                lane.notifyAll();
            }
        }
        return me.outcome();
    }

    /** Forgets a run that ends: no stage waits for it any more. */
    void leave(SparkOracle run, String dataKey) {
        Lane lane = lane(dataKey);
        synchronized (lane) {
            lane.servedAt.remove(run);
            lane.notifyAll();
        }
    }

    private synchronized Lane lane(String dataKey) {
        return lanes.computeIfAbsent(dataKey, k -> new Lane());
    }

    /** Waits (holding the lane's stage) for recently served runs to ask again, each at most until its deadline. */
    private static void gather(Lane lane) {
        while (true) {
            long now = System.nanoTime();
            long until = now;
            for (Map.Entry<SparkOracle, Long> e : lane.servedAt.entrySet()) {
                long deadline = e.getValue() + GATHER_NANOS;
                if (deadline - until > 0 && !waiting(lane, e.getKey())) {
                    until = deadline;
                }
            }
            long left = until - now;
            if (left <= 0) {
                return;
            }
            try {
                lane.wait(left / 1_000_000L, (int) (left % 1_000_000L));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private static boolean waiting(Lane lane, SparkOracle run) {
        for (Pending p : lane.waiting) {
            if (p.run == run) {
                return true;
            }
        }
        return false;
    }

    /** One stage for the batch: the run's own stage for a request alone, else one shared stage. */
    private List<List<OracleResult>> run(List<Pending> batch) {
        if (batch.size() == 1) {
            Pending p = batch.get(0);
            return List.of(p.run.stateless(p.request, p.handle));
        }
        OracleRequest[] requests = new OracleRequest[batch.size()];
        IterateHandle[] handles = new IterateHandle[batch.size()];
        for (int i = 0; i < batch.size(); i++) {
            requests[i] = batch.get(i).request;
            handles[i] = batch.get(i).handle;
        }
        List<List<OracleResult>> results = batch.get(0).run.sharedStage(requests, handles);
        sharedStages.incrementAndGet();
        sharedRequests.addAndGet(batch.size());
        return results;
    }
}
