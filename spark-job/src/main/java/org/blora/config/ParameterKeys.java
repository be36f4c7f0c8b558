package org.blora.config;

import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The one mapping from core's parameter names to configuration keys. A core error names its parameter ("p must be
 * in [0, 1], got 2", as a Spark ML user who called setP(2) should read it); the command line reads the key instead
 * ("lora.p must be in [0, 1], got 2").
 */
public final class ParameterKeys {
    private static final Map<String, String> KEYS = Map.of(
            "p", ChainSection.P.name(),
            "rank", ChainSection.RANK.name(),
            "alpha", ChainSection.ALPHA.name(),
            "linkSteps", ChainSection.LINK_STEPS.name(),
            "firstSide", ChainSection.FIRST_SIDE.name(),
            "gaussianFactor", ChainSection.GAUSSIAN_FACTOR.name(),
            "method", ChainSection.METHOD.name());
    /** A parameter name as a whole word, where a message names it: before " must" or "=". */
    private static final Pattern NAMED = Pattern.compile("(?<![\\w.])(" + String.join("|", KEYS.keySet()) + ")(?= must|=)");

    private ParameterKeys() {
    }

    /** The configuration key of a core parameter, or null when it has none. */
    public static String keyOf(String parameter) {
        return KEYS.get(parameter);
    }

    /** {@code message} with each core parameter it names replaced by its configuration key. */
    public static String translate(String message) {
        Matcher m = NAMED.matcher(message);
        StringBuilder sb = new StringBuilder();
        while (m.find()) {
            m.appendReplacement(sb, Matcher.quoteReplacement(KEYS.get(m.group(1))));
        }
        m.appendTail(sb);
        return sb.toString();
    }
}
