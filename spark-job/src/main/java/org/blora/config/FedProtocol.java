package org.blora.config;

/** The federated protocol between clients and server (fed.protocol); core's Protocols builds the protocol itself. */
public enum FedProtocol implements Choice {
    /** Every client sends its exact gradient (or minibatch gradient). */
    NONE,
    /** QGD: each client sends its compressed gradient Q(g). */
    QGD,
    /** MARINA: a full synchronisation with probability q, else compressed gradient differences. */
    MARINA,
    /** EF21: each client sends C(g - g_l) and keeps g_l (error feedback). */
    EF21
}
