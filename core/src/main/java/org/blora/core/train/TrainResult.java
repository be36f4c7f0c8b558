package org.blora.core.train;

/** The final figures of a run (summary.json). */
public record TrainResult(double loss, double gradNormSq, int rounds, double epochs, long wallMs,
                          StopReason stopReason, long trainableParams, long totalUplinkBits) {
    public boolean converged() {
        return stopReason == StopReason.CONVERGED;
    }
}
