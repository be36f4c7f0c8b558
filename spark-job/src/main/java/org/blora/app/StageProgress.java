package org.blora.app;

import java.io.PrintStream;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerStageCompleted;
import org.apache.spark.scheduler.SparkListenerStageSubmitted;
import org.apache.spark.scheduler.SparkListenerTaskEnd;

/**
 * Progress lines for long Spark stages (data generation, loading, a smoothness pass over data larger than
 * memory): tasks done of the stage's total, elapsed time and an estimate of what is left, at most every
 * {@code run.progress.seconds}. Stages shorter than that (every training round) print nothing.
 */
final class StageProgress extends SparkListener {
    private final Supplier<PrintStream> out;
    private final long everyNanos;
    private final LongSupplier clock;
    private final Map<Integer, Stage> stages = new ConcurrentHashMap<>();

    private static final class Stage {
        final String name;
        final int tasks;
        final long start;
        long lastPrint;
        int done;

        Stage(String name, int tasks, long start) {
            this.name = name;
            this.tasks = tasks;
            this.start = start;
            this.lastPrint = start;
        }
    }

    StageProgress(Supplier<PrintStream> out, double seconds) {
        this(out, seconds, System::nanoTime);
    }

    /** clock: nanoseconds, System.nanoTime in the job; a test may pass its own. */
    StageProgress(Supplier<PrintStream> out, double seconds, LongSupplier clock) {
        this.out = out;
        this.everyNanos = (long) (Math.max(seconds, 1) * 1e9);
        this.clock = clock;
    }

    @Override
    public void onStageSubmitted(SparkListenerStageSubmitted e) {
        String desc = e.properties() == null ? null : e.properties().getProperty("spark.job.description");
        String name = desc != null ? desc : e.stageInfo().name();
        stages.put(e.stageInfo().stageId(), new Stage(name, e.stageInfo().numTasks(), clock.getAsLong()));
    }

    @Override
    public void onTaskEnd(SparkListenerTaskEnd e) {
        Stage s = stages.get(e.stageId());
        if (s == null) {
            return;
        }
        long now = clock.getAsLong();
        synchronized (s) {
            if (e.taskInfo().successful()) {
                s.done++;
            }
            if (now - s.lastPrint < everyNanos) {
                return;
            }
            s.lastPrint = now;
            double elapsed = (now - s.start) / 1e9;
            long eta = s.done == 0 ? -1 : (long) (elapsed * (s.tasks - s.done) / s.done);
            out.get().println(String.format(Locale.ROOT, "[spark] %s: %d/%d tasks, %s elapsed%s", s.name, s.done, s.tasks,
                    duration((long) elapsed), eta < 0 ? "" : ", eta " + duration(eta)));
        }
    }

    @Override
    public void onStageCompleted(SparkListenerStageCompleted e) {
        Stage s = stages.remove(e.stageInfo().stageId());
        long now = clock.getAsLong();
        if (s != null && now - s.start >= everyNanos) {
            out.get().println(String.format(Locale.ROOT, "[spark] %s: %d/%d tasks, done in %s", s.name, s.done, s.tasks,
                    duration((now - s.start) / 1_000_000_000L)));
        }
    }

    private static String duration(long seconds) {
        return seconds >= 60 ? String.format(Locale.ROOT, "%dm%02ds", seconds / 60, seconds % 60) : seconds + "s";
    }
}
