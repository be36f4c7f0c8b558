package org.blora.core.chain;

import java.util.Locale;

/** lora.coin: how the Bernoulli coin of a link is drawn for a model with several adapted modules. */
public enum CoinMode {
    /** One coin per link for the whole model: every module trains its A, or every module its B (the paper's code). */
    SHARED,
    /** One coin per module and link, from the module's own stream. */
    PER_MODULE;

    public static CoinMode parse(String s) {
        return switch (s.trim().toLowerCase(Locale.ROOT)) {
            case "shared" -> SHARED;
            case "per-module" -> PER_MODULE;
            default -> throw new IllegalArgumentException("lora.coin must be shared or per-module, got '" + s + "'");
        };
    }
}
