package org.blora.config;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The keys of one configuration section, in the order the section defines them. A key is registered by being made
 * here ({@code GROUP.key(...)} in a static field of its section), so defining a key is all it takes for the
 * command line to accept it and for {@code --help} and docs/CONFIG.md to show it ({@link ConfigKeys}).
 */
public final class KeyGroup {
    private final String title;
    private final String about;
    private final List<Key<?>> keys = new ArrayList<>();

    /** @param title the section's heading; @param about one sentence on what its keys configure */
    public KeyGroup(String title, String about) {
        this.title = title;
        this.about = about;
    }

    /** A new key of this section. */
    public <T> Key<T> key(String name, String defaultValue, Key.Parser<T> parser, String help) {
        Key<T> k = new Key<>(name, defaultValue, parser, help);
        keys.add(k);
        return k;
    }

    public String title() {
        return title;
    }

    public String about() {
        return about;
    }

    public List<Key<?>> keys() {
        return Collections.unmodifiableList(keys);
    }
}
