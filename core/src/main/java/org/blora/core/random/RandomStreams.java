package org.blora.core.random;

import java.util.SplittableRandom;

/**
 * One independent random stream per (seed, round, client, purpose).
 *
 * <p>Every random draw of the project comes from here. The stream's seed is a SplitMix64-style hash of the four
 * coordinates, so the draw does not depend on which executor runs a task, on how often it is retried, or on
 * whether the run was resumed from a checkpoint. Use {@link #DRIVER} as the client for draws the server makes.
 */
public final class RandomStreams {
    /** Client index used for draws made by the driver (the server) rather than by a client. */
    public static final int DRIVER = -1;

    private RandomStreams() {
    }

    public static SplittableRandom of(long seed, long round, int client, Purpose purpose) {
        return new SplittableRandom(mix(seed, round, client, purpose.ordinal()));
    }

    /**
     * The stream of one item (a module of the model, a data row) inside a (seed, round, client, purpose)
     * coordinate, for draws that must not depend on how items are grouped (a row's dropout mask, a module's
     * sketch). Item 0 is the coordinate's own stream ({@link #of(long, long, int, Purpose)}), so a one-module model
     * draws exactly what the one-matrix linear regression always drew.
     */
    public static SplittableRandom of(long seed, long round, int client, Purpose purpose, long item) {
        return new SplittableRandom(mix(seed, round, client, purpose.ordinal()) ^ fmix(item * 0x9E3779B97F4A7C15L));
    }

    static long mix(long seed, long round, int client, int purpose) {
        long h = fmix(seed ^ 0x9E3779B97F4A7C15L);
        h = fmix(h ^ (round * 0xBF58476D1CE4E5B9L + 0x632BE59BD9B4E019L));
        h = fmix(h ^ ((client + 2L) * 0x94D049BB133111EBL));
        h = fmix(h ^ ((purpose + 1L) * 0xD6E8FEB86659FD93L));
        return h;
    }

    /** SplitMix64 finaliser: a bijection on 64-bit values with full avalanche. */
    private static long fmix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
