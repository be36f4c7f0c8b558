package org.blora.io;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The rank_pattern / alpha_pattern keys of a PEFT export, chosen so that as many PEFT versions as possible give
 * every module its rank. PEFT takes a module's value from the first key k (in order) that matches its path p
 * (peft.utils.other.get_pattern_key), else from the entry of p itself:
 * <ul>
 * <li>before 0.15: {@code re.match(rf".*\.{k}$", p)}, which needs a dot before k, so a key never matches a
 * top-level module by the regex (only by the p fallback);</li>
 * <li>from 0.15: {@code re.match(rf"(.*\.)?({k})$", p)}, where a leading ^ pins k to the start of the path.</li>
 * </ul>
 * The module's own path as key gives that module its value under both rules (by the fallback, or by the regex),
 * but also any module whose path ends in "." + the key, or matches it with a dot read as any character. When
 * that leaves every exported module with its own rank under both rules, the keys are the plain paths (read by
 * every PEFT with rank_pattern, 0.6 on); otherwise every key is the path with its dots escaped and a leading ^,
 * which matches its module alone, from PEFT 0.15 on.
 */
final class PeftPatternKeys {
    /** PEFT's matching rule of a pattern key. */
    enum Rule {
        /** PEFT 0.6 to 0.14. */
        BEFORE_0_15,
        /** PEFT 0.15 and later. */
        FROM_0_15;

        boolean matches(String key, String path) {
            String regex = this == BEFORE_0_15 ? ".*\\." + key + "$" : "(.*\\.)?(" + key + ")$";
            // Python's re.match anchors at the start only, as lookingAt does.
            return Pattern.compile(regex).matcher(path).lookingAt();
        }
    }

    private PeftPatternKeys() {
    }

    /**
     * The pattern of {@code ranks} (module path to rank, in export order) for default rank {@code r}: an entry per
     * module whose rank is not r, in the plain form if both rules resolve every module right, else the ^ form.
     */
    static Map<String, Integer> of(Map<String, Integer> ranks, int r) {
        Map<String, Integer> plain = new LinkedHashMap<>();
        Map<String, Integer> anchored = new LinkedHashMap<>();
        ranks.forEach((module, rank) -> {
            if (rank != r) {
                plain.put(module, rank);
                anchored.put("^" + module.replace(".", "\\."), rank);
            }
        });
        for (String module : ranks.keySet()) {
            for (Rule rule : Rule.values()) {
                if (resolve(rule, plain, r, module) != ranks.get(module)) {
                    return anchored;
                }
            }
        }
        return plain;
    }

    /** The value PEFT under {@code rule} gives the module at {@code path}. */
    static int resolve(Rule rule, Map<String, Integer> pattern, int fallback, String path) {
        for (Map.Entry<String, Integer> e : pattern.entrySet()) {
            if (rule.matches(e.getKey(), path)) {
                return e.getValue();
            }
        }
        return pattern.getOrDefault(path, fallback);
    }
}
