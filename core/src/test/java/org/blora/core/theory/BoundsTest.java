package org.blora.core.theory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The bounds' constants, names and refusals, on values worked out by hand. */
class BoundsTest {

    @Test
    void gaussianLambdasAreTheMixedSketchFractions() {
        SketchConstants c = SketchConstants.gaussian(64, 64, 4, 0.3);
        assertEquals(4.0 / 64, c.lambdaMin(), 1e-15, "square weights: r/n for every p");
        assertEquals(2 * (0.5 / 4 + 0.5 / 5), SketchConstants.gaussian(4, 5, 2, 0.5).lambdaMax(), 1e-15);
        assertEquals(1.0, SketchConstants.fullFineTuning().lambdaMin());
        assertEquals("rank must be in [1, min(m, n)] for a 4x5 weight, got 5",
                assertThrows(IllegalArgumentException.class, () -> SketchConstants.gaussian(4, 5, 5, 0.5)).getMessage());
    }

    @Test
    void valuesNamesAndMeasures() {
        SketchConstants half = new SketchConstants(0.5, 0.5);
        Bound gd = GdBounds.nonConvex(3.0, 0.25, 4.0, half);
        assertEquals(2 * 3.0 / (0.25 * 0.5 * 10), gd.at(10), 1e-15);
        assertEquals("gd", gd.name());
        assertEquals(Measure.GRAD_SQ_AVERAGE, gd.measure());
        Bound pl = GdBounds.pl(3.0, 0.25, 4.0, 1.0, half);
        assertEquals(Math.pow(1 - 0.25 * 0.5, 3) * 3.0, pl.at(3), 1e-15);
        Bound avg = SubgradientBounds.constantAverage(2.0, 3.0, 0.1, half);
        assertEquals(4.0 / (2 * 0.1 * 0.5 * 20) + 0.1 * 9.0 / 2, avg.at(20), 1e-15);
        assertEquals("subgrad-const-avg", avg.name());
        Bound polyak = SubgradientBounds.polyak(2.0, 3.0, half);
        assertEquals(3.0 * 2.0 * Math.sqrt(0.5) / (0.5 * 4), polyak.at(16), 1e-15);
        assertEquals(Measure.GAP_BEST, polyak.measure());
        // At the best constant step the two terms of the constant-step bound are equal and sum to the Polyak rate.
        double gamma = SubgradientBounds.bestConstantStep(2.0, 3.0, 16, half);
        assertEquals(polyak.at(16), SubgradientBounds.constantBest(2.0, 3.0, gamma, half).at(16), 1e-12);
        assertEquals(0.5, avg.ratio(avg.at(20) / 2, 20), 1e-15);
        assertTrue(avg.held(avg.at(20), 20));
        assertFalse(avg.held(avg.at(20) * 1.001, 20));
    }

    @Test
    void aStepTheTheoremDoesNotCoverIsRefused() {
        SketchConstants half = new SketchConstants(0.5, 0.5);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> GdBounds.nonConvex(1.0, 0.3, 4.0, half));
        assertEquals("the stepsize gamma = 0.3 exceeds 1/L = 0.25; the theorem does not cover it", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> VarianceReducedBounds.page(1, 0, 1.0, 1, 1, 0.1, 1, half));
        assertThrows(IllegalArgumentException.class, () -> FederatedBounds.ef21(1, 0, 1.0, 1, 1, 0.5, half));
        assertEquals("a bound is stated after t >= 1 rounds, got t = 0",
                assertThrows(IllegalArgumentException.class, () -> SubgradientBounds.polyak(1, 1, half).at(0))
                        .getMessage());
    }
}
