package org.blora.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The exported rank_pattern / alpha_pattern keys under PEFT's two matching rules, replicated here from PEFT's
 * source (peft/utils/other.py and peft/tuners/lora/model.py):
 * <pre>
 *   # 0.14 (0.6 to 0.13 the same regex, over rank_pattern's and alpha_pattern's keys in turn)
 *   def get_pattern_key(pattern_keys, key_to_match):
 *       return next(filter(lambda key: re.match(rf".*\.{key}$", key_to_match), pattern_keys), key_to_match)
 *   # 0.15 and later
 *   def get_pattern_key(pattern_keys, key_to_match):
 *       for key in pattern_keys:
 *           match = re.match(rf"(.*\.)?({key})$", key_to_match)
 *           if not match:
 *               continue
 *           return key
 *       return key_to_match
 *   # both: r = lora_config.rank_pattern.get(get_pattern_key(lora_config.rank_pattern.keys(), current_key), lora_config.r)
 * </pre>
 * with current_key the module's path in model.named_modules().
 */
class PeftPatternKeysTest {
    /** Python's re.match(regex, s): anchored at the start only. */
    private static boolean reMatch(String regex, String s) {
        return Pattern.compile(regex).matcher(s).lookingAt();
    }

    private static String getPatternKey014(List<String> keys, String keyToMatch) {
        return keys.stream().filter(k -> reMatch(".*\\." + k + "$", keyToMatch)).findFirst().orElse(keyToMatch);
    }

    private static String getPatternKey015(List<String> keys, String keyToMatch) {
        for (String k : keys) {
            if (reMatch("(.*\\.)?(" + k + ")$", keyToMatch)) {
                return k;
            }
        }
        return keyToMatch;
    }

    /** The rank PEFT builds for {@code module}: rank_pattern.get(get_pattern_key(...), r). */
    private static int peftRank(boolean v015, JsonNode config, String module) {
        List<String> keys = new ArrayList<>();
        config.get("rank_pattern").fieldNames().forEachRemaining(keys::add);
        String key = v015 ? getPatternKey015(keys, module) : getPatternKey014(keys, module);
        JsonNode v = config.get("rank_pattern").get(key);
        return v == null ? config.get("r").asInt() : v.asInt();
    }

    private static PeftAdapter.ModuleReport module(String name, int rank) {
        return new PeftAdapter.ModuleReport(name, 8, 8, 1, rank, rank, false, 0.0);
    }

    /** The config of an export of these modules (name to rank, in order). */
    private static JsonNode config(Map<String, Integer> ranks) {
        List<PeftAdapter.ModuleReport> modules = new ArrayList<>();
        ranks.forEach((n, r) -> modules.add(module(n, r)));
        return PeftAdapter.config(new PeftAdapter.Report(modules));
    }

    private static Map<String, Integer> ranks(Object... nameRank) {
        Map<String, Integer> m = new LinkedHashMap<>();
        for (int i = 0; i < nameRank.length; i += 2) {
            m.put((String) nameRank[i], (Integer) nameRank[i + 1]);
        }
        return m;
    }

    /** Every module gets its rank, and the same alpha, under the given rule(s). */
    private static void assertResolved(Map<String, Integer> ranks, JsonNode c, boolean... v015) {
        assertEquals(c.get("rank_pattern"), c.get("alpha_pattern"), "alpha_pattern has the keys and values of rank_pattern");
        assertEquals(c.get("r"), c.get("lora_alpha"));
        for (boolean v : v015) {
            ranks.forEach((module, rank) -> assertEquals(rank, peftRank(v, c, module),
                    module + " under PEFT " + (v ? ">= 0.15" : "< 0.15") + ": " + c.get("rank_pattern")));
        }
    }

    /** The MLP exported at export.rank = 8: l3 (5 outputs) has rank 5, so a top-level key that PEFT 0.14 must find. */
    @Test
    void topLevelModulesLoadInEveryVersion() {
        Map<String, Integer> mlp = ranks("l1", 8, "l2", 8, "l3", 5);
        JsonNode c = config(mlp);
        assertEquals(1, c.get("rank_pattern").size());
        assertTrue(c.get("rank_pattern").has("l3"), c.toString());
        assertResolved(mlp, c, false, true);
        // Why not "^l3": PEFT 0.14 never matches it, and l3 would be built with rank 8 (a size mismatch on load).
        JsonNode anchored = c.deepCopy();
        ((ObjectNode) anchored).set("rank_pattern",
                new ObjectMapper().createObjectNode().put("^l3", 5));
        assertEquals(5, peftRank(true, anchored, "l3"));
        assertNotEquals(5, peftRank(false, anchored, "l3"));
    }

    @Test
    void nestedUnambiguousPathsArePlain() {
        Map<String, Integer> ranks = ranks("layers.0.q", 5, "layers.0.v", 2, "layers.1.q", 5, "head", 3, "layers.1.v", 2);
        JsonNode c = config(ranks);
        assertTrue(c.get("rank_pattern").has("layers.0.v") && c.get("rank_pattern").has("head"), c.toString());
        assertResolved(ranks, c, false, true);
    }

    /**
     * Paths that a plain key would also catch (a suffix, a dot read as any character, a default-rank module ending
     * in another's path) take the ^ form, right from PEFT 0.15 on.
     */
    @Test
    void ambiguousPathsAreAnchoredAndNeedPeft015() {
        List<Map<String, Integer>> cases = List.of(
                ranks("blk.q", 1, "blkxq", 2, "a.blk.q", 2, "q", 2),
                ranks("l3", 3, "block.l3", 5, "x", 5),
                ranks("a.b", 1, "axb", 2, "c", 2));
        for (Map<String, Integer> ranks : cases) {
            JsonNode c = config(ranks);
            c.get("rank_pattern").fieldNames().forEachRemaining(k -> assertTrue(k.startsWith("^"), c.toString()));
            assertResolved(ranks, c, true);
            // The plain keys would mis-rank a module under PEFT 0.15's rule (in the first two cases also under 0.14's).
            Map<String, Integer> plain = new LinkedHashMap<>();
            int r = c.get("r").asInt();
            ranks.forEach((n, k) -> {
                if (k != r) {
                    plain.put(n, k);
                }
            });
            JsonNode p = c.deepCopy();
            ((ObjectNode) p).set("rank_pattern", new ObjectMapper().valueToTree(plain));
            assertTrue(ranks.entrySet().stream().anyMatch(e -> peftRank(true, p, e.getKey()) != e.getValue()),
                    "plain keys " + plain + " would be right for " + ranks);
        }
    }

    @Test
    void sameRankEverywhereHasNoPattern() {
        JsonNode c = config(ranks("l1", 4, "l2", 4));
        assertEquals(0, c.get("rank_pattern").size());
        assertEquals(4, c.get("r").asInt());
    }
}
