package org.blora.spark.persistent;

/** A task, its connection or the stage was lost during a round: the round is asked again after a relaunch. */
final class LostTask extends Exception {
    private static final long serialVersionUID = 1L;

    LostTask(String message) {
        super(message);
    }
}
