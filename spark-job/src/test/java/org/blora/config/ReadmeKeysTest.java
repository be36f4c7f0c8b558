package org.blora.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * docs/CONFIG.md's key table is {@link ConfigKeys#markdownTable()}, between the keys:begin and keys:end markers: a
 * key missing from the page, a key the page invents, or a key documented differently fails this test, which prints
 * the table to paste.
 */
class ReadmeKeysTest {
    private static final String BEGIN = "<!-- keys:begin -->";
    private static final String END = "<!-- keys:end -->";

    /** The rows of a Markdown key table by key (the text between the first pair of backticks). */
    private static Map<String, String> rows(String table) {
        Map<String, String> rows = new LinkedHashMap<>();
        for (String line : table.split("\n")) {
            if (line.startsWith("| `")) {
                rows.put(line.substring(3, line.indexOf('`', 3)), line);
            }
        }
        return rows;
    }

    /** Every way the page's table differs from the generated one, one line each. */
    static List<String> differences(String readmeTable, String generated) {
        Map<String, String> have = rows(readmeTable);
        Map<String, String> want = rows(generated);
        List<String> out = new ArrayList<>();
        want.forEach((k, row) -> {
            if (!have.containsKey(k)) {
                out.add("missing from docs/CONFIG.md: " + k);
            } else if (!have.get(k).equals(row)) {
                out.add("documented differently: docs/CONFIG.md has\n  " + have.get(k) + "\nConfigKeys says\n  " + row);
            }
        });
        have.keySet().stream().filter(k -> !want.containsKey(k)).forEach(k -> out.add("not a key of ConfigKeys: " + k));
        if (out.isEmpty() && !List.copyOf(have.keySet()).equals(List.copyOf(want.keySet()))) {
            out.add("the rows are in another order than ConfigKeys registers them");
        }
        return out;
    }

    @Test
    void readmeDocumentsEveryKeyAsConfigKeysDoes() throws IOException {
        String readme = Files.readString(Path.of("..", "docs", "CONFIG.md"));
        int b = readme.indexOf(BEGIN);
        int e = readme.indexOf(END);
        assertTrue(b >= 0 && e > b, "docs/CONFIG.md needs the markers " + BEGIN + " and " + END + " around the key table");
        String table = readme.substring(b + BEGIN.length(), e);
        assertEquals(List.of(), differences(table, ConfigKeys.markdownTable()),
                "docs/CONFIG.md's key table is out of date; replace it with:\n" + ConfigKeys.markdownTable());
    }

    @Test
    void aMissingRenamedOrChangedKeyIsReported() {
        String generated = ConfigKeys.markdownTable();
        assertEquals(List.of(), differences(generated, generated));
        List<String> lines = new ArrayList<>(List.of(generated.split("\n")));
        lines.removeIf(l -> l.startsWith("| `data.source` |"));
        lines.replaceAll(l -> l.startsWith("| `lora.rank` |") ? l.replace("`1`", "`2`") : l);
        lines.add("| `lora.rnak` | `1` | a typo |");
        List<String> d = differences(String.join("\n", lines), generated);
        assertEquals(3, d.size(), d.toString());
        assertTrue(d.get(0).equals("missing from docs/CONFIG.md: data.source"), d.toString());
        assertTrue(d.get(1).startsWith("documented differently") && d.get(1).contains("lora.rank"), d.toString());
        assertTrue(d.get(2).equals("not a key of ConfigKeys: lora.rnak"), d.toString());
    }
}
