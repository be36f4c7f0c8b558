package org.blora.config;

/**
 * pretrain and the pretrain.* keys: W0 trained first, on the paper's pre-training set (linear) or on other classes
 * (mlp). The pre-training run is configured from these keys' text as written, which also keys its cached result.
 */
public final class PretrainSection {
    public static final KeyGroup KEYS = new KeyGroup("Pre-training", "W0 trained first, then fine-tuned from");

    public static final Key<Boolean> ENABLED = KEYS.key("pretrain", "false", Key.bool(),
            "true: first pre-train W0 with GD on the pre-training set (cached in data.cache.dir), then fine-tune from it");
    public static final Key<DataPresets.Preset> PRESET = KEYS.key("pretrain.preset", "paper-pretrain",
            Key.choice(DataPresets.Preset.class), "data preset of the pre-training set");
    /** -1 for auto (the preset's). */
    public static final Key<Long> ROWS = KEYS.key("pretrain.rows", "auto", Key.orAuto(-1L, Key.atLeast(1)),
            "rows of the pre-training set (auto = the preset's; smaller for reduced-size runs)");
    public static final Key<Double> TOL = KEYS.key("pretrain.tol", "1e-8", Key.number(0, Double.MAX_VALUE),
            "pre-training stops when ||grad f||^2 <= tol");
    public static final Key<Integer> ROUNDS = KEYS.key("pretrain.rounds", "10000", Key.integer(0, Integer.MAX_VALUE - 1),
            "pre-training GD round budget");
    public static final Key<Long> SEED = KEYS.key("pretrain.seed", "42", Key.atLeast(0),
            "seed of the pre-training start x ~ N(0, I)");
    public static final Key<String> CLASSES = KEYS.key("pretrain.classes", "0-4", Key.text(),
            "mlp: the classes of the pre-training run (full-parameter AdamW from PyTorch's init)");
    public static final Key<Double> EPOCHS = KEYS.key("pretrain.epochs", "50", Key.number(0, Double.POSITIVE_INFINITY),
            "mlp: pre-training epoch budget");
    public static final Key<Double> LR = KEYS.key("pretrain.lr", "2e-4", Key.number(Double.MIN_VALUE, Double.MAX_VALUE),
            "mlp: pre-training AdamW learning rate");
    public static final Key<Integer> EARLY_STOP_PATIENCE = KEYS.key("pretrain.early.stop.patience", "10",
            Key.integer(0, Integer.MAX_VALUE), "mlp: pre-training stops after this many epochs without a better validation loss");

    private final boolean enabled;
    private final long rows;

    /** Every pretrain.* value is checked here, so a bad one fails before Spark starts, not after the data load. */
    PretrainSection(RunConfig c) {
        enabled = c.get(ENABLED);
        c.get(PRESET);
        rows = c.get(ROWS);
        c.get(TOL);
        c.get(ROUNDS);
        c.get(SEED);
        c.get(EPOCHS);
        c.get(LR);
        c.get(EARLY_STOP_PATIENCE);
    }

    /** pretrain=true: W0 is pre-trained first. */
    public boolean enabled() {
        return enabled;
    }

    /** pretrain.rows, or -1 for the preset's. */
    public long rows() {
        return rows;
    }
}
