package org.blora.config;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Every configuration key, section by section: the public contract. The keys are defined in their sections
 * ({@link DataSection}, {@link ModelSection}, ...); this is the list of sections, and the one place that knows them
 * all: unknown keys are rejected against it, {@code train --help} and docs/CONFIG.md's key table are made from it
 * ({@link ConfigDocs}).
 */
public final class ConfigKeys {
    /** The sections in the order --help and docs/CONFIG.md show them. */
    public static final List<KeyGroup> SECTIONS = List.of(DataSection.KEYS, ModelSection.KEYS, ChainSection.KEYS,
            OptimSection.KEYS, FederatedSection.KEYS, RunSection.KEYS, ExportSection.KEYS, PretrainSection.KEYS);

    /** The sections --help and docs/CONFIG.md document: the train job's, then the sweep job's own keys. */
    public static final List<KeyGroup> DOCUMENTED = Stream.concat(SECTIONS.stream(), Stream.of(SweepKeys.KEYS)).toList();

    private static final Map<String, Key<?>> KEYS = byName(SECTIONS);

    private ConfigKeys() {
    }

    static Map<String, Key<?>> byName(List<KeyGroup> sections) {
        Map<String, Key<?>> m = new LinkedHashMap<>();
        for (KeyGroup g : sections) {
            for (Key<?> k : g.keys()) {
                if (m.put(k.name(), k) != null) {
                    throw new IllegalStateException("key defined twice: " + k.name());
                }
            }
        }
        return Collections.unmodifiableMap(m);
    }

    /** Every key by name, in section order. */
    public static Map<String, Key<?>> all() {
        return KEYS;
    }

    public static boolean known(String name) {
        return KEYS.containsKey(name);
    }

    /** Every key's default as written, by name. */
    public static Map<String, String> defaults() {
        Map<String, String> m = new LinkedHashMap<>();
        KEYS.forEach((n, k) -> m.put(n, k.defaultValue()));
        return m;
    }

    /** The key table of docs/CONFIG.md ({@link ConfigDocs#markdown}). */
    public static String markdownTable() {
        return ConfigDocs.markdown(DOCUMENTED);
    }

    /** The key table for --help ({@link ConfigDocs#help}). */
    public static String table() {
        return ConfigDocs.help(DOCUMENTED);
    }
}
