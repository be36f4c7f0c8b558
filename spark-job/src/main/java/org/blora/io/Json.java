package org.blora.io;

import java.util.Locale;
import java.util.Map;

/** Minimal JSON writing for the small files of a run (summary.json, adapter_config.json). */
public final class Json {
    private Json() {
    }

    /** An object with values rendered by type: numbers, booleans, strings, nested maps. */
    public static String object(Map<String, ?> fields) {
        StringBuilder sb = new StringBuilder("{\n");
        int i = 0;
        for (Map.Entry<String, ?> e : fields.entrySet()) {
            sb.append("  ").append(quote(e.getKey())).append(": ").append(value(e.getValue()));
            sb.append(++i < fields.size() ? ",\n" : "\n");
        }
        return sb.append("}\n").toString();
    }

    static String value(Object v) {
        if (v == null) {
            return "null";
        }
        if (v instanceof Boolean || v instanceof Integer || v instanceof Long) {
            return v.toString();
        }
        if (v instanceof Double d) {
            return Double.isFinite(d) ? Double.toString(d).toLowerCase(Locale.ROOT) : "null";
        }
        if (v instanceof int[] a) {
            StringBuilder sb = new StringBuilder("[");
            for (int k = 0; k < a.length; k++) {
                sb.append(k == 0 ? "" : ", ").append(a[k]);
            }
            return sb.append(']').toString();
        }
        return quote(v.toString());
    }

    public static String quote(String s) {
        StringBuilder sb = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (c < 0x20) {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        return sb.append('"').toString();
    }
}
