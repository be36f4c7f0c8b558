package org.blora.core.train;

import org.blora.core.chain.LowRankChain;

/** Observes the round loop: metrics writers, progress lines, checkpoints. */
public interface RoundListener {
    void onRound(RoundRecord record, LowRankChain chain);

    /**
     * After round {@code state.round() - 1} took its step: the state a resumed run would start from, with the
     * chain holding exactly {@code state.round()} links. The estimator state is a live view, valid during the
     * call only (copy or serialise it there).
     */
    default void onState(TrainerState state, LowRankChain chain) {
    }

    default void onFinish(TrainResult result, LowRankChain chain) {
    }
}
