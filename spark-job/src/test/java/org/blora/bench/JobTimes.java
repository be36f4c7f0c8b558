package org.blora.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerBlockUpdated;
import org.apache.spark.scheduler.SparkListenerJobEnd;
import org.apache.spark.scheduler.SparkListenerJobStart;
import org.apache.spark.scheduler.SparkListenerTaskEnd;

/** Spark job durations (onJobStart to onJobEnd, by call site) and the task result bytes collected. */
final class JobTimes extends SparkListener {
    record Job(String callSite, long millis) {
    }

    private final Map<Integer, Long> started = new ConcurrentHashMap<>();
    private final Map<Integer, String> sites = new ConcurrentHashMap<>();
    private final List<Job> done = new ArrayList<>();
    final AtomicLong resultBytes = new AtomicLong();
    final AtomicLong tasks = new AtomicLong();
    /** Serialized bytes of broadcast pieces stored (task binaries, and any broadcast the job makes). */
    final AtomicLong broadcastPieceBytes = new AtomicLong();
    /** Per-task time split, summed in ms: deserialising the task, running it, serialising its result, and the rest. */
    final AtomicLong deserializeMs = new AtomicLong();
    final AtomicLong runMs = new AtomicLong();
    final AtomicLong resultSerializeMs = new AtomicLong();
    final AtomicLong taskDurationMs = new AtomicLong();

    @Override
    public void onJobStart(SparkListenerJobStart e) {
        started.put(e.jobId(), e.time());
        // The job's call site is the name of its final stage, e.g. "treeAggregate at RDDLossFunction.scala:61".
        String site = "";
        int last = -1;
        for (org.apache.spark.scheduler.StageInfo s : scala.jdk.javaapi.CollectionConverters.asJava(e.stageInfos())) {
            if (s.stageId() > last) {
                last = s.stageId();
                site = s.name();
            }
        }
        sites.put(e.jobId(), site);
    }

    @Override
    public void onJobEnd(SparkListenerJobEnd e) {
        Long t0 = started.remove(e.jobId());
        if (t0 != null) {
            synchronized (done) {
                done.add(new Job(sites.remove(e.jobId()), e.time() - t0));
            }
        }
    }

    @Override
    public void onTaskEnd(SparkListenerTaskEnd e) {
        tasks.incrementAndGet();
        if (e.taskMetrics() != null) {
            resultBytes.addAndGet(e.taskMetrics().resultSize());
            deserializeMs.addAndGet(e.taskMetrics().executorDeserializeTime());
            runMs.addAndGet(e.taskMetrics().executorRunTime());
            resultSerializeMs.addAndGet(e.taskMetrics().resultSerializationTime());
            taskDurationMs.addAndGet(e.taskInfo().duration());
        }
    }

    @Override
    public void onBlockUpdated(SparkListenerBlockUpdated e) {
        String block = e.blockUpdatedInfo().blockId().name();
        if (block.startsWith("broadcast_") && block.contains("_piece")) {
            broadcastPieceBytes.addAndGet(e.blockUpdatedInfo().memSize() + e.blockUpdatedInfo().diskSize());
        }
    }

    /** Jobs finished so far (the listener bus is asynchronous: call after waitUntilEmpty). */
    List<Job> jobs() {
        synchronized (done) {
            return new ArrayList<>(done);
        }
    }

    void reset() {
        synchronized (done) {
            done.clear();
        }
        resultBytes.set(0);
        tasks.set(0);
        broadcastPieceBytes.set(0);
        deserializeMs.set(0);
        runMs.set(0);
        resultSerializeMs.set(0);
        taskDurationMs.set(0);
    }
}
