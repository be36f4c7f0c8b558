package org.blora.core.train;

/**
 * One row of metrics.csv: the state at W_t (loss and squared gradient norm of the full objective, NaN where
 * not evaluated), the cumulative epochs spent by the algorithm before W_t, and the step taken from W_t
 * (stepsize and trained side, see {@code Step#sides}; NaN and empty on the final row, where no step is taken). Bits are the
 * algorithm's own messages in this round: uplink summed over clients, downlink summed over clients.
 * Classifiers add {@link Scores} on metric rounds.
 */
public record RoundRecord(int round, double epoch, long wallMs, double loss, double gradNormSq,
                          double stepSize, String side, long uplinkBits, long downlinkBits, long cumUplinkBits,
                          Scores scores) {
    public RoundRecord(int round, double epoch, long wallMs, double loss, double gradNormSq, double stepSize,
                       String side, long uplinkBits, long downlinkBits, long cumUplinkBits) {
        this(round, epoch, wallMs, loss, gradNormSq, stepSize, side, uplinkBits, downlinkBits, cumUplinkBits,
                Scores.NONE);
    }
}
