package org.blora.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A value of an enumerated configuration key: the enum constant's name, lower case, with '-' for '_'
 * ({@code CACHED_REGRESSION} is {@code cached-regression}). {@link RunConfig#choice} reads any enum by this
 * rule, so an enum of core or data-prep whose names follow it is a configuration choice too.
 */
public interface Choice {
    /** The configuration value that names this constant. */
    default String key() {
        return keyOf((Enum<?>) this);
    }

    /** The constant of {@code type} that {@code value} names; one line naming {@code what} and the values otherwise. */
    static <E extends Enum<E>> E parse(String what, String value, Class<E> type) {
        List<String> keys = new ArrayList<>();
        for (E e : type.getEnumConstants()) {
            if (keyOf(e).equals(value)) {
                return e;
            }
            keys.add(keyOf(e));
        }
        throw new ConfigException(what + " must be one of " + keys + ", got '" + value + "'");
    }

    static String keyOf(Enum<?> e) {
        return e.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
