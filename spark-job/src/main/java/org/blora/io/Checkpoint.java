package org.blora.io;

import java.util.List;
import java.util.Map;
import org.blora.core.chain.LowRankChain;
import org.blora.core.linalg.Shape;
import org.blora.core.sketch.Link;
import org.blora.core.train.RoundRecord;
import org.blora.core.train.TrainerState;

/**
 * Everything a run needs to go on after round {@code state.round() - 1}: the configuration it was written by
 * (minus the keys that do not change the numbers, see {@link Checkpoints#FREE_KEYS}), the trainer state, the
 * chain as W0 plus its links in order, and the metrics rows so far. No random-number position is stored: every
 * draw comes from the stream of (seed, round, client, purpose), so the round number fixes all later draws.
 */
public record Checkpoint(Map<String, String> config, TrainerState state, Shape shape, double[] w0, List<Link> links,
                         List<RoundRecord> rows) {
    /** The chain rebuilt by appending the links to W0 in order: the same additions as the original run. */
    public LowRankChain chain() {
        LowRankChain c = new LowRankChain(shape, w0);
        for (Link l : links) {
            c.append(l);
        }
        return c;
    }

    public int round() {
        return state.round();
    }
}
