package org.blora.core.oracle;

import org.blora.core.chain.Step;

/**
 * The point W_t at which a round evaluates gradients, as the driver knows it: the merged W_t, the previous
 * W_{t-1} (needed by PAGE and MVR, which evaluate one minibatch at both points) and the step that moved
 * W_{t-1} to W_t (all a remote client needs to advance its own copy).
 */
public record Iterate(int round, double[] w, double[] wPrev, Step lastStep) {
}
