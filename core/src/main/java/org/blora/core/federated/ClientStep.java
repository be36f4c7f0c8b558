package org.blora.core.federated;

import org.blora.core.compress.CompressedMessage;

/** A client's output of one round: the message it sends (null when it does not participate) and its new state. */
public record ClientStep(CompressedMessage message, double[] state) {
}
