package org.blora.config;

import java.util.Arrays;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

/**
 * One configuration key, defined once: its name, its default as written in a properties file, the parser that turns
 * (and checks) a value into its type, and the help text that {@code --help}, docs/CONFIG.md and the Spark ML Params
 * show. Keys are made by a {@link KeyGroup}, which is how a section lists them; a parse error is one line naming the
 * key and what it accepts.
 *
 * @param <T> the parsed value's type
 */
public final class Key<T> {
    /** Turns a key's text into its value, or throws a {@link ConfigException} naming the key. */
    @FunctionalInterface
    public interface Parser<T> {
        T parse(String key, String text);
    }

    private final String name;
    private final String defaultValue;
    private final Parser<T> parser;
    private final String help;

    Key(String name, String defaultValue, Parser<T> parser, String help) {
        this.name = Objects.requireNonNull(name);
        this.defaultValue = Objects.requireNonNull(defaultValue);
        this.parser = Objects.requireNonNull(parser);
        this.help = Objects.requireNonNull(help);
    }

    /** The key as written in a properties file or after {@code --set}, e.g. {@code lora.rank}. */
    public String name() {
        return name;
    }

    /** The default as written ({@code ""} when the key has none). */
    public String defaultValue() {
        return defaultValue;
    }

    /** What the key means and what it accepts. */
    public String help() {
        return help;
    }

    /** {@code text} as this key's value. */
    public T parse(String text) {
        return parser.parse(name, text);
    }

    /** {@code key=value}, the form messages use. */
    public String is(Object value) {
        return name + "=" + value;
    }

    @Override
    public String toString() {
        return name;
    }

    // The parsers every section uses. Their messages are the contract of the command line's bad input.

    static Parser<String> text() {
        return (k, v) -> v;
    }

    static Parser<Integer> integer(int min, int max) {
        return (k, v) -> {
            int i;
            try {
                i = Integer.parseInt(v);
            } catch (NumberFormatException e) {
                throw new ConfigException(k + " must be an integer, got '" + v + "'");
            }
            if (i < min || i > max) {
                throw new ConfigException(k + " must be in [" + min + ", " + max + "], got " + i);
            }
            return i;
        };
    }

    static Parser<Long> atLeast(long min) {
        return (k, v) -> {
            long i;
            try {
                i = Long.parseLong(v);
            } catch (NumberFormatException e) {
                throw new ConfigException(k + " must be an integer, got '" + v + "'");
            }
            if (i < min) {
                throw new ConfigException(k + " must be >= " + min + ", got " + i);
            }
            return i;
        };
    }

    /** A number in [min, max]; "inf" is infinity (allowed where max is). */
    static Parser<Double> number(double min, double max) {
        return (k, v) -> {
            double d;
            if ("inf".equalsIgnoreCase(v)) {
                d = Double.POSITIVE_INFINITY;
            } else {
                try {
                    d = Double.parseDouble(v);
                } catch (NumberFormatException e) {
                    throw new ConfigException(k + " must be a number, got '" + v + "'");
                }
            }
            if (!(d >= min && d <= max)) {
                throw new ConfigException(k + " must be in [" + min + ", " + max + "], got " + v);
            }
            return d;
        };
    }

    /** A probability that cannot be 0: in (0, 1]. */
    static Parser<Double> positiveAtMostOne() {
        Parser<Double> inUnit = number(0, 1);
        return (k, v) -> {
            double d = inUnit.parse(k, v);
            if (d == 0) {
                throw new ConfigException(k + " must be in (0, 1], got 0");
            }
            return d;
        };
    }

    static Parser<Boolean> bool() {
        return (k, v) -> {
            String s = v.trim().toLowerCase(Locale.ROOT);
            if (!s.equals("true") && !s.equals("false")) {
                throw new ConfigException(k + " must be true or false, got '" + v + "'");
            }
            return s.equals("true");
        };
    }

    /** The constant of {@code type} the value names ({@link Choice#keyOf}). */
    static <E extends Enum<E>> Parser<E> choice(Class<E> type) {
        return (k, v) -> Choice.parse(k, v, type);
    }

    /** One of a fixed set of words, as written. */
    static Parser<String> oneOf(String... allowed) {
        Set<String> set = Set.copyOf(Arrays.asList(allowed));
        return (k, v) -> {
            if (!set.contains(v)) {
                throw new ConfigException(k + " must be one of " + set + ", got '" + v + "'");
            }
            return v;
        };
    }

    /** {@code auto} (any case) as {@code whenAuto}, anything else by {@code parser}. */
    static <T> Parser<T> orAuto(T whenAuto, Parser<T> parser) {
        return (k, v) -> "auto".equalsIgnoreCase(v) ? whenAuto : parser.parse(k, v);
    }

    /** An empty (or blank) value as {@code whenBlank}, anything else by {@code parser}. */
    static <T> Parser<T> orBlank(T whenBlank, Parser<T> parser) {
        return (k, v) -> v.isBlank() ? whenBlank : parser.parse(k, v);
    }
}
