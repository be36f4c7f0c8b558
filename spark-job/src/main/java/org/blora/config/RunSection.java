package org.blora.config;

/** The run.* keys and spark.master: seeds, evaluation, progress, checkpoints and how rounds reach the executors. */
public final class RunSection {
    public static final KeyGroup KEYS = new KeyGroup("Run", "the seed, evaluation, progress, checkpoints and how rounds run");

    /** Rounds between evaluations; 0 for epoch. */
    public static final Key<Integer> METRICS_EVERY = KEYS.key("run.metrics.every", "1",
            (k, v) -> "epoch".equalsIgnoreCase(v.trim()) ? 0 : Key.integer(1, Integer.MAX_VALUE).parse(k, v),
            "rounds between full-gradient evaluations of loss and ||grad f||^2 (and the validation/test scores), or epoch");
    public static final Key<Long> SEED = KEYS.key("run.seed", "1", Key.atLeast(0),
            "seed of every random draw: (seed, round, client, purpose)");
    public static final Key<Double> DIVERGE_FACTOR = KEYS.key("run.diverge.factor", "1e4", RunSection::divergeFactor,
            "stop as diverged when the loss or ||grad f||^2 of a metric round exceeds this factor times its first value "
                    + "(0 = only when not finite)");
    public static final Key<Double> PROGRESS_SECONDS = KEYS.key("run.progress.seconds", "5", Key.number(0, Double.MAX_VALUE),
            "seconds between progress lines");
    /** 0 for auto. */
    public static final Key<Integer> SNAPSHOT_EVERY = KEYS.key("run.snapshot.every", "auto",
            Key.orAuto(0, Key.integer(1, Integer.MAX_VALUE)),
            "rounds between full-W broadcasts executors can rebuild from (auto = only when an executor cannot advance its "
                    + "copy; each round ships just the new link with its tasks)");
    public static final Key<RoundsMode> ROUNDS = KEYS.key("run.rounds", "stage", Key.choice(RoundsMode.class),
            "stage (one Spark stage per round) or persistent (every round inside one barrier stage whose "
                    + "tasks keep the clients' blocks and talk to the driver over an authenticated connection; "
                    + "needs a task slot per task at once, no dynamic allocation; same metrics bit for bit, "
                    + "docs/PERFORMANCE.md)");
    public static final Key<Double> ROUNDS_TIMEOUT = KEYS.key("run.rounds.timeout", "600", Key.number(1e-3, 1e9),
            "run.rounds=persistent: seconds a round may take before its tasks count as lost and the stage is relaunched");
    public static final Key<Integer> CHECKPOINT_EVERY = KEYS.key("run.checkpoint.every", "0", Key.integer(0, Integer.MAX_VALUE),
            "rounds between checkpoints in --out/checkpoints (0 = none); the last 2 are kept");
    public static final Key<Boolean> CHECKPOINT_KEEP = KEYS.key("run.checkpoint.keep", "false", Key.bool(),
            "keep the checkpoints after a successful finish (removed otherwise)");
    public static final Key<Boolean> RESUME = KEYS.key("run.resume", "false", Key.bool(),
            "continue from the newest valid checkpoint in --out (same configuration required)");
    public static final Key<String> MASTER = KEYS.key("spark.master", "", Key.text(),
            "Spark master when not set by spark-submit (default local[*])");

    private final int metricsEvery;
    private final long seed;
    private final double divergeFactor;
    private final double progressSeconds;
    private final int snapshotEvery;
    private final RoundsMode roundsMode;
    private final double roundsTimeout;
    private final int checkpointEvery;
    private final boolean checkpointKeep;
    private final boolean resume;
    private final String master;

    RunSection(RunConfig c) {
        metricsEvery = c.get(METRICS_EVERY);
        seed = c.get(SEED);
        progressSeconds = c.get(PROGRESS_SECONDS);
        snapshotEvery = c.get(SNAPSHOT_EVERY);
        roundsMode = c.get(ROUNDS);
        roundsTimeout = c.get(ROUNDS_TIMEOUT);
        master = c.get(MASTER);
        divergeFactor = c.get(DIVERGE_FACTOR);
        checkpointEvery = c.get(CHECKPOINT_EVERY);
        checkpointKeep = c.get(CHECKPOINT_KEEP);
        resume = c.get(RESUME);
    }

    private static double divergeFactor(String key, String text) {
        double f = Key.number(0, Double.MAX_VALUE).parse(key, text);
        if (f > 0 && f <= 1) {
            throw new ConfigException(key + " must be 0 (off) or > 1, got " + text);
        }
        return f;
    }

    /** Rounds between evaluations; 0 when {@link #metricsPerEpoch()}. */
    public int metricsEvery() {
        return metricsEvery;
    }

    /** run.metrics.every=epoch: one evaluation per epoch (ceil(N / b) rounds). */
    public boolean metricsPerEpoch() {
        return metricsEvery == 0;
    }

    /** run.seed: the seed of every random draw of the run. */
    public long seed() {
        return seed;
    }

    /** Growth of the loss or ||grad f||^2 over its start that stops a run as diverged; 0 = off. */
    public double divergeFactor() {
        return divergeFactor;
    }

    public double progressSeconds() {
        return progressSeconds;
    }

    /** Rounds between full-W snapshots; 0 for auto. */
    public int snapshotEvery() {
        return snapshotEvery;
    }

    /** run.rounds: one stage per round, or every round inside one barrier stage. */
    public RoundsMode roundsMode() {
        return roundsMode;
    }

    /** run.rounds.timeout in seconds: how long a persistent round may take before its tasks count as lost. */
    public double roundsTimeout() {
        return roundsTimeout;
    }

    public int checkpointEvery() {
        return checkpointEvery;
    }

    public boolean checkpointKeep() {
        return checkpointKeep;
    }

    public boolean resume() {
        return resume;
    }

    /** spark.master when spark-submit does not set one; empty for the default. */
    public String master() {
        return master;
    }
}
