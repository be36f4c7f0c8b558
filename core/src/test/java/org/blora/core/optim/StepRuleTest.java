package org.blora.core.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class StepRuleTest {

    @Test
    void polyakWithoutFStarCannotBeBuilt() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> StepRule.polyak(Double.NaN, 0.25, 0.25));
        assertEquals("optim.step.rule=polyak needs optim.polyak.fstar=F, the optimal value of the objective "
                + "(set it; a wrong f* makes the step overshoot or stall)",
                e.getMessage());
        assertEquals(StepRule.POLYAK_NEEDS_FSTAR, assertThrows(IllegalArgumentException.class,
                () -> StepRule.polyak(Double.NaN)).getMessage());
        assertThrows(IllegalArgumentException.class, () -> StepRule.polyak(Double.NEGATIVE_INFINITY));
    }

    @Test
    void polyakUsesTheUnprojectedGradientAndTheLambdaRatio() {
        double[] g = {3.0, 4.0}; // ||g||^2 = 25
        assertEquals((2.5 - 0.5) / 25.0, StepRule.polyak(0.5).gamma(2.5, g), 1e-15);
        assertEquals(0.5 * (2.5 - 0.5) / 25.0, StepRule.polyak(0.5, 0.1, 0.2).gamma(2.5, g), 1e-15);
        assertEquals(0.0, StepRule.polyak(3.0).gamma(2.5, g), "f below f* gives no step");
        assertEquals(0.0, StepRule.polyak(0.0).gamma(2.5, new double[2]), "a zero subgradient gives no step");
        assertTrue(StepRule.polyak(0.0).needsFullGradient());
    }

    @Test
    void polyakRejectsInconsistentLambdas() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> StepRule.polyak(0, 0.3, 0.2));
        assertEquals("lambda_min^p must be <= lambda_max^p, got 0.3 > 0.2", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> StepRule.polyak(0, 0.0, 0.2));
    }

    @Test
    void subgradientConstantIsTheTheoremsStep() {
        StepRule rule = StepRule.subgradientConstant(2.0, 4.0, 0.25, 100);
        assertEquals(2.0 / (4.0 * Math.sqrt(0.25 * 100)), rule.gamma(7.0, null), 1e-15);
        assertTrue(rule.describe().startsWith("constant 0.1 = R / (L0 sqrt(lambda_max T))"), rule.describe());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> StepRule.subgradientConstant(2.0, 0.0, 0.25, 100));
        assertEquals("the Lipschitz constant L0 must be positive and finite, got 0.0", e.getMessage());
        assertEquals("stepsize must be positive and finite, got -1.0",
                assertThrows(IllegalArgumentException.class, () -> StepRule.constant(-1.0)).getMessage());
    }
}
