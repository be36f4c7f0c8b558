package org.blora.spark.persistent;

import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.blora.core.oracle.OracleResult;

/**
 * The answers to one ROUND frame as they arrive, task by task: every client's result of the round's data set, in
 * client order, and the protocol states the tasks sent because they changed. Anything but one well-formed answer per
 * task, each for its own clients, is a lost task ({@link LostTask}): the round is asked again after a relaunch.
 */
final class RoundAnswers {
    private final ClientGroups groups;
    private final int source;
    private final long seq;
    private final OracleResult[] results;
    private final double[][] changed;
    private final boolean[] answered;
    private int pending;

    RoundAnswers(ClientGroups groups, int source, long seq) {
        this.groups = groups;
        this.source = source;
        this.seq = seq;
        int clients = groups.clients(source);
        this.results = new OracleResult[clients];
        this.changed = new double[clients][];
        this.answered = new boolean[groups.tasks()];
        this.pending = groups.tasks();
    }

    /** True once every task has answered. */
    boolean complete() {
        return pending == 0;
    }

    /** Tasks that have not answered yet (for the timeout's message). */
    List<Integer> silent() {
        List<Integer> silent = new ArrayList<>();
        for (int t = 0; t < answered.length; t++) {
            if (!answered[t]) {
                silent.add(t);
            }
        }
        return silent;
    }

    /** Takes one event of the current stage generation. */
    void accept(RoundServer.Event e) throws LostTask {
        switch (e.kind()) {
            case LOST -> throw new LostTask("task " + e.task() + " was lost (" + e.why() + ")");
            case ENDED -> throw new LostTask("the stage ended (" + e.why() + ")");
            case CONNECTED -> throw new LostTask("task " + e.task() + " connected again");
            case FRAME -> frame(e.task(), e.frame());
            default -> throw new IllegalStateException("unknown event " + e.kind());
        }
    }

    private void frame(int task, byte[] frame) throws LostTask {
        try {
            DataInputStream in = new DataInputStream(new ByteArrayInputStream(frame));
            byte type = in.readByte();
            long replyTo = in.readLong();
            if (replyTo != seq) {
                return; // an answer to a round asked before a relaunch
            }
            if (type == WireCodec.FAILED) {
                throw new LostTask("task " + task + " failed: " + in.readUTF());
            }
            if (type != WireCodec.RESULTS || answered[task]) {
                throw new LostTask("task " + task + " sent an unexpected frame " + type);
            }
            int n = in.readInt();
            for (int k = 0; k < n; k++) {
                int c = in.readInt();
                if (c < 0 || c >= results.length || groups.owner(source, c) != task || results[c] != null) {
                    throw new LostTask("task " + task + " answered for client " + c + ", not its own");
                }
                results[c] = ResultCodec.readResult(in);
                if (in.readBoolean()) {
                    changed[c] = WireCodec.readDoubles(in);
                }
            }
            answered[task] = true;
            pending--;
        } catch (IOException | RuntimeException x) {
            throw new LostTask("task " + task + " sent a malformed answer (" + x + ")");
        }
    }

    /** Every client's result in client order, once {@link #complete}. */
    List<OracleResult> results() throws LostTask {
        for (int c = 0; c < results.length; c++) {
            if (results[c] == null) {
                throw new LostTask("no result for client " + c);
            }
        }
        return Arrays.asList(results);
    }

    /** Copies the protocol states that changed this round into {@code states} (client order). */
    void updateStates(double[][] states) {
        for (int c = 0; c < changed.length; c++) {
            if (changed[c] != null) {
                states[c] = changed[c];
            }
        }
    }
}
