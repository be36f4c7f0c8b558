package org.blora.core.oracle;

/** A client's round: the result it sends to the server and the state it keeps (protocol state; null if none). */
public record ClientOutput(OracleResult result, double[] state) {
}
