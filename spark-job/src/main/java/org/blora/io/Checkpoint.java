package org.blora.io;

import java.util.List;
import java.util.Map;
import org.blora.core.chain.LowRankChain;
import org.blora.core.model.ModelLayout;
import org.blora.core.sketch.Link;
import org.blora.core.train.IterateSummary;
import org.blora.core.train.RoundRecord;
import org.blora.core.train.TrainerState;

/**
 * Everything a run needs to go on after round {@code state.round() - 1}: the configuration it was written by
 * (minus the keys that do not change the numbers, see {@link Checkpoints#FREE_KEYS}), the trainer state (with the
 * method's optimiser moments and the validation schedules), the chain (the model's layout, theta0, the links,
 * theta and theta_prev after that many rounds), and the metrics rows so far. No random-number position is
 * stored: every draw comes from the stream of (seed, round, client, purpose), so the round fixes all later draws.
 * {@code clientStates} are the federated clients' protocol states (MARINA, EF21), gathered from the executors;
 * {@code iterates} is the best and average iterate of a convex non-smooth run so far (null: the run keeps none, or
 * the checkpoint was written before checkpoints kept them).
 */
public record Checkpoint(Map<String, String> config, TrainerState state, ModelLayout layout, double[] w0,
                         List<Link[]> links, double[] w, double[] wPrev, List<RoundRecord> rows,
                         List<double[]> clientStates, IterateSummary.State iterates) {
    /** The chain as it was after {@code round()} rounds. */
    public LowRankChain chain() {
        return LowRankChain.restore(layout, w0, links, w, wPrev, state.round());
    }

    public int round() {
        return state.round();
    }
}
