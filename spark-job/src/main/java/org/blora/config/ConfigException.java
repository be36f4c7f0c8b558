package org.blora.config;

/** A configuration problem: one line naming the key, what is wrong and the fix. Exit code 2. */
public final class ConfigException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public ConfigException(String message) {
        super(message);
    }
}
