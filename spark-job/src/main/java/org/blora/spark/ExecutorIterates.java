package org.blora.spark;

import java.util.LinkedHashMap;
import java.util.Map;
import org.blora.core.sketch.Link;

/**
 * The executor-side copy of the iterate, per run: W_t and W_{t-1} materialised once per executor and round.
 * Advancing by one round applies one link (O(r m n)); an executor that is new, or missed rounds, rebuilds from
 * the snapshot and the links after it. Tasks of the same round share the arrays read-only.
 */
final class ExecutorIterates {
    private static final int MAX_RUNS = 4;
    private static final Map<String, Entry> RUNS = new LinkedHashMap<>(8, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Entry> eldest) {
            return size() > MAX_RUNS;
        }
    };

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

    static Point materialize(IterateHandle h) {
        Entry e;
        synchronized (RUNS) {
            e = RUNS.computeIfAbsent(h.runId(), k -> new Entry());
        }
        synchronized (e) {
            if (e.round == h.round()) {
                return new Point(e.w, e.wPrev);
            }
            if (e.round > h.round()) {
                // A late attempt of an older round: rebuild privately, leave the cache alone.
                Entry fresh = new Entry();
                rebuild(fresh, h);
                return new Point(fresh.w, fresh.wPrev);
            }
            Snapshot s = h.snapshot().value();
            if (e.round == h.round() - 1 && e.round >= s.round() && !h.links().isEmpty()) {
                advance(e, h.newestLink());
            } else {
                rebuild(e, h);
            }
            return new Point(e.w, e.wPrev);
        }
    }

    private static void rebuild(Entry e, IterateHandle h) {
        Snapshot s = h.snapshot().value();
        e.w = s.w().clone();
        e.wPrev = s.wPrev() == null ? null : s.wPrev().clone();
        e.round = s.round();
        for (var b : h.links()) {
            advance(e, b.value());
        }
    }

    private static void advance(Entry e, Link link) {
        if (e.wPrev == null) {
            e.wPrev = new double[e.w.length];
        }
        System.arraycopy(e.w, 0, e.wPrev, 0, e.w.length);
        link.addTo(e.w);
        e.round++;
    }
}
