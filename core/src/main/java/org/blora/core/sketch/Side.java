package org.blora.core.sketch;

/**
 * Which factor of a chain link is trained. {@code A}: the left sketch (B_S random and frozen, A trained,
 * update H_B G; Bernoulli coin c_t = 1, probability p). {@code B}: the right sketch (A_S random and frozen,
 * B trained, update G H_A; probability 1 - p). {@code FULL}: full-parameter step (no sketch). {@code AB}: both
 * factors trained jointly (LoRA, COLA); the link is the increment B'A' - BA, stored as [B', -B] [A'; A].
 */
public enum Side {
    A, B, FULL, AB
}
