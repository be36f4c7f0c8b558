package org.blora.core.chain;

/** The fine-tuning methods (lora.method). */
public enum Method {
    /** Bernoulli-LoRA: a coin with probability p picks the left sketch (train A), else the right (train B). */
    BERNOULLI,
    /** RAC-LoRA: always the same side; Bernoulli-LoRA with p = 0 or p = 1. */
    RAC,
    /** Full-parameter fine-tuning: W_{t+1} = W_t - gamma G_t, no projection. */
    FPFT;

    public static Method parse(String s) {
        for (Method m : values()) {
            if (m.name().equalsIgnoreCase(s)) {
                return m;
            }
        }
        throw new IllegalArgumentException("lora.method must be one of bernoulli, rac, fpft; got '" + s + "'");
    }

    public String key() {
        return name().toLowerCase();
    }
}
