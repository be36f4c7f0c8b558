package org.blora.spark.persistent;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.BitSet;
import org.blora.core.chain.Step;
import org.blora.core.compress.CompressedMessage;
import org.blora.core.federated.FedRound;
import org.blora.core.federated.Protocol;
import org.blora.core.linalg.Shape;
import org.blora.core.oracle.Iterate;
import org.blora.core.oracle.OracleRequest;
import org.blora.core.oracle.OracleResult;
import org.blora.core.sketch.Link;
import org.blora.core.sketch.Side;
import org.blora.core.sketch.Sketch;

/**
 * The bytes between the driver and the persistent client tasks, written and read field by field: ints, longs,
 * doubles (IEEE-754 bits, big-endian) and arrays of them, each array preceded by its length (-1 for null). Nothing
 * is ever Java-deserialised: a reader builds only the records below from numbers, so a peer can send at most wrong
 * numbers, never code or objects. Every frame on the connection is {@code int length} + {@code byte type} + body.
 *
 * <p>Frames: CHALLENGE (driver: a nonce), HELLO (task: generation, task index, HMAC of the nonce), ROUND (driver: a
 * sequence number, the source, how to reach W_t, the request), RESULTS (task: the sequence number and, per client it
 * serves, its result and, when it changed, its protocol state), FAILED (task: the sequence number and why), STOP.
 */
final class WireCodec {
    static final byte CHALLENGE = 1;
    static final byte HELLO = 2;
    static final byte ROUND = 3;
    static final byte RESULTS = 4;
    static final byte FAILED = 5;
    static final byte STOP = 6;

    /** How a ROUND says where W_t is: nothing needed, what the tasks hold, one step on, or the full iterate. */
    static final byte NO_ITERATE = 0;
    static final byte KEEP = 1;
    static final byte STEP = 2;
    static final byte SNAPSHOT = 3;

    private static final byte NO_MESSAGE = 0;
    private static final byte DENSE_MESSAGE = 1;
    private static final byte SPARSE_MESSAGE = 2;

    /** Largest frame either side accepts (a full W of an MLP and its W_{t-1} fit many times over). */
    static final int MAX_FRAME = 1 << 30;

    private WireCodec() {
    }

    // ---- the iterate update of a ROUND -------------------------------------------------------------------------

    static void writeStep(DataOutput out, int round, Step step) throws IOException {
        out.writeByte(STEP);
        out.writeInt(round);
        out.writeInt(step.increments.length);
        for (int i = 0; i < step.increments.length; i++) {
            Link l = step.increments[i];
            out.writeBoolean(l != null);
            if (l != null) {
                out.writeInt(step.offset(i));
                out.writeByte(l.side.ordinal());
                out.writeInt(l.shape.m());
                out.writeInt(l.shape.n());
                out.writeInt(l.rank);
                writeDoubles(out, l.b);
                writeDoubles(out, l.a);
            }
        }
    }

    static void writeSnapshot(DataOutput out, Iterate at) throws IOException {
        out.writeByte(SNAPSHOT);
        out.writeInt(at.round());
        writeDoubles(out, at.w());
        writeDoubles(out, at.wPrev());
    }

    /** The client's copy of one source's iterate, advanced or rebuilt from a ROUND's update. */
    static final class ClientIterate {
        int round = -1;
        double[] w;
        double[] wPrev;

        /**
         * Applies the update read from {@code in}, as the stage mode's executor cache does, bit for bit; false when the
         * request needs no iterate (a Gram pass).
         */
        boolean read(DataInput in) throws IOException {
            byte kind = in.readByte();
            switch (kind) {
                case NO_ITERATE -> {
                    return false;
                }
                case KEEP -> {
                    if (w == null) {
                        throw new IOException("no iterate to keep");
                    }
                }
                case STEP -> {
                    int next = in.readInt();
                    if (round != next - 1 || w == null) {
                        throw new IOException("a step to round " + next + " for an iterate of round " + round);
                    }
                    if (wPrev == null) {
                        wPrev = new double[w.length];
                    }
                    System.arraycopy(w, 0, wPrev, 0, w.length);
                    int modules = in.readInt();
                    for (int i = 0; i < modules; i++) {
                        if (in.readBoolean()) {
                            int offset = in.readInt();
                            Side side = Side.values()[in.readByte()];
                            Shape shape = new Shape(in.readInt(), in.readInt());
                            int rank = in.readInt();
                            double[] b = readDoubles(in);
                            double[] a = readDoubles(in);
                            new Link(side, shape, rank, b, a).addTo(w, offset, 1.0);
                        }
                    }
                    round = next;
                }
                case SNAPSHOT -> {
                    round = in.readInt();
                    w = readDoubles(in);
                    wPrev = readDoubles(in);
                }
                default -> throw new IOException("unknown iterate update " + kind);
            }
            return true;
        }
    }

    // ---- requests ----------------------------------------------------------------------------------------------

    static void writeRequest(DataOutput out, OracleRequest r) throws IOException {
        out.writeInt(r.round());
        out.writeBoolean(r.full());
        out.writeBoolean(r.fullCounted());
        writeLongs(out, r.batch());
        out.writeBoolean(r.batchAtPrevious());
        FedRound f = r.fed();
        out.writeBoolean(f != null);
        if (f != null) {
            out.writeInt(f.round());
            out.writeLong(f.seed());
            out.writeInt(f.clients());
            writeLongs(out, f.participants().toLongArray());
            out.writeBoolean(f.sync());
        }
        Sketch s = r.sketchFirst();
        out.writeBoolean(s != null);
        if (s != null) {
            out.writeByte(s.side.ordinal());
            out.writeInt(s.shape.m());
            out.writeInt(s.shape.n());
            out.writeInt(s.rank);
            writeDoubles(out, s.frozen);
        }
        out.writeBoolean(r.score());
        writeDoubles(out, r.gram());
    }

    /**
     * The request as the driver built it. The protocol is the run's, shipped once with the stage (its client side is
     * a function of the configuration); the sketch's basis is recomputed from its frozen factor by the same
     * fixed-order code as on the driver.
     */
    static OracleRequest readRequest(DataInput in, Protocol protocol) throws IOException {
        int round = in.readInt();
        boolean full = in.readBoolean();
        boolean fullCounted = in.readBoolean();
        long[] batch = readLongs(in);
        boolean atPrevious = in.readBoolean();
        FedRound fed = null;
        if (in.readBoolean()) {
            int fr = in.readInt();
            long seed = in.readLong();
            int clients = in.readInt();
            BitSet participants = BitSet.valueOf(readLongs(in));
            boolean sync = in.readBoolean();
            if (protocol == null) {
                throw new IOException("a protocol round for a stage started without a protocol");
            }
            fed = new FedRound(fr, seed, clients, participants, sync, protocol);
        }
        Sketch sketch = null;
        if (in.readBoolean()) {
            Side side = Side.values()[in.readByte()];
            Shape shape = new Shape(in.readInt(), in.readInt());
            int rank = in.readInt();
            double[] frozen = readDoubles(in);
            sketch = side == Side.A ? Sketch.left(shape, frozen, rank) : Sketch.right(shape, frozen, rank);
        }
        boolean score = in.readBoolean();
        double[] gram = readDoubles(in);
        return new OracleRequest(round, full, fullCounted, batch, atPrevious, fed, sketch, score, gram);
    }

    // ---- results -----------------------------------------------------------------------------------------------

    static void writeResult(DataOutput out, OracleResult r) throws IOException {
        out.writeDouble(r.lossSum());
        writeDoubles(out, r.gradSum());
        writeDoubles(out, r.batchGradSum());
        writeDoubles(out, r.batchPrevGradSum());
        writeMessage(out, r.message());
        writeDoubles(out, r.projected());
        out.writeLong(r.uplinkBits());
        out.writeDouble(r.correct());
    }

    static OracleResult readResult(DataInput in) throws IOException {
        // Fields in the order writeResult wrote them.
        return OracleResult.builder().lossSum(in.readDouble()).gradSum(readDoubles(in)).batchGradSum(readDoubles(in))
                .batchPrevGradSum(readDoubles(in)).message(readMessage(in)).projected(readDoubles(in))
                .uplinkBits(in.readLong()).correct(in.readDouble()).build();
    }

    /**
     * A message as its decoded entries (those {@link CompressedMessage#forEachEntry} visits, with their values) and
     * its bit count: dense when it visits 0..d-1 in order, else index and value pairs. The driver adds exactly these
     * values, which the message contract makes equal to what the original message adds.
     */
    private static void writeMessage(DataOutput out, CompressedMessage m) throws IOException {
        if (m == null) {
            out.writeByte(NO_MESSAGE);
            return;
        }
        int d = m.dimension();
        int[] count = {0};
        boolean[] dense = {true};
        m.forEachEntry((i, v) -> {
            dense[0] &= i == count[0];
            count[0]++;
        });
        int n = count[0];
        double[] values = new double[n];
        int[] index = dense[0] && n == d ? null : new int[n];
        int[] k = {0};
        m.forEachEntry((i, v) -> {
            if (index != null) {
                index[k[0]] = i;
            }
            values[k[0]++] = v;
        });
        out.writeByte(index == null ? DENSE_MESSAGE : SPARSE_MESSAGE);
        out.writeInt(d);
        out.writeLong(m.bits());
        if (index != null) {
            writeInts(out, index);
        }
        writeDoubles(out, values);
    }

    private static CompressedMessage readMessage(DataInput in) throws IOException {
        byte kind = in.readByte();
        if (kind == NO_MESSAGE) {
            return null;
        }
        int d = in.readInt();
        long bits = in.readLong();
        int[] index = kind == SPARSE_MESSAGE ? readInts(in) : null;
        double[] values = readDoubles(in);
        return new DecodedMessage(d, bits, index, values);
    }

    // ---- arrays ------------------------------------------------------------------------------------------------

    static void writeDoubles(DataOutput out, double[] a) throws IOException {
        if (a == null) {
            out.writeInt(-1);
            return;
        }
        out.writeInt(a.length);
        ByteBuffer b = ByteBuffer.allocate(a.length * 8);
        b.asDoubleBuffer().put(a);
        out.write(b.array());
    }

    static double[] readDoubles(DataInput in) throws IOException {
        int n = length(in, 8);
        if (n < 0) {
            return null;
        }
        byte[] bytes = new byte[n * 8];
        in.readFully(bytes);
        double[] a = new double[n];
        ByteBuffer.wrap(bytes).asDoubleBuffer().get(a);
        return a;
    }

    static void writeLongs(DataOutput out, long[] a) throws IOException {
        if (a == null) {
            out.writeInt(-1);
            return;
        }
        out.writeInt(a.length);
        ByteBuffer b = ByteBuffer.allocate(a.length * 8);
        b.asLongBuffer().put(a);
        out.write(b.array());
    }

    static long[] readLongs(DataInput in) throws IOException {
        int n = length(in, 8);
        if (n < 0) {
            return null;
        }
        byte[] bytes = new byte[n * 8];
        in.readFully(bytes);
        long[] a = new long[n];
        ByteBuffer.wrap(bytes).asLongBuffer().get(a);
        return a;
    }

    static void writeInts(DataOutput out, int[] a) throws IOException {
        out.writeInt(a.length);
        ByteBuffer b = ByteBuffer.allocate(a.length * 4);
        b.asIntBuffer().put(a);
        out.write(b.array());
    }

    static int[] readInts(DataInput in) throws IOException {
        int n = length(in, 4);
        if (n < 0) {
            throw new IOException("a missing index array");
        }
        byte[] bytes = new byte[n * 4];
        in.readFully(bytes);
        int[] a = new int[n];
        ByteBuffer.wrap(bytes).asIntBuffer().get(a);
        return a;
    }

    /** An array length read from the peer, checked against the frame bound before anything is allocated. */
    private static int length(DataInput in, int width) throws IOException {
        int n = in.readInt();
        if (n < -1 || (long) n * width > MAX_FRAME) {
            throw new IOException("an array of " + n + " entries does not fit a frame");
        }
        return n;
    }
}
