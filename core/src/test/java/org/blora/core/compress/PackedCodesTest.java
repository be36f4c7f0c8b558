package org.blora.core.compress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class PackedCodesTest {

    @Test
    void everyWidthRoundTripsAcrossWordBoundaries() {
        SplittableRandom r = new SplittableRandom(90);
        for (int width = 1; width <= 32; width++) {
            int n = 257;
            int[] codes = new int[n];
            PackedCodes p = new PackedCodes(n, width);
            long mask = (1L << width) - 1;
            for (int i = 0; i < n; i++) {
                codes[i] = (int) (r.nextLong() & mask);
                p.set(i, codes[i]);
            }
            for (int i = 0; i < n; i++) {
                assertEquals(codes[i], p.get(i), "width " + width + ", code " + i);
            }
            assertEquals((long) n * width, p.bits());
        }
    }

    @Test
    void rejectsWidthsOutsideOneToThirtyTwo() {
        assertThrows(IllegalArgumentException.class, () -> new PackedCodes(3, 0));
        assertThrows(IllegalArgumentException.class, () -> new PackedCodes(3, 33));
    }

    @Test
    void wireFormatIndexBitsIsCeilLog2() {
        for (int d = 1; d <= 5000; d++) {
            assertEquals(Vectors.ceilLog2(d), WireFormat.indexBits(d), "d = " + d);
        }
        assertEquals(31, WireFormat.indexBits(Integer.MAX_VALUE));
        assertEquals(64, WireFormat.FLOAT_BITS);
        assertThrows(IllegalArgumentException.class, () -> WireFormat.indexBits(0));
    }
}
