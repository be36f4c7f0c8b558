package org.blora.spark.persistent;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.apache.spark.HashPartitioner;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.blora.core.federated.Protocol;
import org.blora.core.objective.DataBlock;
import org.blora.core.objective.DataLoss;
import org.blora.core.oracle.GradientOracle;
import org.blora.core.oracle.Iterate;
import org.blora.core.oracle.OracleRequest;
import org.blora.core.oracle.OracleResult;
import org.blora.spark.TestFaults;
import scala.Tuple2;

/**
 * A run's rounds inside one barrier stage (run.rounds=persistent), the pattern of XGBoost4J-Spark's training: the
 * stage's tasks take the clients' cached blocks of every data set of the run (training, validation, test) once,
 * connect back to the driver's {@link RoundServer} and serve every round's requests until the run is done, so a
 * round costs its arithmetic and one exchange instead of a Spark job.
 *
 * <p>The driver keeps everything that decides the bits: the iterate, every random draw (in the requests), the
 * reduction in client order (the caller's), and a copy of every client's protocol state after the last completed
 * round. So a lost task, a lost executor or a task that stops answering (no answer within run.rounds.timeout) costs
 * a relaunch of the stage from the driver's current round: the new tasks get the clients' states in their closure and
 * the full W_t in their first round, and the round is asked again with the same request, which gives the same bits.
 *
 * <p>The stage holds every task slot it uses for as long as it runs: {@link #pause} ends it before the run needs any
 * other Spark job, and the next request starts it again.
 */
public final class PersistentRounds implements AutoCloseable {
    /** The run cannot have its stage (no slots, dynamic allocation): one line saying why and what to do. */
    public static final class Refused extends IllegalStateException {
        private static final long serialVersionUID = 1L;

        Refused(String message) {
            super(message);
        }
    }

    /** Launches of the stage for one request before the run gives up. */
    private static final int MAX_LAUNCHES = 4;

    private final TaskSlots slots;
    private final StageJob job;
    private final ClientGroups groups;
    private final DataLoss loss;
    private final int d;
    private final Protocol protocol;
    private final long timeoutMs;
    private final PrintStream log;
    private final RunSecret secret = RunSecret.draw();
    private final LinkedBlockingQueue<RoundServer.Event> events = new LinkedBlockingQueue<>();
    private final RoundServer server;
    private final String driverHost;
    /** Per data set: the round of the iterate the tasks hold, -1 for none. */
    private final int[] tasksRound;
    /** The training clients' protocol states after the last completed round (the driver's copy). */
    private final double[][] states;
    private int generation = -1;
    private boolean running;
    private long seq;
    private int launches;

    /**
     * @param sources   the cached client blocks of each data set, training first (one partition per client)
     * @param protocol  the run's federated protocol (its client side), or null
     * @param tasks     tasks of the stage; 0 = as many as the cluster has slots, at most the largest client count
     * @param timeoutS  seconds a round may take before its tasks count as lost
     */
    public PersistentRounds(JavaSparkContext sc, List<JavaRDD<DataBlock>> sources, DataLoss loss, int d,
                            Protocol protocol, int tasks, double timeoutS, PrintStream log) {
        this.loss = loss;
        this.d = d;
        this.protocol = protocol;
        this.timeoutMs = (long) Math.ceil(timeoutS * 1000);
        this.log = log;
        int[] clients = new int[sources.size()];
        int most = 0;
        JavaRDD<TaggedBlock> union = null;
        for (int s = 0; s < sources.size(); s++) {
            clients[s] = sources.get(s).getNumPartitions();
            most = Math.max(most, clients[s]);
            int source = s;
            JavaRDD<TaggedBlock> tagged = sources.get(s).mapPartitionsWithIndex((client, it) -> {
                List<TaggedBlock> out = new ArrayList<>();
                it.forEachRemaining(b -> out.add(new TaggedBlock(source, client, b)));
                return out.iterator();
            }, true);
            union = union == null ? tagged : union.union(tagged);
        }
        this.slots = new TaskSlots(sc);
        int want = tasks > 0 ? tasks : Math.min(most, slots.await(1, Math.min(timeoutMs, 30_000)));
        if (tasks > 0) {
            slots.await(want, 0);
        }
        this.groups = new ClientGroups(clients, Math.min(want, most));
        // A barrier stage may not read a union or a coalesce of other partitions (SPARK-24820): the clients' blocks
        // are moved to their tasks by one shuffle, whose output every later launch of the stage reads again.
        ClientGroups g = groups;
        this.job = new StageJob(sc, union.mapToPair(b -> new Tuple2<>(g.owner(b.source(), b.client()), b))
                .partitionBy(new HashPartitioner(groups.tasks())).values().rdd(), events);
        this.tasksRound = new int[sources.size()];
        this.states = new double[clients[0]][];
        this.driverHost = sc.getConf().get("spark.driver.host", "127.0.0.1");
        String bind = sc.getConf().get("spark.driver.bindAddress", driverHost);
        this.server = new RoundServer(bind, secret, log::println, events);
    }

    /** The oracle of data set {@code source} (0 = training) with its {@code rows}. */
    public GradientOracle oracle(int source, long rows) {
        return new PersistentOracle(this, source, groups.clients(source), rows);
    }

    /** Tasks of the stage. */
    public int tasks() {
        return groups.tasks();
    }

    /** Stage launches so far (the first, and one per relaunch after a lost task). */
    public int launches() {
        return launches;
    }

    /**
     * Every client's result of data set {@code source} for {@code request} at {@code at} (null: no iterate), in
     * client order; relaunches the stage from this round when a task is lost.
     */
    synchronized List<OracleResult> exchange(int source, OracleRequest request, Iterate at) {
        for (int attempt = 1; ; attempt++) {
            try {
                ensureRunning();
                return once(source, request, at);
            } catch (LostTask e) {
                abort();
                String what = (request.round() < 0 ? "smoothness pass" : "round " + request.round()) + ": " + e.getMessage();
                if (attempt >= MAX_LAUNCHES) {
                    throw new IllegalStateException("run.rounds=persistent gave up after " + attempt + " launches of its "
                            + "stage, " + what + " (see the executors' logs; run.rounds=stage runs without a barrier stage)");
                }
                log.println("[rounds] " + what + "; relaunching the stage from the driver's state of this round");
            }
        }
    }

    private List<OracleResult> once(int source, OracleRequest request, Iterate at) throws LostTask {
        long s = ++seq;
        server.sendAll(RequestCodec.roundFrame(s, source, tasksRound[source], at, request));
        if (at != null) {
            tasksRound[source] = at.round();
        }
        RoundAnswers answers = new RoundAnswers(groups, source, s);
        long deadline = System.nanoTime() + timeoutMs * 1_000_000L;
        while (!answers.complete()) {
            RoundServer.Event e = next(deadline);
            if (e == null) {
                throw new LostTask("no answer from task(s) " + answers.silent() + " within run.rounds.timeout="
                        + timeoutMs / 1000.0 + " s");
            }
            if (e.generation() == generation) {
                answers.accept(e);
            }
        }
        List<OracleResult> results = answers.results();
        if (source == 0 && request.fed() != null) {
            answers.updateStates(states);
        }
        return results;
    }

    private RoundServer.Event next(long deadlineNanos) {
        try {
            return events.poll(Math.max(0, deadlineNanos - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for a persistent round", e);
        }
    }

    /** Launches the stage if it is not running, and waits until every task has connected. */
    private void ensureRunning() throws LostTask {
        if (running) {
            return;
        }
        slots.await(groups.tasks(), timeoutMs);
        generation++;
        launches++;
        events.clear();
        Arrays.fill(tasksRound, -1);
        server.expect(generation, groups.tasks());
        ClientTask.Setup setup = new ClientTask.Setup(driverHost, server.port(), secret, generation, groups, loss, d,
                protocol, Collections.unmodifiableList(new ArrayList<>(Arrays.asList(states.clone()))),
                TestFaults.persistentKillRound(), TestFaults.persistentHangRound());
        job.start(setup, groups.tasks());
        int gen = generation;
        running = true;
        int connected = 0;
        long deadline = System.nanoTime() + timeoutMs * 1_000_000L;
        while (connected < groups.tasks()) {
            RoundServer.Event e = next(deadline);
            if (e == null) {
                throw new LostTask("only " + connected + " of " + groups.tasks() + " tasks connected within run.rounds.timeout="
                        + timeoutMs / 1000.0 + " s");
            }
            if (e.generation() != gen) {
                continue;
            }
            switch (e.kind()) {
                case CONNECTED -> connected++;
                case LOST -> throw new LostTask("task " + e.task() + " was lost while the stage started (" + e.why() + ")");
                case ENDED -> throw new LostTask("the stage ended while it started (" + e.why() + ")");
                default -> throw new LostTask("task " + e.task() + " sent a frame before the first round");
            }
        }
    }

    /**
     * Ends the stage (its tasks return, their slots are free for other jobs); the next request starts it again. The
     * tasks' copies of W are lost with it, so that next request sends the full W_t.
     */
    public synchronized void pause() {
        if (!running) {
            return;
        }
        server.sendAll(new byte[] {WireCodec.STOP});
        if (!job.join(30_000)) {
            abort();
        }
        running = false;
    }

    /** Closes every connection and cancels the stage's job: for a lost task, or a stage that does not stop. */
    private void abort() {
        server.closeAll();
        job.cancel();
        job.join(60_000);
        running = false;
    }

    /** The training clients' protocol states after the last completed round, in client order. */
    List<double[]> clientStates() {
        return Collections.unmodifiableList(new ArrayList<>(Arrays.asList(states.clone())));
    }

    /** Starts the training clients from {@code s}: the next launch of the stage carries them. */
    synchronized void restoreClientStates(List<double[]> s) {
        if (s.size() != states.length) {
            throw new IllegalArgumentException("the checkpoint holds the states of " + s.size()
                    + " clients, the data have " + states.length + " (resume with the same clients)");
        }
        for (int c = 0; c < states.length; c++) {
            states[c] = s.get(c);
        }
        pause();
    }

    @Override
    public synchronized void close() {
        pause();
        server.close();
    }
}
