package org.blora.core.train;

/** Why a run ended; {@code converged} in summary.json is true only for CONVERGED. */
public enum StopReason {
    CONVERGED("converged: ||grad f||^2 <= optim.tol"),
    ROUND_BUDGET("round budget optim.rounds reached"),
    EPOCH_BUDGET("epoch budget optim.epochs reached"),
    EARLY_STOPPED("early stopping: the validation loss did not improve for optim.early.stop.patience evaluations"),
    DIVERGED("diverged: the loss or ||grad f||^2 is not finite or exceeds run.diverge.factor times its start "
            + "(lower optim.step.c or optim.step.size, or raise run.diverge.factor)");

    public final String text;

    StopReason(String text) {
        this.text = text;
    }
}
