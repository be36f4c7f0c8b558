package org.blora.bench;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** Durations of repeated measurements in milliseconds: median, min, max. */
final class Samples {
    private final List<Double> ms = new ArrayList<>();

    void add(double millis) {
        ms.add(millis);
    }

    void addNanos(long nanos) {
        ms.add(nanos / 1e6);
    }

    void dropLast() {
        if (!ms.isEmpty()) {
            ms.remove(ms.size() - 1);
        }
    }

    int count() {
        return ms.size();
    }

    double median() {
        if (ms.isEmpty()) {
            return Double.NaN;
        }
        List<Double> s = new ArrayList<>(ms);
        Collections.sort(s);
        int n = s.size();
        return n % 2 == 1 ? s.get(n / 2) : 0.5 * (s.get(n / 2 - 1) + s.get(n / 2));
    }

    double min() {
        return ms.isEmpty() ? Double.NaN : Collections.min(ms);
    }

    double max() {
        return ms.isEmpty() ? Double.NaN : Collections.max(ms);
    }

    @Override
    public String toString() {
        return String.format("%.2f [%.2f-%.2f] n=%d", median(), min(), max(), count());
    }
}
