package org.blora.spark.persistent;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * The bytes between the driver and the persistent client tasks, written and read field by field: ints, longs,
 * doubles (IEEE-754 bits, big-endian) and arrays of them, each array preceded by its length (-1 for null). Nothing
 * is ever Java-deserialised: a reader builds only the records below from numbers, so a peer can send at most wrong
 * numbers, never code or objects. Every frame on the connection is {@code int length} + {@code byte type} + body.
 * This class holds the frame types and the arrays; {@link ClientIterate}, {@link RequestCodec} and
 * {@link ResultCodec} write and read a ROUND's iterate update, its request and a client's result.
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

    /** Largest frame either side accepts (a full W of an MLP and its W_{t-1} fit many times over). */
    static final int MAX_FRAME = 1 << 30;

    private WireCodec() {
    }

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
