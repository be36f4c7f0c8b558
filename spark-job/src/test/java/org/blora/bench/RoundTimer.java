package org.blora.bench;

import org.blora.core.chain.LowRankChain;
import org.blora.core.train.RoundListener;
import org.blora.core.train.RoundRecord;

/** Wall time between consecutive rounds of the trainer (oracle stage plus driver step), after a warm-up. */
final class RoundTimer implements RoundListener {
    final Samples samples = new Samples();
    private final int warm;
    private long last;
    Runnable atWarm = () -> { };
    /** Runs between measured rounds, outside the timed interval (e.g. a floor pass, interleaved). */
    Runnable between = () -> { };

    RoundTimer(int warm) {
        this.warm = warm;
    }

    @Override
    public void onRound(RoundRecord record, LowRankChain chain) {
        long now = System.nanoTime();
        if (record.round() > warm) {
            samples.addNanos(now - last);
            between.run();
            now = System.nanoTime();
        } else if (record.round() == warm) {
            atWarm.run();
            now = System.nanoTime();
        }
        last = now;
    }
}
