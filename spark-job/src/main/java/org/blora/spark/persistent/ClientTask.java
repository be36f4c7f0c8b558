package org.blora.spark.persistent;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.TaskContext;
import org.blora.core.federated.Protocol;
import org.blora.core.objective.DataBlock;
import org.blora.core.objective.DataLoss;
import org.blora.core.oracle.ClientCompute;
import org.blora.core.oracle.ClientOutput;
import org.blora.core.oracle.OracleRequest;
import org.blora.spark.TestFaults;

/**
 * One task of the persistent stage: it takes its clients' cached blocks once, connects back to the driver, proves
 * the run secret, then serves rounds until the driver says stop or goes away. Per round it brings its copy of the
 * source's W_t up to date from the round's update (a step, or a snapshot), and runs the same
 * {@link ClientCompute#evaluate} as a stage-mode task for every client it serves, in client order, with each
 * client's protocol state; it sends back every client's result, and the state when it changed.
 *
 * <p>A blocking socket suits the task side: the task thread does one thing at a time (read a round, compute, answer).
 */
final class ClientTask {
    /** What every task of one stage generation needs, shipped in the stage's closure. */
    record Setup(String host, int port, RunSecret secret, int generation, ClientGroups groups, DataLoss loss, int d,
                 Protocol protocol, List<double[]> states, int killRound, int hangRound) implements Serializable {
    }

    private ClientTask() {
    }

    static Iterator<Integer> run(Setup s, int task, Iterator<TaggedBlock> blocks) {
        ClientGroups g = s.groups();
        // Per data set, the task's clients (in order) and their blocks.
        List<List<Integer>> clients = new ArrayList<>();
        List<List<List<DataBlock>>> data = new ArrayList<>();
        for (int src = 0; src < g.sources(); src++) {
            List<Integer> mine = new ArrayList<>();
            List<List<DataBlock>> theirs = new ArrayList<>();
            for (int c = 0; c < g.clients(src); c++) {
                if (g.owner(src, c) == task) {
                    mine.add(c);
                    theirs.add(new ArrayList<>());
                }
            }
            clients.add(mine);
            data.add(theirs);
        }
        while (blocks.hasNext()) {
            TaggedBlock b = blocks.next();
            data.get(b.source()).get(b.client() - clients.get(b.source()).get(0)).add(b.block());
        }
        for (List<List<DataBlock>> source : data) {
            for (List<DataBlock> client : source) {
                // The client's blocks in row order, as its cached partition holds them.
                client.sort(java.util.Comparator.comparingLong(b -> b.firstRow));
            }
        }
        double[][] states = new double[g.clients(0)][];
        for (int c : clients.get(0)) {
            states[c] = s.states() == null ? null : s.states().get(c);
        }
        try (Socket socket = new Socket()) {
            socket.setTcpNoDelay(true);
            socket.connect(new InetSocketAddress(s.host(), s.port()), 60_000);
            DataInputStream in = new DataInputStream(new BufferedInputStream(socket.getInputStream(), 1 << 16));
            DataOutputStream out = new DataOutputStream(new BufferedOutputStream(socket.getOutputStream(), 1 << 16));
            DataInputStream challenge = frame(in);
            if (challenge.readByte() != WireCodec.CHALLENGE) {
                throw new IOException("the driver did not send a challenge");
            }
            byte[] nonce = new byte[RunSecret.NONCE_BYTES];
            challenge.readFully(nonce);
            ByteArrayOutputStream hello = new ByteArrayOutputStream();
            DataOutputStream h = new DataOutputStream(hello);
            h.writeByte(WireCodec.HELLO);
            h.writeInt(s.generation());
            h.writeInt(task);
            h.write(s.secret().answer(nonce, s.generation(), task));
            send(out, hello);
            ClientIterate[] iterates = new ClientIterate[g.sources()];
            for (int i = 0; i < iterates.length; i++) {
                iterates[i] = new ClientIterate();
            }
            while (true) {
                DataInputStream f;
                try {
                    awaitFrame(socket, in);
                    f = frame(in);
                } catch (EOFException e) {
                    throw new IOException("the driver closed the round connection");
                }
                byte type = f.readByte();
                if (type == WireCodec.STOP) {
                    break;
                }
                if (type != WireCodec.ROUND) {
                    throw new IOException("unexpected frame " + type);
                }
                long seq = f.readLong();
                int source = f.readInt();
                ClientIterate it = iterates[source];
                boolean hasIterate = it.read(f);
                OracleRequest req = RequestCodec.readRequest(f, s.protocol());
                ByteArrayOutputStream reply = new ByteArrayOutputStream();
                DataOutputStream r = new DataOutputStream(reply);
                try {
                    if (s.hangRound() >= 0 && s.generation() == 0 && task == 0 && source == 0 && req.round() == s.hangRound()) {
                        continue; // test hook: this task stops answering; the driver's timeout must notice
                    }
                    r.writeByte(WireCodec.RESULTS);
                    r.writeLong(seq);
                    List<Integer> mine = clients.get(source);
                    r.writeInt(mine.size());
                    for (int k = 0; k < mine.size(); k++) {
                        int c = mine.get(k);
                        double[] state = source == 0 ? states[c] : null;
                        ClientOutput o = ClientCompute.evaluate(req, c, data.get(source).get(k), s.loss(),
                                hasIterate ? it.w() : null, hasIterate ? it.wPrev() : null, s.d(), state);
                        r.writeInt(c);
                        ResultCodec.writeResult(r, o.result());
                        boolean changed = source == 0 && req.fed() != null && o.state() != state;
                        r.writeBoolean(changed);
                        if (changed) {
                            WireCodec.writeDoubles(r, o.state());
                            states[c] = o.state();
                        }
                    }
                    if (s.generation() == 0 && task == 0 && source == 0) {
                        TestFaults.maybeKillPersistentTask(s.killRound(), req.round());
                    }
                } catch (RuntimeException e) {
                    reply.reset();
                    r.writeByte(WireCodec.FAILED);
                    r.writeLong(seq);
                    r.writeUTF(String.valueOf(e).substring(0, Math.min(2000, String.valueOf(e).length())));
                    send(out, reply);
                    throw e;
                }
                send(out, reply);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("persistent round task " + task + " of stage " + s.generation(), e);
        }
        return List.of(task).iterator();
    }

    /**
     * Blocks until the next frame starts, looking every second whether Spark has killed the task (its job was
     * cancelled, or the barrier stage failed): a thread blocked in a socket read does not see an interrupt, and a
     * task that outlived its job would hold its slot.
     */
    private static void awaitFrame(Socket socket, DataInputStream in) throws IOException {
        TaskContext ctx = TaskContext.get();
        socket.setSoTimeout(1000);
        try {
            while (true) {
                in.mark(1);
                try {
                    if (in.read() < 0) {
                        throw new EOFException();
                    }
                    in.reset();
                    return;
                } catch (SocketTimeoutException e) {
                    if (ctx != null && ctx.isInterrupted()) {
                        throw new IOException("the task was killed (" + ctx.getKillReason() + ")");
                    }
                }
            }
        } finally {
            socket.setSoTimeout(0);
        }
    }

    private static DataInputStream frame(DataInputStream in) throws IOException {
        int n = in.readInt();
        if (n < 1 || n > WireCodec.MAX_FRAME) {
            throw new IOException("a frame of " + n + " bytes");
        }
        byte[] b = new byte[n];
        in.readFully(b);
        return new DataInputStream(new ByteArrayInputStream(b));
    }

    private static void send(DataOutputStream out, ByteArrayOutputStream frame) throws IOException {
        out.writeInt(frame.size());
        frame.writeTo(out);
        out.flush();
    }
}
