package org.blora.spark.persistent;

import java.io.Serializable;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.rdd.RDD;
import scala.Function2;
import scala.reflect.ClassTag$;

/**
 * The Spark job of the persistent stage: a barrier stage over the clients' grouped blocks whose tasks run
 * {@link ClientTask}, submitted from a thread of its own (the job lasts as long as the rounds do). When the job ends,
 * for whatever reason, an ENDED event of its generation goes onto the round loop's queue.
 */
final class StageJob {
    private final JavaSparkContext sc;
    private final RDD<TaggedBlock> grouped;
    private final BlockingQueue<RoundServer.Event> events;
    private final String jobGroup = "blora-persistent-rounds-" + UUID.randomUUID();
    private Thread job;

    /** @param grouped one partition per task, holding the blocks of the clients it serves */
    StageJob(JavaSparkContext sc, RDD<TaggedBlock> grouped, BlockingQueue<RoundServer.Event> events) {
        this.sc = sc;
        this.grouped = grouped;
        this.events = events;
    }

    /** Submits the stage of {@code setup}'s generation with {@code tasks} tasks. */
    void start(ClientTask.Setup setup, int tasks) {
        Function2<Object, scala.collection.Iterator<TaggedBlock>, scala.collection.Iterator<Integer>> serve =
                (Function2<Object, scala.collection.Iterator<TaggedBlock>, scala.collection.Iterator<Integer>> & Serializable)
                        (task, it) -> scala.jdk.javaapi.CollectionConverters.asScala(
                                ClientTask.run(setup, (Integer) task, scala.jdk.javaapi.CollectionConverters.asJava(it)));
        RDD<Integer> stage = grouped.barrier().mapPartitionsWithIndex(serve, false, ClassTag$.MODULE$.apply(Integer.class));
        int gen = setup.generation();
        String description = "persistent rounds (stage " + gen + ", " + tasks + " tasks)";
        job = new Thread(() -> {
            String why = "finished";
            try {
                sc.setJobGroup(jobGroup, description, true);
                stage.count();
            } catch (Throwable t) {
                why = firstLine(t);
            } finally {
                events.add(new RoundServer.Event(RoundServer.Event.Kind.ENDED, gen, -1, null, why));
            }
        }, "blora-persistent-rounds-" + gen);
        job.setDaemon(true);
        job.start();
    }

    /** Cancels the job (its tasks are killed; a task blocked on its connection notices within a second). */
    void cancel() {
        sc.sc().cancelJobGroup(jobGroup);
    }

    /** Waits up to {@code ms} for the job's thread to end; true when it has (or none was started). */
    boolean join(long ms) {
        if (job == null) {
            return true;
        }
        try {
            job.join(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        boolean ended = !job.isAlive();
        if (ended) {
            job = null;
        }
        return ended;
    }

    private static String firstLine(Throwable t) {
        String m = String.valueOf(t.getMessage());
        int nl = m.indexOf('\n');
        return nl < 0 ? m : m.substring(0, nl);
    }
}
