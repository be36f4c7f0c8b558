package org.blora.spark;

import java.io.Serializable;

/** The full iterate W_s (and W_{s-1}) from which an executor rebuilds W_t when its cache cannot advance. */
record Snapshot(int round, double[] w, double[] wPrev) implements Serializable {
}
