package org.blora.spark;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.blora.core.objective.DataBlock;
import org.blora.core.objective.DataLoss;
import org.blora.core.train.ClientCompute;
import org.blora.core.train.GradientOracle;
import org.blora.core.train.Iterate;
import org.blora.core.train.OracleRequest;
import org.blora.core.train.OracleResult;
import scala.Function1;
import scala.reflect.ClassTag$;

/**
 * The clients on Spark: one cached partition per client. A round is one stage: every partition evaluates the
 * request on its blocks with the same {@link ClientCompute} the local oracle runs, returns one result, and the
 * driver sums them in partition order ({@link OracleResult#sumInOrder}), so the numbers do not depend on task
 * timing, retries or executors.
 */
public final class SparkOracle implements GradientOracle, AutoCloseable {
    private final JavaSparkContext sc;
    private final JavaRDD<DataBlock> blocks;
    private final DataLoss loss;
    private final int d;
    private final long rows;
    private final int clients;
    private final IterateChannel channel;
    private String roundLabel = "";

    /**
     * @param snapshotEvery rounds between unconditional full-W broadcasts; 0 = only on the first round and when
     *                      an executor cannot advance its copy
     */
    public SparkOracle(JavaSparkContext sc, JavaRDD<DataBlock> cachedBlocks, DataLoss loss, int d, long rows,
                       int snapshotEvery) {
        this.sc = sc;
        this.blocks = cachedBlocks;
        this.loss = loss;
        this.d = d;
        this.rows = rows;
        this.clients = cachedBlocks.getNumPartitions();
        this.channel = new IterateChannel(sc, snapshotEvery);
    }

    /** Text shown in the Spark UI for each round's job, e.g. "/4000". */
    public void setRoundBudgetLabel(String label) {
        this.roundLabel = label;
    }

    @Override
    public long rows() {
        return rows;
    }

    @Override
    public int clients() {
        return clients;
    }

    @Override
    public OracleResult evaluate(OracleRequest request, Iterate at) {
        sc.setJobDescription("round " + at.round() + roundLabel);
        List<OracleResult> perClient = run(request, channel.prepare(at));
        if (perClient.contains(null)) {
            // Some executor could not advance its copy of W: send the full W_t and run the round again.
            sc.setJobDescription("round " + at.round() + roundLabel + " (rebuild)");
            perClient = run(request, channel.snapshot(at));
        }
        return OracleResult.sumInOrder(perClient);
    }

    /** One stage: every partition's result, in partition order; null for a partition that missed W_t. */
    private List<OracleResult> run(OracleRequest request, IterateHandle handle) {
        DataLoss f = loss;
        int dim = d;
        return perPartition(it -> {
            ExecutorIterates.Point p = ExecutorIterates.materialize(handle);
            if (p == null) {
                return null;
            }
            List<DataBlock> mine = new ArrayList<>();
            while (it.hasNext()) {
                mine.add(it.next());
            }
            return ClientCompute.evaluate(request, mine, f, p.w(), p.wPrev(), dim);
        });
    }

    /** What one partition computes in a stage. */
    private interface PartitionTask extends Function1<scala.collection.Iterator<DataBlock>, OracleResult>,
            Serializable {
    }

    /**
     * One stage over the cached blocks with SparkContext.runJob: one result per partition in partition order,
     * without creating an RDD per round (cheaper than mapPartitions + collect, see bench/README.md).
     */
    private List<OracleResult> perPartition(PartitionTask task) {
        OracleResult[] out = (OracleResult[]) sc.sc().runJob(blocks.rdd(), task,
                ClassTag$.MODULE$.apply(OracleResult.class));
        return Arrays.asList(out);
    }

    @Override
    public double[] gramTimes(double[] v) {
        DataLoss f = loss;
        int dim = d;
        sc.setJobDescription("smoothness estimate (Lanczos)");
        List<OracleResult> perClient = perPartition(it -> {
            OracleResult r = new OracleResult();
            r.gradSum = new double[dim];
            while (it.hasNext()) {
                f.addGramTimes(it.next(), v, r.gradSum);
            }
            return r;
        });
        return OracleResult.sumInOrder(perClient).gradSum;
    }

    /** Numbers broadcast so far (full-W snapshots). */
    public long broadcastNumbers() {
        return channel.broadcastNumbers();
    }

    /** Numbers of the links shipped inside the round's tasks so far. */
    public long linkNumbers() {
        return channel.linkNumbers();
    }

    /** Full-W snapshots broadcast so far (the first round, misses, and every run.snapshot.every rounds). */
    public int snapshots() {
        return channel.snapshots();
    }

    @Override
    public void close() {
        channel.close();
    }
}
