package org.blora.core.estimator;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class MinibatchTest {
    @Test
    void distinctSortedInRangeAndDeterministic() {
        long[] a = Minibatch.draw(9, 4, 1000, 100);
        assertEquals(100, a.length);
        for (int i = 1; i < a.length; i++) {
            assertTrue(a[i] > a[i - 1], "sorted and distinct");
        }
        assertTrue(a[0] >= 0 && a[99] < 1000);
        assertArrayEquals(a, Minibatch.draw(9, 4, 1000, 100));
    }

    /**
     * Each row is in the batch with probability b/N. Over 20,000 draws of 5 out of 20, each row's count is
     * Binomial(20000, 0.25): sd = 61; we allow 5 sd.
     */
    @Test
    void uniformInclusion() {
        int[] counts = new int[20];
        int draws = 20_000;
        for (int r = 0; r < draws; r++) {
            for (long i : Minibatch.draw(1, r, 20, 5)) {
                counts[(int) i]++;
            }
        }
        double sd = Math.sqrt(draws * 0.25 * 0.75);
        for (int c : counts) {
            assertEquals(draws * 0.25, c, 5 * sd);
        }
    }
}
