package org.blora.core.train;

/** Why a run ended; {@code converged} in summary.json is true only for CONVERGED. */
public enum StopReason {
    CONVERGED("converged: ||grad f||^2 <= optim.tol"),
    ROUND_BUDGET("round budget optim.rounds reached"),
    EPOCH_BUDGET("epoch budget optim.epochs reached"),
    DIVERGED("diverged: loss or gradient is not finite (lower optim.step.c or optim.step.size)");

    public final String text;

    StopReason(String text) {
        this.text = text;
    }
}
