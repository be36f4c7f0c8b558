package org.blora.core.train;

import org.blora.core.sketch.Side;

/**
 * One row of metrics.csv: the state at W_t (loss and squared gradient norm of the full objective, NaN where
 * not evaluated), the cumulative epochs spent by the algorithm before W_t, and the step taken from W_t
 * (stepsize and trained side; NaN and null on the final row, where no step is taken). Bits are the
 * algorithm's own messages in this round: uplink summed over clients, downlink summed over clients.
 */
public record RoundRecord(int round, double epoch, long wallMs, double loss, double gradNormSq,
                          double stepSize, Side side, long uplinkBits, long downlinkBits, long cumUplinkBits) {
}
