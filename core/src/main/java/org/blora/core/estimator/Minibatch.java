package org.blora.core.estimator;

import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;
import org.blora.core.random.Purpose;
import org.blora.core.random.RandomStreams;

/**
 * A minibatch of b distinct global row indices drawn uniformly without replacement (as the paper's code),
 * from the BATCH stream of the round; returned sorted so that each client finds its rows by binary search.
 */
public final class Minibatch {
    private Minibatch() {
    }

    public static long[] draw(long seed, int round, long n, int b) {
        if (b > n) {
            throw new IllegalArgumentException("optim.batch (" + b + ") exceeds the number of rows (" + n + ")");
        }
        SplittableRandom rng = RandomStreams.of(seed, round, RandomStreams.DRIVER, Purpose.BATCH);
        // Floyd's algorithm: b draws, exactly uniform over b-subsets.
        Set<Long> chosen = new HashSet<>(2 * b);
        long[] out = new long[b];
        int k = 0;
        for (long j = n - b; j < n; j++) {
            long t = rng.nextLong(j + 1);
            long pick = chosen.add(t) ? t : j;
            if (pick == j) {
                chosen.add(j);
            }
            out[k++] = pick;
        }
        Arrays.sort(out);
        return out;
    }
}
