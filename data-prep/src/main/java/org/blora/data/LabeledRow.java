package org.blora.data;

import java.io.Serializable;

/** One example before it is packed into a client block: its label, dense features, and where it came from. */
public record LabeledRow(double label, double[] features, String origin) implements Serializable {
}
