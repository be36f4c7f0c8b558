package org.blora.config;

/**
 * The sweep.* keys, read by the sweep job only ({@link SweepGrid}, {@link SweepSpec}); a train job ignores them in a
 * --conf file, so one file can serve both. The families sweep.grid.KEY, sweep.case.NAME and sweep.figure.NAME are
 * named by their prefixes.
 */
public final class SweepKeys {
    public static final KeyGroup KEYS = new KeyGroup("Sweep", "the sweep job's grid, cases, figures and concurrency "
            + "(read by sweep only)");

    public static final Key<String> SEEDS = KEYS.key("sweep.seeds", "", Key.text(),
            "the run.seed values, comma-separated (default: the base run.seed)");
    public static final Key<String> GRID = KEYS.key("sweep.grid.KEY", "", Key.text(),
            "a grid over any configuration key KEY: v1,v2,..., applied to every case");
    public static final Key<String> CASES = KEYS.key("sweep.cases", "", Key.text(),
            "named cases a,b,... (one series label each), each set by sweep.case.NAME");
    public static final Key<String> CASE = KEYS.key("sweep.case.NAME", "", Key.text(),
            "the settings of case NAME: KEY=v; KEY=v1,v2 (a comma list is a grid local to the case)");
    public static final Key<String> FIGURE = KEYS.key("sweep.figure.NAME", "", Key.text(),
            "a comparison plot NAME.png of the cases listed (default: one sweep.png of all); with sweep.figure.NAME.x=KEY, "
                    + ".y=FIELD,... and optionally .bound=FIELD, final summary.json fields against the swept KEY instead");
    public static final Key<Integer> PARALLEL = KEYS.key("sweep.parallel", "1", SweepSpec::parallel,
            "how many points train at the same time in the one SparkSession (1 = one after another)");
    public static final Key<Boolean> FUSE = KEYS.key("sweep.fuse", "true", SweepSpec::fuse,
            "concurrent least-squares points on the same data share stages (same bits either way)");

    /** The prefix of sweep.grid.KEY. */
    public static final String GRID_PREFIX = prefix(GRID);
    /** The prefix of sweep.case.NAME. */
    public static final String CASE_PREFIX = prefix(CASE);
    /** The prefix of sweep.figure.NAME. */
    public static final String FIGURE_PREFIX = prefix(FIGURE);
    /** The prefix of every sweep key. */
    public static final String PREFIX = "sweep.";

    private SweepKeys() {
    }

    private static String prefix(Key<?> family) {
        return family.name().substring(0, family.name().lastIndexOf('.') + 1);
    }
}
