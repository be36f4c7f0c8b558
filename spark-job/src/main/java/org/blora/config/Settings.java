package org.blora.config;

import java.util.Map;
import java.util.TreeMap;

/** Key=value settings made in code (a derived run's configuration), by key object, as the command line would give them. */
public final class Settings {
    private final Map<String, String> values = new TreeMap<>();

    public Settings set(Key<?> key, String value) {
        values.put(key.name(), value);
        return this;
    }

    /** {@code key} set to {@code value}'s decimal or choice text ({@link Choice#key()} for enums). */
    public Settings set(Key<?> key, Object value) {
        return set(key, value instanceof Choice c ? c.key() : String.valueOf(value));
    }

    /** {@code key} set to the text {@code from} has in {@code config}, as written. */
    public Settings copy(Key<?> key, RunConfig config, Key<?> from) {
        return set(key, config.text(from));
    }

    /** The settings over the defaults. */
    public RunConfig config() {
        return RunConfig.of(values);
    }

    public Map<String, String> asMap() {
        return new TreeMap<>(values);
    }
}
