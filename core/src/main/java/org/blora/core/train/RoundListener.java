package org.blora.core.train;

import org.blora.core.chain.LowRankChain;

/** Observes the round loop: metrics writers, progress lines, checkpoints. */
public interface RoundListener {
    void onRound(RoundRecord record, LowRankChain chain);

    default void onFinish(TrainResult result, LowRankChain chain) {
    }
}
