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

    /**
     * The stochastic and federated bounds (docs/THEORY.md) at values worked out by hand, with lambda_min^p =
     * lambda_max^p = 1/2, Delta_0 = 3, gamma = 1/4, L = 2.
     */
    @Test
    void stochasticAndFederatedBoundsByHand() {
        SketchConstants half = new SketchConstants(0.5, 0.5);
        // sgd: A = 1/2, B = 1, C = 2/5. Step condition lambda_min/(L B lambda_max) = 0.5/(2*1*0.5) = 1/2 >= 1/4.
        // L gamma^2 lambda_max A = 2 * 1/16 * 1/2 * 1/2 = 1/32, so at t = 2 the growth is (33/32)^2 = 1089/1024;
        // 2 Delta_0 / (gamma lambda_min t) = 6 / (1/4 * 1/2 * 2) = 24; floor L gamma C lambda_max/lambda_min
        // = 2 * 1/4 * 2/5 * 1 = 1/5. Bound: 1089/1024 * 24 + 1/5 = 25.5234375 + 0.2 = 25.7234375.
        Bound sgd = SgdBounds.nonConvex(3.0, 0.25, 2.0, 0.5, 1.0, 0.4, half);
        assertEquals(25.7234375, sgd.at(2), 1e-12);
        assertEquals(0.5, SgdBounds.maxStep(2.0, 1.0, half), 0.0);
        // sgd-pl, mu = 1: factor 1 - gamma mu lambda_min / 2 = 1 - 1/16 = 15/16; floor L gamma C ratio / mu = 1/5.
        // At t = 2: (15/16)^2 * 3 + 1/5 = 2.63671875 + 0.2 = 2.83671875.
        assertEquals(2.83671875, SgdBounds.pl(3.0, 0.25, 2.0, 1.0, 0.5, 1.0, 0.4, half).at(2), 1e-12);
        // mvr: Ltilde = 1, b = 1/2, sigma^2 = 1/10, G_0 = 2. Step 1/(L + Ltilde (1 - b) sqrt(2 lambda_max / b))
        // = 1/(2 + 1/2 sqrt(2)). Weight gamma lambda_max / (2b) = 1/8, Phi_0 = 3 + 2/8 = 13/4;
        // 2 Phi_0 / (gamma lambda_min t) at t = 4 = (13/2) / (1/8 * 4) = 13; floor 2 b sigma^2 ratio = 1/10: 13.1.
        assertEquals(1.0 / (2.0 + 0.5 * Math.sqrt(2.0)), VarianceReducedBounds.mvrMaxStep(2.0, 1.0, 0.5, half), 1e-15);
        assertEquals(13.1, VarianceReducedBounds.mvr(3.0, 2.0, 0.25, 2.0, 1.0, 0.5, 0.1, half).at(4), 1e-12);
        // page: Ltilde = 1, q = 1/2, b' = 2, G_0 = 2. Step 1/(2 + sqrt(1/2 * 1/2 / (1/2 * 2))) = 1/(2 + 1/2) = 2/5.
        // Weight gamma lambda_max / (2q) = 1/8, Phi_0 = 13/4, at t = 4: 13 (no floor).
        assertEquals(0.4, VarianceReducedBounds.pageMaxStep(2.0, 1.0, 0.5, 2, half), 1e-15);
        Bound page = VarianceReducedBounds.page(3.0, 2.0, 0.25, 2.0, 1.0, 0.5, 2, half);
        assertEquals(13.0, page.at(4), 1e-12);
        assertEquals(Measure.GRAD_SQ_AVERAGE, page.measure());
        // qgd: L_max = 4, omega = 1, M = 2, Delta_inf = 1/2: A = omega L_max / M = 2, C = 2 omega L_max Delta_inf / M
        // = 2. Growth L gamma^2 lambda_max A = 2 * 1/16 * 1/2 * 2 = 1/8: (9/8)^2 = 81/64 at t = 2, times 24 =
        // 30.375; floor L gamma C ratio = 2 * 1/4 * 2 = 1. Bound 31.375. Step min(1/2, 1/sqrt(L A lambda_max T))
        // with T = 8: 1/sqrt(2 * 2 * 1/2 * 8) = 1/4.
        Bound qgd = FederatedBounds.qgd(3.0, 0.25, 2.0, 4.0, 1.0, 2, 0.5, half);
        assertEquals(31.375, qgd.at(2), 1e-12);
        assertEquals(Measure.GRAD_SQ_MIN, qgd.measure());
        assertEquals(0.25, FederatedBounds.qgdMaxStep(2.0, 4.0, 1.0, 2, 8, half), 1e-15);
        // marina: Ltilde = 1, omega = 1, q = 1/4, M = 2, G_0 = 2. Step 1/(2 + sqrt(1/2 * 3/4 * 1 / (1/4 * 2)))
        // = 1/(2 + sqrt(3/4)). Weight gamma lambda_max / (2q) = (1/8) / (1/2) = 1/4, Phi_0 = 3 + 1/2 = 7/2;
        // at t = 4: 7 / (1/8 * 4) = 14.
        assertEquals(1.0 / (2.0 + Math.sqrt(0.75)), FederatedBounds.marinaMaxStep(2.0, 1.0, 1.0, 0.25, 2, half), 1e-15);
        assertEquals(14.0, FederatedBounds.marina(3.0, 2.0, 0.25, 2.0, 1.0, 1.0, 0.25, 2, half).at(4), 1e-12);
        // ef21: Ltilde = 1, alpha = 15/16, G_0 = 2: sqrt(1 - alpha) = 1/4, theta = 3/4, beta/theta
        // = (1/16)/(3/4)^2 = 1/9. Step 1/(2 + sqrt(1/2 * 1/9)) = 1/(2 + sqrt(1/18)). Weight gamma lambda_max / (2 theta)
        // = (1/8)/(3/2) = 1/12, Phi_0 = 3 + 2/12 = 19/6; at t = 4: (19/3) / (1/8 * 4) = 38/3.
        assertEquals(1.0 / (2.0 + Math.sqrt(1.0 / 18)), FederatedBounds.ef21MaxStep(2.0, 1.0, 15.0 / 16, half), 1e-15);
        assertEquals(38.0 / 3, FederatedBounds.ef21(3.0, 2.0, 0.25, 2.0, 1.0, 15.0 / 16, half).at(4), 1e-12);
    }
}
