package org.blora.core.linalg;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class LanczosTest {
    @Test
    void tridiagonalLargestEigenvalue() {
        // [[2, 1, 0], [1, 2, 1], [0, 1, 2]] has eigenvalues 2 - sqrt 2, 2, 2 + sqrt 2.
        double got = Lanczos.largestEigenvalue(new double[]{2, 2, 2}, new double[]{1, 1, 0}, 3);
        assertEquals(2 + Math.sqrt(2), got, 1e-14);
    }
}
