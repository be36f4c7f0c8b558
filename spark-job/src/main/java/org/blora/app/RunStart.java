package org.blora.app;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.blora.config.ConfigException;
import org.blora.core.chain.LowRankChain;
import org.blora.core.model.ModelLayout;
import org.blora.core.oracle.GradientOracle;
import org.blora.core.train.IterateSummary;
import org.blora.core.train.RoundRecord;
import org.blora.core.train.TrainerState;
import org.blora.io.Checkpoint;

/**
 * Where a run's round loop starts: theta0 at round 0, or a checkpoint's chain, metrics rows, trainer state, client
 * states and (convex runs) best and average iterates.
 */
record RunStart(LowRankChain chain, List<RoundRecord> records, TrainerState state, IterateSummary iterates) {

    /**
     * @param theta0        the initial parameters of a fresh run (not asked for when resuming)
     * @param trackIterates whether the run keeps its best and average iterates (convex non-smooth runs on data)
     */
    static RunStart of(Checkpoint from, ModelLayout layout, Supplier<double[]> theta0, GradientOracle oracle,
                       boolean trackIterates, PrintStream log) {
        if (from == null) {
            LowRankChain chain = new LowRankChain(layout, theta0.get());
            return new RunStart(chain, new ArrayList<>(), TrainerState.start(),
                    trackIterates ? new IterateSummary(chain.w()) : null);
        }
        if (!from.layout().equals(layout)) {
            throw new ConfigException("run.resume: the checkpoint of round " + from.round() + " holds a model ("
                    + from.layout() + ") but the data give " + layout + " (resume with the same data, or use another --out)");
        }
        LowRankChain chain = from.chain();
        oracle.restoreClientStates(from.clientStates());
        TrainerState state = from.state();
        log.printf("[train] resuming from checkpoint round-%d (%.1f s of training so far)%n", from.round(),
                state.wallMs() / 1000.0);
        // A checkpoint written before checkpoints kept the iterates has none, and the run then writes neither.
        IterateSummary iterates = !trackIterates || from.iterates() == null ? null
                : new IterateSummary(from.iterates(), chain.w());
        return new RunStart(chain, new ArrayList<>(from.rows()), state, iterates);
    }
}
