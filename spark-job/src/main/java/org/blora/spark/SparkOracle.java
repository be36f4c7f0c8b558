package org.blora.spark;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.blora.core.objective.DataBlock;
import org.blora.core.objective.DataLoss;
import org.blora.core.objective.MultiPointLoss;
import org.blora.core.oracle.ClientCompute;
import org.blora.core.oracle.ClientOutput;
import org.blora.core.oracle.GradientOracle;
import org.blora.core.oracle.Iterate;
import org.blora.core.oracle.OracleRequest;
import org.blora.core.oracle.OracleResult;

/**
 * The clients on Spark: one cached partition per client. A round is one stage: every partition evaluates the
 * request on its blocks with the same {@link ClientCompute} the local oracle runs and returns one result; the
 * driver gets them in partition order, so every reduction is independent of task timing, retries and executors.
 * The new link travels inside the round's tasks; an executor that cannot advance its copy of W reports a miss
 * and the driver reruns the round once with a broadcast of the full W_t.
 *
 * <p>Federated protocols with client state (MARINA's last gradient, EF21's g_l) keep it in an RDD zipped with
 * the data partitions ({@link ClientStateRounds}).
 *
 * <p>With {@link SharedPasses}, a request of a least-squares run without protocol state may be served by one stage
 * with other runs' requests on the same blocks ({@link #sharedStage}), with the same bits as this run's own stage.
 */
public final class SparkOracle implements GradientOracle, AutoCloseable {
    private final JavaSparkContext sc;
    private final JavaRDD<DataBlock> blocks;
    private final DataLoss loss;
    private final int d;
    private final long rows;
    private final int clients;
    private final IterateChannel channel;
    private final PartitionJobs jobs;
    private final ClientStateRounds stateRounds;
    private String roundLabel = "";
    /** Where requests may share a stage with other runs' (null: every round in its own stage). */
    private final SharedPasses passes;
    /** The blocks, parameter count and loss: requests of runs with equal keys can share a pass. */
    private final String passKey;

    /**
     * @param snapshotEvery rounds between unconditional full-W broadcasts; 0 = only on the first round and when
     *                      an executor cannot advance its copy
     */
    public SparkOracle(JavaSparkContext sc, JavaRDD<DataBlock> cachedBlocks, DataLoss loss, int d, long rows,
                       int snapshotEvery) {
        this(sc, cachedBlocks, loss, d, rows, snapshotEvery, null);
    }

    /** @param passes where rounds share stages with concurrent runs; null: never */
    public SparkOracle(JavaSparkContext sc, JavaRDD<DataBlock> cachedBlocks, DataLoss loss, int d, long rows,
                       int snapshotEvery, SharedPasses passes) {
        this.sc = sc;
        this.passes = loss instanceof MultiPointLoss ? passes : null;
        this.passKey = cachedBlocks.id() + "/" + d + "/" + loss.getClass().getName();
        this.blocks = cachedBlocks;
        this.loss = loss;
        this.d = d;
        this.rows = rows;
        this.clients = cachedBlocks.getNumPartitions();
        this.channel = new IterateChannel(sc, snapshotEvery);
        this.jobs = new PartitionJobs(sc, clients);
        this.stateRounds = new ClientStateRounds(sc, cachedBlocks, loss, d, channel, jobs);
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
    public List<OracleResult> evaluate(OracleRequest request, Iterate at) {
        sc.setJobDescription("round " + at.round() + roundLabel);
        if (request.fed() != null) {
            return stateRounds.evaluate(request, at, "round " + at.round() + roundLabel);
        }
        List<OracleResult> perClient = passes != null
                ? passes.evaluate(this, passKey, request, channel.prepare(at))
                : stateless(request, channel.prepare(at));
        if (perClient.contains(null)) {
            // Some executor could not advance its copy of W: send the full W_t and run the round again.
            sc.setJobDescription("round " + at.round() + roundLabel + " (rebuild)");
            perClient = stateless(request, channel.snapshot(at));
        }
        return perClient;
    }

    /**
     * One stage of this run alone: every partition's result, in partition order; null for a partition that missed
     * W_t. {@code handle} is null for a request that needs no iterate.
     */
    List<OracleResult> stateless(OracleRequest request, IterateHandle handle) {
        DataLoss f = loss;
        int dim = d;
        int failRound = TestFaults.roundToFail();
        return jobs.run(blocks, (ctx, it) -> {
            ExecutorIterates.Point p = ExecutorIterates.materialize(handle);
            if (p == null) {
                return null;
            }
            ClientOutput o = ClientCompute.evaluate(request, TaskContext.getPartitionId(), PartitionJobs.once(it), f,
                    p.w(), p.wPrev(), dim, null);
            TestFaults.maybeFail(failRound, request.round());
            return o.result();
        }, OracleResult.class);
    }

    /**
     * One stage for several runs' requests without protocol state on these blocks (each handle is its run's W_t):
     * every task takes its client's blocks once through all of them ({@link ClientCompute#evaluatePoints}: the
     * full-gradient requests read each block once together). Per request, the per-client results in partition
     * order, each bit for bit what that run's own stage returns, with null for a client whose executor missed that
     * run's W_t.
     */
    List<List<OracleResult>> sharedStage(OracleRequest[] requests, IterateHandle[] handles) {
        MultiPointLoss f = (MultiPointLoss) loss;
        int dim = d;
        int failRound = TestFaults.roundToFail();
        StringBuilder rounds = new StringBuilder();
        for (OracleRequest r : requests) {
            rounds.append(rounds.length() == 0 ? "rounds " : ", ").append(r.gram() != null ? "gram" : r.round());
        }
        sc.setJobDescription(rounds + " of " + requests.length + " runs (one shared stage)");
        List<OracleResult[]> perPartition = jobs.run(blocks, (ctx, it) -> {
            List<Integer> present = new ArrayList<>();
            List<ExecutorIterates.Point> at = new ArrayList<>();
            for (int p = 0; p < handles.length; p++) {
                ExecutorIterates.Point point = ExecutorIterates.materialize(handles[p]);
                if (point != null) {
                    present.add(p);
                    at.add(point);
                }
            }
            int k = present.size();
            OracleRequest[] served = new OracleRequest[k];
            double[][] w = new double[k][];
            double[][] wPrev = new double[k][];
            for (int i = 0; i < k; i++) {
                served[i] = requests[present.get(i)];
                w[i] = at.get(i).w();
                wPrev[i] = at.get(i).wPrev();
            }
            OracleResult[] r = ClientCompute.evaluatePoints(served, PartitionJobs.once(it), f, w, wPrev, dim);
            for (OracleRequest q : requests) {
                TestFaults.maybeFail(failRound, q.round());
            }
            OracleResult[] out = new OracleResult[requests.length];
            for (int i = 0; i < k; i++) {
                out[present.get(i)] = r[i];
            }
            return out;
        }, OracleResult[].class);
        List<List<OracleResult>> perRequest = new ArrayList<>(requests.length);
        for (int p = 0; p < requests.length; p++) {
            List<OracleResult> perClient = new ArrayList<>(clients);
            for (OracleResult[] part : perPartition) {
                perClient.add(part[p]);
            }
            perRequest.add(perClient);
        }
        return perRequest;
    }

    /** A Gram request needs no iterate: it shares stages with the rounds of concurrent runs like any other request. */
    @Override
    public List<double[]> gramTimesPerClient(double[] v) {
        sc.setJobDescription("smoothness estimate (Lanczos)");
        OracleRequest gram = OracleRequest.gramTimes(v);
        List<OracleResult> perClient = passes != null ? passes.evaluate(this, passKey, gram, null)
                : stateless(gram, null);
        List<double[]> out = new ArrayList<>(perClient.size());
        for (OracleResult r : perClient) {
            out.add(r.gradSum());
        }
        return out;
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

    /** One small job collecting the clients' states in partition order (only when a checkpoint is written). */
    @Override
    public List<double[]> clientStates() {
        return stateRounds.states();
    }

    @Override
    public void restoreClientStates(List<double[]> states) {
        stateRounds.restore(states);
    }

    @Override
    public void close() {
        if (passes != null) {
            passes.leave(this, passKey);
        }
        channel.close();
        stateRounds.close();
    }
}
