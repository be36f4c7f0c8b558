package org.blora.core.linalg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** model.shape=auto: the squarest factorisation m x n = d with m <= n. */
class ShapeTest {
    @Test
    void squarestIsTheLargestDivisorUpToTheSquareRoot() {
        assertEquals(new Shape(64, 64), Shape.squarest(4096));
        assertEquals(new Shape(2, 5), Shape.squarest(10));
        assertEquals(new Shape(1, 7), Shape.squarest(7));
        assertEquals(new Shape(1, 1), Shape.squarest(1));
        assertEquals(new Shape(28, 28), Shape.squarest(784));
        assertEquals(new Shape(24, 25), Shape.squarest(600));
        assertEquals(new Shape(1, 2_147_483_647), Shape.squarest(Integer.MAX_VALUE));
        for (int d = 1; d <= 2000; d++) {
            Shape s = Shape.squarest(d);
            assertEquals(d, s.size());
            assertTrue(s.m() <= s.n());
            for (int m = s.m() + 1; (long) m * m <= d; m++) {
                assertNotEquals(0, d % m, "a squarer divisor " + m + " of " + d);
            }
        }
        assertThrows(IllegalArgumentException.class, () -> Shape.squarest(0));
    }
}
