package org.blora.config;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.blora.core.chain.ChainSpec;
import org.blora.core.chain.CoinMode;
import org.blora.core.chain.Method;
import org.blora.core.optim.AdamW;
import org.blora.core.sketch.Side;
import org.blora.core.sketch.SketchSampler;

/** The lora.* keys: the fine-tuning method and its chains of low-rank links. */
public final class ChainSection {
    public static final KeyGroup KEYS = new KeyGroup("Chain", "the fine-tuning method and its chains of low-rank links");

    public static final Key<Method> METHOD = KEYS.key("lora.method", "bernoulli",
            (k, v) -> ConfigException.translated(() -> Method.parse(v)),
            "bernoulli, rac (p = 0 or 1), fpft (full-parameter baseline), lora, cola "
                    + "(both factors trained jointly), asymm (one factor frozen forever; p = 0 or 1)");
    /** -1 for auto (the method's default). */
    public static final Key<Integer> LINK_STEPS = KEYS.key("lora.link.steps", "auto",
            Key.orAuto(-1, Key.integer(0, Integer.MAX_VALUE)),
            "optimiser steps (rounds) per chain link before it merges; auto = 1 (bernoulli, rac), 10 (cola), "
                    + "never (lora, asymm, fpft)");
    /** NaN when unset. */
    public static final Key<Double> LINK_EPOCHS = KEYS.key("lora.link.epochs", "",
            Key.orBlank(Double.NaN, Key.number(Double.MIN_VALUE, Double.MAX_VALUE)),
            "merge every this many epochs instead (steps = epochs N / optim.batch); the paper's MNIST runs merge every epoch");
    public static final Key<List<String>> MODULES = KEYS.key("lora.modules", "",
            (k, v) -> v.isBlank() ? List.of() : Arrays.stream(v.split(",")).map(String::trim).toList(),
            "the adapted weight matrices, comma-separated (e.g. l1,l2,l3); empty = every weight matrix of the model");
    public static final Key<CoinMode> COIN = KEYS.key("lora.coin", "shared",
            (k, v) -> ConfigException.translated(() -> CoinMode.parse(v)),
            "shared (one coin per link: every module trains A, or every module B) or per-module");
    /** null for random (the coin). */
    public static final Key<Side> FIRST_SIDE = KEYS.key("lora.first.side", "random", ChainSection::firstSide,
            "the first link's trained side: random (the coin), A or B (the paper's deterministic first link)");
    public static final Key<Side> GAUSSIAN_FACTOR = KEYS.key("lora.gaussian.factor", "A",
            (k, v) -> side(Key.oneOf("A", "B", "a", "b").parse(k, v)),
            "lora, cola: the factor initialised N(0, 1); the other starts at zero");
    /** NaN for auto (= rank). */
    public static final Key<Double> ALPHA = KEYS.key("lora.alpha", "auto",
            Key.orAuto(Double.NaN, Key.number(Double.MIN_VALUE, Double.MAX_VALUE)),
            "LoRA scale alpha in W = W0 + (alpha / r) B A; auto = r (scale 1); the projected step does not depend on it");
    public static final Key<Integer> RANK = KEYS.key("lora.rank", "1", Key.integer(1, Integer.MAX_VALUE),
            "rank r of every chain link");
    public static final Key<Double> P = KEYS.key("lora.p", "0.5", Key.number(0, 1),
            "probability of the left sketch (B random and frozen, A trained)");
    public static final Key<SketchSampler> SKETCH = KEYS.key("lora.sketch", "gaussian",
            (k, v) -> ConfigException.translated(() -> SketchSampler.parse(v)),
            "law of the random factor: gaussian (N(0,1) entries)");

    private final Method method;
    private final int linkSteps;
    private final double linkEpochs;
    private final List<String> modules;
    private final CoinMode coin;
    private final Side firstSide;
    private final Side gaussianFactor;
    private final double alpha;
    private final int rank;
    private final double p;
    private final SketchSampler sketch;

    ChainSection(RunConfig c) {
        method = c.get(METHOD);
        modules = c.get(MODULES);
        coin = c.get(COIN);
        linkSteps = c.get(LINK_STEPS);
        linkEpochs = c.get(LINK_EPOCHS);
        firstSide = c.get(FIRST_SIDE);
        gaussianFactor = c.get(GAUSSIAN_FACTOR);
        alpha = c.get(ALPHA);
        rank = c.get(RANK);
        p = c.get(P);
        if ((method == Method.RAC || method == Method.ASYMM) && p != 0.0 && p != 1.0) {
            throw new ConfigException(P + " must be 0 (always train B) or 1 (always train A) for "
                    + METHOD.is(method.key()) + ", got " + p);
        }
        sketch = c.get(SKETCH);
    }

    private static Side firstSide(String key, String text) {
        String v = Key.oneOf("random", "A", "B", "a", "b").parse(key, text);
        return "random".equals(v) ? null : side(v);
    }

    private static Side side(String v) {
        return Side.valueOf(v.toUpperCase(Locale.ROOT));
    }

    /**
     * The chains' specification for a run on {@code rows} training rows of minibatches of {@code batch}: the link
     * length resolved (lora.link.epochs in rounds, or the method's default), alpha resolved.
     */
    public ChainSpec spec(long rows, int batch, AdamW adamw, long seed) {
        int steps;
        if (!Double.isNaN(linkEpochs)) {
            steps = (int) Math.max(1, Math.round(linkEpochs * Math.ceil((double) rows / batch)));
        } else if (linkSteps >= 0) {
            steps = linkSteps;
        } else {
            steps = method == Method.COLA ? 10 : 1;
        }
        if (Set.of(Method.LORA, Method.ASYMM).contains(method)) {
            steps = 0; // these never merge
        }
        int s = steps;
        return ConfigException.translated(() -> new ChainSpec(method, rank, p, Double.isNaN(alpha) ? rank : alpha, modules,
                coin, s, firstSide, gaussianFactor, adamw, sketch, seed));
    }

    public Method method() {
        return method;
    }

    /** Rounds per link; -1 = the method's default. */
    public int linkSteps() {
        return linkSteps;
    }

    public int rank() {
        return rank;
    }

    public double p() {
        return p;
    }

    public SketchSampler sketch() {
        return sketch;
    }
}
