package org.blora.app;

import org.apache.spark.sql.SparkSession;
import org.blora.config.ConfigException;
import org.blora.config.ConfigKeys;
import org.blora.config.TrainSpec;
import org.blora.core.train.StopReason;
import org.blora.io.Checkpoint;
import org.blora.io.Checkpoints;
import org.blora.io.RunFolder;

/**
 * The train job: checks what --out already holds (a finished run, checkpoints of an unfinished one), finds the
 * checkpoint to resume from, runs in its own SparkSession and reports where it wrote.
 */
public final class TrainJob {
    private TrainJob() {
    }

    /** Runs {@code spec} into {@code out}; true when it diverged. */
    public static boolean run(TrainSpec spec, String out, boolean overwrite) {
        SparkSession spark = Sessions.start("blora-spark train", spec.run().master(), spec.run().progressSeconds());
        try {
            RunFolder folder = new RunFolder(out, spark.sparkContext().hadoopConfiguration());
            if (folder.holdsFinishedRun()) {
                if (!overwrite) {
                    throw new ConfigException("--out: " + out + " already holds a finished run (summary.json); "
                            + "choose another --out or pass --overwrite");
                }
                folder.clear();
            } else if (!spec.run().resume() && Checkpoints.any(folder)) {
                if (!overwrite) {
                    throw new ConfigException("--out: " + out + " holds checkpoints of an unfinished run; pass "
                            + "--set run.resume=true to continue it, or --overwrite to start over");
                }
                folder.clear();
            }
            ExecutorCores.clientsWarning(spec.fed().clients(), spark.sparkContext().getConf(),
                    Runtime.getRuntime().availableProcessors()).ifPresent(System.out::println);
            Checkpoint from = spec.run().resume() ? latest(folder, spec) : null;
            if (spec.run().resume() && from == null) {
                System.out.println("[train] run.resume=true but " + out + " holds no usable checkpoint: starting at round 0");
            }
            TrainRun.Outcome o;
            try (DataSession data = new DataSession(spark, System.out)) {
                o = TrainRun.run(new TrainRun.Context(data, spec, folder, System.out, from));
            }
            System.out.println("[train] wrote " + folder.uri());
            return o.result().stopReason() == StopReason.DIVERGED;
        } finally {
            Sessions.release(spark);
        }
    }

    private static Checkpoint latest(RunFolder folder, TrainSpec spec) {
        try {
            return Checkpoints.latest(folder, spec.config().asMap(), ConfigKeys.defaults(), System.out::println);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(e.getMessage());
        }
    }
}
