package org.blora.config;

import java.util.function.Supplier;

/** A configuration problem: one line naming the key, what is wrong and the fix. Exit code 2. */
public final class ConfigException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public ConfigException(String message) {
        super(message);
    }

    /** A value built by core or data-prep; the parameter its IllegalArgumentException names becomes the key. */
    static <T> T translated(Supplier<T> build) {
        try {
            return build.get();
        } catch (IllegalArgumentException e) {
            throw new ConfigException(ParameterKeys.translate(e.getMessage()));
        }
    }
}
