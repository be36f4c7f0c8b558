package org.blora.spark.persistent;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import org.blora.core.compress.CompressedMessage;
import org.blora.core.oracle.OracleResult;

/**
 * A client's {@link OracleResult} on the wire ({@link WireCodec}): its sums, its message as the entries it adds
 * ({@link DecodedMessage} on the driver), its uplink bits and its score.
 */
final class ResultCodec {
    private static final byte NO_MESSAGE = 0;
    private static final byte DENSE_MESSAGE = 1;
    private static final byte SPARSE_MESSAGE = 2;

    private ResultCodec() {
    }

    static void writeResult(DataOutput out, OracleResult r) throws IOException {
        out.writeDouble(r.lossSum());
        WireCodec.writeDoubles(out, r.gradSum());
        WireCodec.writeDoubles(out, r.batchGradSum());
        WireCodec.writeDoubles(out, r.batchPrevGradSum());
        writeMessage(out, r.message());
        WireCodec.writeDoubles(out, r.projected());
        out.writeLong(r.uplinkBits());
        out.writeDouble(r.correct());
    }

    static OracleResult readResult(DataInput in) throws IOException {
        // Fields in the order writeResult wrote them.
        return OracleResult.builder().lossSum(in.readDouble()).gradSum(WireCodec.readDoubles(in))
                .batchGradSum(WireCodec.readDoubles(in))
                .batchPrevGradSum(WireCodec.readDoubles(in)).message(readMessage(in)).projected(WireCodec.readDoubles(in))
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
            WireCodec.writeInts(out, index);
        }
        WireCodec.writeDoubles(out, values);
    }

    private static CompressedMessage readMessage(DataInput in) throws IOException {
        byte kind = in.readByte();
        if (kind == NO_MESSAGE) {
            return null;
        }
        int d = in.readInt();
        long bits = in.readLong();
        int[] index = kind == SPARSE_MESSAGE ? WireCodec.readInts(in) : null;
        double[] values = WireCodec.readDoubles(in);
        return new DecodedMessage(d, bits, index, values);
    }
}
