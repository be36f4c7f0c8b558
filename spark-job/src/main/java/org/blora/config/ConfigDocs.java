package org.blora.config;

import java.util.List;

/**
 * The documentation made from the key definitions: docs/CONFIG.md's key tables and the {@code --help} list. Nothing
 * here is written by hand, so a key's help reads the same everywhere it is shown.
 */
public final class ConfigDocs {
    private ConfigDocs() {
    }

    /**
     * One Markdown table per section, under a heading with the section's title: a row per key in definition order,
     * the default in backticks ("(none)" when empty), pipes in the meaning escaped.
     */
    public static String markdown(List<KeyGroup> sections) {
        StringBuilder sb = new StringBuilder();
        for (KeyGroup g : sections) {
            sb.append("\n### ").append(g.title()).append("\n\n").append(capitalised(g.about())).append(".\n\n")
                    .append("| key | default | meaning |\n|---|---|---|\n");
            for (Key<?> k : g.keys()) {
                sb.append("| `").append(k.name()).append("` | ").append(defaultText(k, "`")).append(" | ")
                        .append(k.help().replace("|", "\\|")).append(" |\n");
            }
        }
        return sb.append('\n').toString();
    }

    /** The keys for --help: a heading per section, then one line per key: name, default, meaning. */
    public static String help(List<KeyGroup> sections) {
        StringBuilder sb = new StringBuilder();
        for (KeyGroup g : sections) {
            sb.append(String.format("%n %s: %s%n", g.title(), g.about()));
            for (Key<?> k : g.keys()) {
                sb.append(String.format("  %-22s %-22s %s%n", k.name(), defaultText(k, ""), k.help()));
            }
        }
        return sb.toString();
    }

    private static String defaultText(Key<?> k, String quote) {
        return k.defaultValue().isEmpty() ? "(none)" : quote + k.defaultValue() + quote;
    }

    private static String capitalised(String s) {
        return s.isEmpty() ? s : Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }
}
