package org.blora.config;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A sweep, read and validated before Spark starts: the grid of {@link SweepGrid}, the base specification (its
 * Spark settings are the SparkSession's), one {@link TrainSpec} per grid point, in the grid's order, and
 * {@code sweep.parallel}: how many points run at the same time in the one SparkSession (1 = one after another), and
 * {@code sweep.fuse}: whether concurrent points on the same data share stages, one pass over the data for the
 * requests waiting (true by default; the results are the same either way).
 */
public record SweepSpec(SweepGrid grid, TrainSpec base, List<TrainSpec> points, int parallel, boolean fuse) {
    public SweepSpec {
        if (points.size() != grid.points().size()) {
            throw new IllegalArgumentException("expected one spec per grid point (" + grid.points().size()
                    + "), got " + points.size());
        }
        if (parallel < 1) {
            throw new IllegalArgumentException("parallel must be >= 1, got " + parallel);
        }
        if (parallel > 1) {
            for (TrainSpec p : points) {
                if (p.run().roundsMode() == RoundsMode.PERSISTENT) {
                    // A persistent stage holds every task slot for its run: a concurrent point could never start its own.
                    throw new ConfigException("run.rounds=persistent runs one sweep point at a time (its barrier stage "
                            + "holds every task slot): set " + SweepKeys.PARALLEL.is(1) + " or run.rounds=stage");
                }
            }
        }
        points = List.copyOf(points);
    }

    /** {@code sweep.parallel}: a positive integer. */
    static int parallel(String key, String text) {
        try {
            int k = Integer.parseInt(text.trim());
            if (k >= 1) {
                return k;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new ConfigException(key + " must be an integer >= 1 (points run at the same time), got '" + text + "'");
    }

    /** {@code sweep.fuse}: true or false. */
    static boolean fuse(String key, String text) {
        if (text.trim().equals("true")) {
            return true;
        }
        if (text.trim().equals("false")) {
            return false;
        }
        throw new ConfigException(key + " must be true or false (concurrent points share stages), got '"
                + text + "'");
    }

    /** The sweep.* settings of {@code --conf} and {@code --set} make the grid; every other key is the base. */
    public static SweepSpec load(String conf, List<String> sets) {
        Map<String, String> base = new LinkedHashMap<>();
        Map<String, String> sweep = new LinkedHashMap<>();
        for (RunConfig.Setting st : RunConfig.read(conf, sets)) {
            (st.key().startsWith(SweepKeys.PREFIX) ? sweep : base).put(st.key(), st.value());
        }
        int parallel = SweepKeys.PARALLEL.parse(sweep.getOrDefault(SweepKeys.PARALLEL.name(), SweepKeys.PARALLEL.defaultValue()));
        boolean fuse = SweepKeys.FUSE.parse(sweep.getOrDefault(SweepKeys.FUSE.name(), SweepKeys.FUSE.defaultValue()));
        sweep.remove(SweepKeys.PARALLEL.name());
        sweep.remove(SweepKeys.FUSE.name());
        RunConfig baseConfig = RunConfig.of(base);
        SweepGrid grid = new SweepGrid(sweep, baseConfig.text(RunSection.SEED));
        List<TrainSpec> specs = new ArrayList<>();
        for (SweepGrid.Point pt : grid.points()) {
            RunConfig c = baseConfig;
            for (Map.Entry<String, String> e : pt.overrides().entrySet()) {
                try {
                    c = c.with(e.getKey(), e.getValue());
                } catch (ConfigException ex) {
                    throw new ConfigException("sweep point '" + pt.folder() + "': " + ex.getMessage());
                }
            }
            try {
                specs.add(new TrainSpec(c));
            } catch (ConfigException ex) {
                throw new ConfigException("sweep point '" + pt.folder() + "': " + ex.getMessage());
            }
        }
        return new SweepSpec(grid, new TrainSpec(baseConfig), specs, parallel, fuse);
    }
}
