package org.blora.spark;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
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

    /** Rounds between full snapshots so that a rebuild reads about as much as one extra W: m n / (r (m + n)). */
    public static int defaultSnapshotEvery(int m, int n, int rank) {
        return Math.max(1, (int) (((long) m * n) / ((long) rank * (m + n))));
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
        IterateHandle handle = channel.prepare(at);
        DataLoss f = loss;
        int dim = d;
        int failRound = TestFaults.roundToFail();
        sc.setJobDescription("round " + at.round() + roundLabel);
        List<OracleResult> perClient = blocks.mapPartitions((Iterator<DataBlock> it) -> {
            ExecutorIterates.Point p = ExecutorIterates.materialize(handle);
            List<DataBlock> mine = new ArrayList<>();
            it.forEachRemaining(mine::add);
            OracleResult r = ClientCompute.evaluate(request, mine, f, p.w(), p.wPrev(), dim);
            TestFaults.maybeFail(failRound, request.round());
            return Collections.singletonList(r).iterator();
        }, true).collect();
        return OracleResult.sumInOrder(perClient);
    }

    @Override
    public double[] gramTimes(double[] v) {
        DataLoss f = loss;
        int dim = d;
        sc.setJobDescription("smoothness estimate (power iteration)");
        List<OracleResult> perClient = blocks.mapPartitions((Iterator<DataBlock> it) -> {
            OracleResult r = new OracleResult();
            r.gradSum = new double[dim];
            while (it.hasNext()) {
                f.addGramTimes(it.next(), v, r.gradSum);
            }
            return Collections.singletonList(r).iterator();
        }, true).collect();
        return OracleResult.sumInOrder(perClient).gradSum;
    }

    public long broadcastNumbers() {
        return channel.broadcastNumbers();
    }

    @Override
    public void close() {
        channel.close();
    }
}
