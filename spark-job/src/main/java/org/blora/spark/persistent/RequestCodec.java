package org.blora.spark.persistent;

import java.io.ByteArrayOutputStream;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.BitSet;
import org.blora.core.federated.FedRound;
import org.blora.core.federated.Protocol;
import org.blora.core.linalg.Shape;
import org.blora.core.oracle.Iterate;
import org.blora.core.oracle.OracleRequest;
import org.blora.core.sketch.Side;
import org.blora.core.sketch.Sketch;

/** An {@link OracleRequest} on the wire ({@link WireCodec}): what a ROUND frame asks of every client. */
final class RequestCodec {
    private RequestCodec() {
    }

    /**
     * A ROUND frame: its sequence number, the data set, how tasks holding that data set's iterate of round
     * {@code tasksRound} reach {@code at} ({@link ClientIterate}), and the request.
     */
    static byte[] roundFrame(long seq, int source, int tasksRound, Iterate at, OracleRequest request) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        try {
            out.writeByte(WireCodec.ROUND);
            out.writeLong(seq);
            out.writeInt(source);
            ClientIterate.writeUpdate(out, tasksRound, at);
            writeRequest(out, request);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    static void writeRequest(DataOutput out, OracleRequest r) throws IOException {
        out.writeInt(r.round());
        out.writeBoolean(r.full());
        out.writeBoolean(r.fullCounted());
        WireCodec.writeLongs(out, r.batch());
        out.writeBoolean(r.batchAtPrevious());
        FedRound f = r.fed();
        out.writeBoolean(f != null);
        if (f != null) {
            out.writeInt(f.round());
            out.writeLong(f.seed());
            out.writeInt(f.clients());
            WireCodec.writeLongs(out, f.participants().toLongArray());
            out.writeBoolean(f.sync());
        }
        Sketch s = r.sketchFirst();
        out.writeBoolean(s != null);
        if (s != null) {
            out.writeByte(s.side.ordinal());
            out.writeInt(s.shape.m());
            out.writeInt(s.shape.n());
            out.writeInt(s.rank);
            WireCodec.writeDoubles(out, s.frozen);
        }
        out.writeBoolean(r.score());
        WireCodec.writeDoubles(out, r.gram());
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
        long[] batch = WireCodec.readLongs(in);
        boolean atPrevious = in.readBoolean();
        FedRound fed = null;
        if (in.readBoolean()) {
            int fr = in.readInt();
            long seed = in.readLong();
            int clients = in.readInt();
            BitSet participants = BitSet.valueOf(WireCodec.readLongs(in));
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
            double[] frozen = WireCodec.readDoubles(in);
            sketch = side == Side.A ? Sketch.left(shape, frozen, rank) : Sketch.right(shape, frozen, rank);
        }
        boolean score = in.readBoolean();
        double[] gram = WireCodec.readDoubles(in);
        return new OracleRequest(round, full, fullCounted, batch, atPrevious, fed, sketch, score, gram);
    }
}
