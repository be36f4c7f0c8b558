package org.blora.spark;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.storage.StorageLevel;
import org.blora.core.objective.DataBlock;
import org.blora.core.objective.DataLoss;
import org.blora.core.train.ClientCompute;
import org.blora.core.train.ClientOutput;
import org.blora.core.train.GradientOracle;
import org.blora.core.train.Iterate;
import org.blora.core.train.OracleRequest;
import org.blora.core.train.OracleResult;
import scala.Tuple2;

/**
 * The clients on Spark: one cached partition per client. A round is one stage: every partition evaluates the
 * request on its blocks with the same {@link ClientCompute} the local oracle runs and returns one result; the
 * driver gets them in partition order, so every reduction is independent of task timing, retries and executors.
 *
 * <p>Federated protocols with client state keep it in an RDD zipped with the data partitions: each round's stage
 * reads the previous state and produces the next one (persisted), and every {@code stateCheckpointEvery} rounds
 * the state RDD is checkpointed so that its lineage stays short and a lost executor recomputes little.
 */
public final class SparkOracle implements GradientOracle, AutoCloseable {
    private final JavaSparkContext sc;
    private final JavaRDD<DataBlock> blocks;
    private final DataLoss loss;
    private final int d;
    private final long rows;
    private final int clients;
    private final IterateChannel channel;
    private final int stateCheckpointEvery;
    private JavaRDD<ClientState> state;
    private JavaRDD<Tuple2<OracleResult, ClientState>> previousRound;
    private JavaRDD<ClientState> lastCheckpoint;
    private JavaRDD<ClientState> olderCheckpoint;
    private int lastCheckpointRound = -1;
    private String roundLabel = "";

    public SparkOracle(JavaSparkContext sc, JavaRDD<DataBlock> cachedBlocks, DataLoss loss, int d, long rows,
                       int snapshotEvery) {
        this(sc, cachedBlocks, loss, d, rows, snapshotEvery, DEFAULT_STATE_CHECKPOINT_EVERY);
    }

    /** Rounds between checkpoints of the client-state RDD unless configured. */
    public static final int DEFAULT_STATE_CHECKPOINT_EVERY = 20;

    /**
     * @param stateCheckpointEvery rounds between checkpoints of the client-state RDD: reliable ones into the
     *                             context's checkpoint dir when set, local ones otherwise
     */
    public SparkOracle(JavaSparkContext sc, JavaRDD<DataBlock> cachedBlocks, DataLoss loss, int d, long rows,
                       int snapshotEvery, int stateCheckpointEvery) {
        this.sc = sc;
        this.blocks = cachedBlocks;
        this.loss = loss;
        this.d = d;
        this.rows = rows;
        this.clients = cachedBlocks.getNumPartitions();
        this.channel = new IterateChannel(sc, snapshotEvery);
        if (stateCheckpointEvery < 1) {
            throw new IllegalArgumentException("state checkpoint interval must be >= 1, got " + stateCheckpointEvery);
        }
        this.stateCheckpointEvery = stateCheckpointEvery;
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
    public List<OracleResult> evaluate(OracleRequest request, Iterate at) {
        IterateHandle handle = channel.prepare(at);
        DataLoss f = loss;
        int dim = d;
        int failRound = TestFaults.roundToFail();
        sc.setJobDescription("round " + at.round() + roundLabel);
        if (request.fed() == null) {
            List<OracleResult> results = blocks.mapPartitions((Iterator<DataBlock> it) -> {
                ExecutorIterates.Point p = ExecutorIterates.materialize(handle);
                ClientOutput o = ClientCompute.evaluate(request, TaskContext.getPartitionId(), list(it), f, p.w(),
                        p.wPrev(), dim, null);
                TestFaults.maybeFail(failRound, request.round());
                return Collections.singletonList(o.result()).iterator();
            }, true).collect();
            channel.releaseThrough(at.round());
            return results;
        }
        if (state == null) {
            state = blocks.mapPartitions(it -> Collections.singletonList(new ClientState(null)).iterator(), true);
        }
        JavaRDD<Tuple2<OracleResult, ClientState>> round = blocks.zipPartitions(state, (itB, itS) -> {
            ExecutorIterates.Point p = ExecutorIterates.materialize(handle);
            ClientOutput o = ClientCompute.evaluate(request, TaskContext.getPartitionId(), list(itB), f, p.w(),
                    p.wPrev(), dim, itS.next().values());
            TestFaults.maybeFail(failRound, request.round());
            return Collections.singletonList(new Tuple2<>(o.result(), new ClientState(o.state()))).iterator();
        });
        round.persist(StorageLevel.MEMORY_AND_DISK());
        List<OracleResult> results = round.map(Tuple2::_1).collect();
        if (lastCheckpoint != null && lastCheckpoint.rdd().isCheckpointed()) {
            channel.releaseThrough(lastCheckpointRound);
        }
        state = round.map(Tuple2::_2);
        if ((at.round() + 1) % stateCheckpointEvery == 0) {
            // Cut the lineage: reliably (to the checkpoint dir) when there is one, else in the executors' storage.
            if (sc.getCheckpointDir().isPresent()) {
                state.checkpoint();
            } else {
                state.rdd().localCheckpoint();
            }
            if (olderCheckpoint != null) {
                olderCheckpoint.unpersist(false);
            }
            olderCheckpoint = lastCheckpoint;
            lastCheckpoint = state;
            lastCheckpointRound = at.round();
        }
        if (previousRound != null) {
            previousRound.unpersist(false);
        }
        previousRound = round;
        return results;
    }

    private static List<DataBlock> list(Iterator<DataBlock> it) {
        List<DataBlock> mine = new ArrayList<>();
        it.forEachRemaining(mine::add);
        return mine;
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
        if (previousRound != null) {
            previousRound.unpersist(false);
        }
    }
}
