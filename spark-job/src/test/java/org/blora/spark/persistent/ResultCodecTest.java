package org.blora.spark.persistent;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.SplittableRandom;
import org.blora.core.compress.CompressedMessage;
import org.blora.core.compress.Compressors;
import org.blora.core.oracle.OracleResult;
import org.junit.jupiter.api.Test;

/**
 * A result crosses the wire unchanged: every compressor's message arrives as a message that adds the same bits into
 * a sum (compared as raw IEEE-754 bits) and counts the same uplink bits; the vectors and scalars arrive bit for bit.
 */
class ResultCodecTest {
    private static OracleResult roundTrip(OracleResult r) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        ResultCodec.writeResult(new DataOutputStream(b), r);
        return ResultCodec.readResult(new DataInputStream(new ByteArrayInputStream(b.toByteArray())));
    }

    private static long[] bits(double[] a) {
        long[] out = new long[a.length];
        for (int i = 0; i < a.length; i++) {
            out[i] = Double.doubleToRawLongBits(a[i]);
        }
        return out;
    }

    @Test
    void everyCompressorsMessageAddsTheSameBits() throws IOException {
        int d = 37;
        SplittableRandom rng = new SplittableRandom(3);
        double[] x = new double[d];
        double[] acc0 = new double[d];
        for (int i = 0; i < d; i++) {
            x[i] = rng.nextGaussian() * Math.pow(10, rng.nextInt(-3, 4));
            acc0[i] = rng.nextGaussian();
        }
        for (String name : Compressors.NAMES.split("[ ,]+")) {
            if (name.isEmpty()) {
                continue;
            }
            CompressedMessage m = Compressors.parse(name, 0.2, 8).compress(x, new SplittableRandom(11));
            OracleResult r = OracleResult.builder().message(m).uplinkBits(m.bits()).build();
            OracleResult back = roundTrip(r);
            assertEquals(m.bits(), back.message().bits(), name);
            assertEquals(m.dimension(), back.message().dimension(), name);
            double[] want = acc0.clone();
            double[] got = acc0.clone();
            m.addTo(want, 0.7);
            back.message().addTo(got, 0.7);
            assertArrayEquals(bits(want), bits(got), name);
            assertArrayEquals(bits(m.toDense()), bits(back.message().toDense()), name);
        }
    }

    @Test
    void vectorsAndScalarsArriveBitForBit() throws IOException {
        OracleResult r = OracleResult.builder().lossSum(Math.PI)
                .gradSum(new double[] {-0.0, Double.MIN_VALUE, 1e300, Double.NaN}).batchPrevGradSum(new double[0])
                .uplinkBits(Long.MAX_VALUE).correct(17).build();
        OracleResult back = roundTrip(r);
        assertEquals(Double.doubleToRawLongBits(r.lossSum()), Double.doubleToRawLongBits(back.lossSum()));
        assertArrayEquals(bits(r.gradSum()), bits(back.gradSum()));
        assertNull(back.batchGradSum());
        assertEquals(0, back.batchPrevGradSum().length);
        assertNull(back.message());
        assertNull(back.projected());
        assertEquals(r.uplinkBits(), back.uplinkBits());
        assertEquals(r.correct(), back.correct());
    }
}
