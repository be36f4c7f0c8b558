package org.blora.core.train;

import java.io.Serializable;
import org.blora.core.optim.EarlyStopping;
import org.blora.core.optim.ReduceLrOnPlateau;

/**
 * What the round loop carries from one round to the next besides the chain, so that a run can stop after
 * round {@code round - 1} and go on at {@code round} exactly as if it had not stopped: the cumulative epochs,
 * uplink bits and trained parameters, the wall time spent so far, the last evaluated loss and squared gradient
 * norm, the estimator's state (G^{t-1} for PAGE and MVR, null for stateless estimators), the chain method's
 * state beyond the chain (AdamW moments of the open link), and the validation schedules (early stopping, the
 * plateau learning-rate factor) with their counters, and the start values divergence is judged against.
 *
 * <p>No random-number position is part of the state: every draw comes from the stream of (seed, round, client,
 * purpose), so the round number alone fixes all draws of the rounds still to come. The chain (W0 and the links
 * of rounds 0..round-1) is passed to {@link Trainer#run} beside this state.
 */
public record TrainerState(int round, double epochs, long cumUplinkBits, long trainedParams, long wallMs,
                           double loss, double gradNormSq, double[] estimatorState, Serializable methodState,
                           EarlyStopping earlyStopping, ReduceLrOnPlateau plateau, Divergence divergence)
        implements Serializable {
    /** A state without divergence start values (a resumed run then takes them from its first metric round). */
    public TrainerState(int round, double epochs, long cumUplinkBits, long trainedParams, long wallMs, double loss,
                        double gradNormSq, double[] estimatorState, Serializable methodState,
                        EarlyStopping earlyStopping, ReduceLrOnPlateau plateau) {
        this(round, epochs, cumUplinkBits, trainedParams, wallMs, loss, gradNormSq, estimatorState, methodState,
                earlyStopping, plateau, null);
    }

    public TrainerState(int round, double epochs, long cumUplinkBits, long trainedParams, long wallMs, double loss,
                        double gradNormSq, double[] estimatorState) {
        this(round, epochs, cumUplinkBits, trainedParams, wallMs, loss, gradNormSq, estimatorState, null, null, null);
    }

    /** The state before round 0. */
    public static TrainerState start() {
        return new TrainerState(0, 0.0, 0L, 0L, 0L, Double.NaN, Double.NaN, null);
    }
}
