package org.blora.spark;

import java.io.Serializable;
import java.util.Collections;
import java.util.List;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.storage.StorageLevel;
import org.blora.core.objective.DataBlock;
import org.blora.core.objective.DataLoss;
import org.blora.core.oracle.ClientCompute;
import org.blora.core.oracle.ClientOutput;
import org.blora.core.oracle.Iterate;
import org.blora.core.oracle.OracleRequest;
import org.blora.core.oracle.OracleResult;
import scala.Function1;
import scala.Function2;
import scala.Tuple2;
import scala.reflect.ClassTag$;

/**
 * The rounds of federated protocols with client state (MARINA's last gradient, EF21's g_l) in stage mode: the
 * states live in an RDD zipped with the data partitions; each round's stage reads the previous state and produces
 * the next one, which is checkpointed at once (reliably into the context's checkpoint dir when one is set, else in
 * executor storage), so the lineage is one round long and a lost executor recomputes only the current round.
 */
final class ClientStateRounds {
    private final JavaSparkContext sc;
    private final JavaRDD<DataBlock> blocks;
    private final DataLoss loss;
    private final int d;
    private final int clients;
    private final IterateChannel channel;
    private final PartitionJobs jobs;
    private JavaRDD<ClientState> state;
    /** The clients' states a resumed run starts from (null: the protocol's own start). */
    private List<double[]> initialStates;

    ClientStateRounds(JavaSparkContext sc, JavaRDD<DataBlock> blocks, DataLoss loss, int d, IterateChannel channel,
                      PartitionJobs jobs) {
        this.sc = sc;
        this.blocks = blocks;
        this.loss = loss;
        this.d = d;
        this.clients = blocks.getNumPartitions();
        this.channel = channel;
        this.jobs = jobs;
    }

    /** Every client's result of a protocol round, in partition order; {@code label} names the round's jobs. */
    List<OracleResult> evaluate(OracleRequest request, Iterate at, String label) {
        if (state == null) {
            List<double[]> init = initialStates;
            state = blocks.mapPartitions(it -> Collections.singletonList(
                    new ClientState(init == null ? null : init.get(TaskContext.getPartitionId()))).iterator(), true);
        }
        JavaRDD<Tuple2<OracleResult, ClientState>> round = stateRound(request, channel.prepare(at));
        List<OracleResult> results = jobs.run(round, (ctx, it) -> it.next()._1(), OracleResult.class);
        if (results.contains(null)) {
            round.unpersist(false);
            sc.setJobDescription(label + " (rebuild)");
            round = stateRound(request, channel.snapshot(at));
            results = jobs.run(round, (ctx, it) -> it.next()._1(), OracleResult.class);
        }
        JavaRDD<ClientState> next = JavaRDD.fromRDD(round.rdd().map(
                (Function1<Tuple2<OracleResult, ClientState>, ClientState> & Serializable) Tuple2::_2,
                ClassTag$.MODULE$.apply(ClientState.class)), ClassTag$.MODULE$.apply(ClientState.class));
        if (sc.getCheckpointDir().isPresent()) {
            next.checkpoint();
        } else {
            next.rdd().localCheckpoint();
        }
        sc.setJobDescription(label + " (client state checkpoint)");
        jobs.run(next, (ctx, it) -> it.size(), Integer.class);
        round.unpersist(false);
        state.unpersist(false);
        state = next;
        return results;
    }

    private JavaRDD<Tuple2<OracleResult, ClientState>> stateRound(OracleRequest request, IterateHandle handle) {
        DataLoss f = loss;
        int dim = d;
        int failRound = TestFaults.roundToFail();
        // The Scala zipPartitions with a Java lambda: the Java API's wrapper would be a Scala closure that the
        // ClosureCleaner analyses every round (see PartitionJobs).
        Function2<scala.collection.Iterator<DataBlock>, scala.collection.Iterator<ClientState>,
                scala.collection.Iterator<Tuple2<OracleResult, ClientState>>> zip =
                (Function2<scala.collection.Iterator<DataBlock>, scala.collection.Iterator<ClientState>,
                        scala.collection.Iterator<Tuple2<OracleResult, ClientState>>> & Serializable) (itB, itS) -> {
                    ExecutorIterates.Point p = ExecutorIterates.materialize(handle);
                    Tuple2<OracleResult, ClientState> out;
                    if (p == null) {
                        out = new Tuple2<>(null, null);
                    } else {
                        ClientOutput o = ClientCompute.evaluate(request, TaskContext.getPartitionId(),
                                PartitionJobs.once(itB), f, p.w(), p.wPrev(), dim, itS.next().values());
                        TestFaults.maybeFail(failRound, request.round());
                        out = new Tuple2<>(o.result(), new ClientState(o.state()));
                    }
                    return scala.jdk.javaapi.CollectionConverters.asScala(Collections.singletonList(out).iterator());
                };
        JavaRDD<Tuple2<OracleResult, ClientState>> round = JavaRDD.fromRDD(blocks.rdd().zipPartitions(state.rdd(), true,
                zip, ClassTag$.MODULE$.apply(ClientState.class), ClassTag$.MODULE$.apply(Tuple2.class)),
                ClassTag$.MODULE$.apply(Tuple2.class));
        return round.persist(StorageLevel.MEMORY_AND_DISK());
    }

    /** One small job collecting the clients' states in partition order (only when a checkpoint is written). */
    List<double[]> states() {
        if (state == null) {
            return initialStates != null ? initialStates : Collections.nCopies(clients, null);
        }
        sc.setJobDescription("client states for a checkpoint");
        return jobs.run(state, (ctx, it) -> it.next().values(), double[].class);
    }

    /** The states the next round starts from (a resumed run's). */
    void restore(List<double[]> states) {
        if (states.size() != clients) {
            throw new IllegalArgumentException("the checkpoint holds the states of " + states.size()
                    + " clients, the data have " + clients + " (resume with the same clients)");
        }
        initialStates = states;
    }

    void close() {
        if (state != null) {
            state.unpersist(false);
        }
    }
}
