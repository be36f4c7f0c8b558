package org.blora.app;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class ProgressTest {
    @Test
    void etaFollowsTheRoundsBudgetWithoutAnEpochsBudget() {
        // 100 s for 100 of 1,000 rounds: 900 s left.
        assertEquals(900, Progress.etaSeconds(100, 99, 1000, 0.5, 0));
        assertEquals(900, Progress.etaSeconds(100, 99, 1000, 0.5, Double.POSITIVE_INFINITY));
    }

    @Test
    void etaFollowsTheEpochsBudgetWhenItEndsTheRunFirst() {
        // A rounds budget of 10^6 never binds; 10 of 50 epochs took 100 s: 400 s left, not days.
        assertEquals(400, Progress.etaSeconds(100, 2109, 1_000_000, 10, 50));
    }

    @Test
    void etaIsZeroOnceABudgetIsSpent() {
        assertEquals(0, Progress.etaSeconds(100, 999, 1000, 1, 50));
        assertEquals(0, Progress.etaSeconds(100, 10, 1000, 50, 50));
    }
}
