package org.blora.spark;

import java.io.Serializable;

/** One client's protocol state (MARINA's last gradient, EF21's g_l), kept in the client-state RDD; null values at first. */
record ClientState(double[] values) implements Serializable {
}
