package org.blora.core.chain;

import java.util.Locale;

/** The fine-tuning methods (lora.method). */
public enum Method {
    /** Bernoulli-LoRA: a coin with probability p picks the left sketch (train A), else the right (train B). */
    BERNOULLI,
    /** RAC-LoRA: always the same side; Bernoulli-LoRA with p = 0 or p = 1. */
    RAC,
    /** Full-parameter fine-tuning: W_{t+1} = W_t - gamma G_t, no projection. */
    FPFT,
    /** LoRA: both factors of one W0 + B A trained jointly by gradient steps on (A, B), never merged. */
    LORA,
    /** Chain of LoRA: LoRA, merged into W every lora.link.steps rounds and re-initialised. */
    COLA,
    /** AsymmLoRA: one random factor frozen forever, the other trained (a fixed subspace). */
    ASYMM;

    public static Method parse(String s) {
        for (Method m : values()) {
            if (m.name().equalsIgnoreCase(s)) {
                return m;
            }
        }
        throw new IllegalArgumentException("lora.method must be one of bernoulli, rac, fpft, lora, cola, asymm; got '" + s + "'");
    }

    public String key() {
        return name().toLowerCase(Locale.ROOT);
    }
}
