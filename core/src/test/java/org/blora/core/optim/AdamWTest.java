package org.blora.core.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import org.junit.jupiter.api.Test;

class AdamWTest {
    private static final double[] P0 = {0.5, -1.2, 2.0, 0.0, 3e-3};
    /** Tiny gradients in the last entry make eps matter: eps inside the square root would move it by ~1e-3. */
    private static final double[][] GRADS = {
        {0.1, -0.3, 2.5, 0.0, 1e-9},
        {-0.2, -0.1, 2.0, 0.0, -4e-9},
        {0.05, 0.4, -1.0, 0.0, 2e-9},
    };

    /*
     * Expected iterates after steps 1, 2, 3, computed independently with numpy from the textbook form
     * p -= lr wd p; m = b1 m + (1-b1) g; v = b2 v + (1-b2) g^2; p -= lr mhat / (sqrt(vhat) + eps):
     *
     *   def adamw(p, grads, lr, b1, b2, eps, wd):
     *       p = np.array(p); m = np.zeros_like(p); v = np.zeros_like(p); out = []
     *       for t, g in enumerate(grads, start=1):
     *           g = np.array(g); p = p - lr * wd * p
     *           m = b1 * m + (1 - b1) * g; v = b2 * v + (1 - b2) * g * g
     *           p = p - lr * (m / (1 - b1**t)) / (np.sqrt(v / (1 - b2**t)) + eps); out.append(p.copy())
     *       return out
     *
     * The implementation rounds differently (PyTorch's lerp, sqrt(v)/sqrt(1-b2^t)); 1e-13 relative allows that.
     */
    private static final double[][] DEFAULTS = {
        {0.49899500010000003, -1.1989880000333333, 1.9989800000040001, 0.0, 0.0029090609090909095},
        {0.49935611365388394, -1.1981049462415716, 1.9979718844042422, 0.0, 0.0030353529608634616},
        {0.49948781074546467, -1.1981769345697517, 1.9974134676339548, 0.0, 0.0030583745048508013},
    };
    /** lr 0.05, betas 0.8 / 0.99, eps 1e-6, weight decay 0.1. */
    private static final double[][] CUSTOM = {
        {0.447500499995, -1.144000166666111, 1.940000019999992, 0.0, 0.00293504995004995},
        {0.46631300563412903, -1.095958360903296, 1.8811922710650544, 0.0, 0.0030090046185665},
        {0.47111214441558413, -1.0993761641505257, 1.8484512950407785, 0.0, 0.003005404702999034},
    };
    /** lr 0.1, betas 0.3 / 0.5, eps 1e-8, no weight decay (beta1 &lt; 0.5 takes lerp's other branch). */
    private static final double[][] LOW_BETA = {
        {0.400000009999999, -1.1000000033333333, 1.9000000004, 0.0, -0.006090909090909092},
        {0.47549965622736057, -1.0236736504772335, 1.8029394980539526, 0.0, 0.015282028053157475},
        {0.4761015698651549, -1.099060864642694, 1.8107367367844347, 0.0, 0.010218764083827766},
    };

    @Test
    void threeStepsMatchAnIndependentComputation() {
        check(AdamW.defaults(), DEFAULTS);
        check(new AdamW(0.05, 0.8, 0.99, 1e-6, 0.1), CUSTOM);
        check(new AdamW(0.1, 0.3, 0.5, 1e-8, 0.0), LOW_BETA);
    }

    /** Adam's update is 0/(0 + eps) = 0 for a zero gradient: only the decay p (1 - lr wd) per step remains. */
    @Test
    void weightDecayAloneShrinksGeometrically() {
        AdamW adam = new AdamW(0.1, 0.9, 0.999, 1e-8, 0.2);
        double[] p = {1.5, -4.0, 0.25};
        AdamW.State s = adam.newState(3);
        for (int t = 0; t < 5; t++) {
            adam.step(s, p, new double[3], adam.lr());
        }
        double f = Math.pow(1 - 0.1 * 0.2, 5);
        assertArrayEquals(new double[] {1.5 * f, -4.0 * f, 0.25 * f}, p, 1e-15);
        assertEquals(5, s.step());
    }

    /** The learning rate of each call is the one used (a scheduler changes it between epochs). */
    @Test
    void usesTheLearningRateOfTheCall() {
        AdamW adam = AdamW.defaults();
        double[] p = {1.0};
        adam.step(adam.newState(1), p, new double[] {3.0}, 0.5);
        // First step: mhat / sqrt(vhat) = sign(g); p = 1 (1 - 0.5 * 0.01) - 0.5 * 3 / (3 + 1e-8).
        assertEquals(1.0 * (1 - 0.005) - 0.5 * 3 / (3 + 1e-8), p[0], 1e-15);
    }

    /** A slice step touches only its slice; the state's step count is per tensor. */
    @Test
    void stepsASliceOfALongerVector() {
        AdamW adam = AdamW.defaults();
        double[] theta = {9, 9, P0[0], P0[1], P0[2], P0[3], P0[4], 9};
        double[] grad = new double[10];
        AdamW.State s = adam.newState(5);
        for (double[] g : GRADS) {
            System.arraycopy(g, 0, grad, 3, 5);
            adam.step(s, theta, 2, grad, 3, adam.lr());
        }
        assertEquals(9, theta[0]);
        assertEquals(9, theta[1]);
        assertEquals(9, theta[7]);
        for (int j = 0; j < 5; j++) {
            assertEquals(DEFAULTS[2][j], theta[2 + j], 1e-13 * Math.abs(DEFAULTS[2][j]));
        }
        assertThrows(IllegalArgumentException.class, () -> adam.step(s, theta, 4, grad, 3, 1e-3));
    }

    /** Checkpoint after two steps, restore, continue: bit-identical to the uninterrupted run. */
    @Test
    void stateSurvivesACheckpoint() throws Exception {
        AdamW adam = new AdamW(0.05, 0.8, 0.99, 1e-6, 0.1);
        double[] straight = P0.clone();
        AdamW.State s = adam.newState(5);
        for (double[] g : GRADS) {
            adam.step(s, straight, g, adam.lr());
        }
        double[] resumed = P0.clone();
        AdamW.State first = adam.newState(5);
        adam.step(first, resumed, GRADS[0], adam.lr());
        adam.step(first, resumed, GRADS[1], adam.lr());
        double[] afterTwo = resumed.clone();
        AdamW.State back = roundTrip(first);
        assertEquals(2, back.step());
        adam.step(back, resumed, GRADS[2], adam.lr());
        assertArrayEquals(straight, resumed, 0.0);
        // The same through the state's parts (a checkpoint written in another format).
        double[] rebuilt = afterTwo.clone();
        adam.step(new AdamW.State(first.m().clone(), first.v().clone(), first.step()), rebuilt, GRADS[2], adam.lr());
        assertArrayEquals(straight, rebuilt, 0.0);

        // A fresh state (what a new chain link gets) forgets the moments: its first step is
        // p (1 - lr wd) - lr g / (|g| + eps), since mhat = g and sqrt(vhat) = |g| at step 1.
        double[] fresh = afterTwo.clone();
        adam.step(adam.newState(5), fresh, GRADS[2], adam.lr());
        for (int j = 0; j < 5; j++) {
            double g = GRADS[2][j];
            double expected = afterTwo[j] * (1 - 0.05 * 0.1) - 0.05 * g / (Math.abs(g) + 1e-6);
            assertEquals(expected, fresh[j], 1e-15);
        }
        assertTrue(Math.abs(fresh[2] - resumed[2]) > 1e-3, "the moments of steps 1-2 mattered");
    }

    @Test
    void rejectsBadHyperparameters() {
        assertThrows(IllegalArgumentException.class, () -> new AdamW(-1e-3, 0.9, 0.999, 1e-8, 0.01));
        assertThrows(IllegalArgumentException.class, () -> new AdamW(1e-3, 1.0, 0.999, 1e-8, 0.01));
        assertThrows(IllegalArgumentException.class, () -> new AdamW(1e-3, 0.9, -0.1, 1e-8, 0.01));
        assertThrows(IllegalArgumentException.class, () -> new AdamW(1e-3, 0.9, 0.999, Double.NaN, 0.01));
        assertThrows(IllegalArgumentException.class, () -> new AdamW(1e-3, 0.9, 0.999, 1e-8, -0.01));
        AdamW adam = AdamW.defaults();
        assertThrows(IllegalArgumentException.class, () -> adam.step(adam.newState(2), new double[3], new double[3], 1e-3));
        assertThrows(IllegalArgumentException.class, () -> new AdamW.State(new double[2], new double[3], 0));
    }

    private static void check(AdamW adam, double[][] expected) {
        double[] p = P0.clone();
        AdamW.State s = adam.newState(p.length);
        for (int t = 0; t < GRADS.length; t++) {
            adam.step(s, p, GRADS[t], adam.lr());
            for (int j = 0; j < p.length; j++) {
                assertEquals(expected[t][j], p[j], 1e-13 * Math.abs(expected[t][j]), "step " + (t + 1) + " entry " + j);
            }
        }
    }

    @SuppressWarnings("unchecked")
    static <T> T roundTrip(T o) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(o);
        }
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            return (T) in.readObject();
        }
    }
}
