package org.blora.spark;

import java.util.LinkedHashMap;
import java.util.Map;
import org.blora.core.chain.Step;
import org.blora.core.linalg.Kernels;
import org.slf4j.LoggerFactory;

/**
 * The executor-side copy of the iterate, per run: W_t and W_{t-1} materialised once per executor and round.
 * Advancing by one round applies the step shipped with the task (O(r m n)); an executor that is new, or missed
 * a round, cannot advance and reports a miss, upon which the driver re-runs the round with a snapshot of W_t
 * to rebuild from. Tasks of the same round share the arrays read-only.
 */
final class ExecutorIterates {
    /**
     * Runs remembered per executor: the concurrent points of a parallel sweep, each with its training, validation and
     * test oracle.
     */
    private static final int MAX_RUNS = 16;
    private static final Map<String, Entry> RUNS = new LinkedHashMap<>(8, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Entry> eldest) {
            return size() > MAX_RUNS;
        }
    };

    static {
        // Once per executor JVM (this class loads with its first task): which kernels its arithmetic runs, a
        // warning where they are the scalar loops, so a slow host is visible in its log.
        if (Kernels.vectorLoops()) {
            LoggerFactory.getLogger(ExecutorIterates.class).info(Kernels.describe());
        } else {
            LoggerFactory.getLogger(ExecutorIterates.class).warn(Kernels.describe());
        }
    }

    private ExecutorIterates() {
    }

    /** Forgets every cached iterate, as a newly started executor would have none (tests of the rebuild path). */
    static void clear() {
        synchronized (RUNS) {
            RUNS.clear();
        }
    }

    /** The iterate of one round: W_t and W_{t-1} (null before the first step). */
    record Point(double[] w, double[] wPrev) {
    }

    private static final class Entry {
        int round = -1;
        double[] w;
        double[] wPrev;
    }

    /** No iterate: what a request that needs none (a Gram pass, without a handle) is evaluated at. */
    private static final Point NONE = new Point(null, null);

    /**
     * W_t for the handle's round, or null when this executor can neither advance nor rebuild (a miss); {@link #NONE}
     * for a null handle.
     */
    static Point materialize(IterateHandle h) {
        if (h == null) {
            return NONE;
        }
        Entry e;
        synchronized (RUNS) {
            e = RUNS.computeIfAbsent(h.runId(), k -> new Entry());
        }
        synchronized (e) {
            if (e.round == h.round()) {
                return new Point(e.w, e.wPrev);
            }
            if (h.snapshot() != null) {
                if (e.round > h.round()) {
                    // A late attempt of an older round: rebuild privately, leave the cache alone.
                    Entry fresh = new Entry();
                    rebuild(fresh, h.snapshot().value());
                    return new Point(fresh.w, fresh.wPrev);
                }
                rebuild(e, h.snapshot().value());
                return new Point(e.w, e.wPrev);
            }
            if (e.round >= 0 && e.round == h.round() - 1 && h.newestStep() != null) {
                advance(e, h.newestStep());
                return new Point(e.w, e.wPrev);
            }
            return null;
        }
    }

    private static void rebuild(Entry e, Snapshot s) {
        e.w = s.w().clone();
        e.wPrev = s.wPrev() == null ? null : s.wPrev().clone();
        e.round = s.round();
    }

    private static void advance(Entry e, Step step) {
        if (e.wPrev == null) {
            e.wPrev = new double[e.w.length];
        }
        System.arraycopy(e.w, 0, e.wPrev, 0, e.w.length);
        step.addTo(e.w);
        e.round++;
    }
}
