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
 * docs/CONFIG.md's key tables are {@link ConfigKeys#markdownTable()}, between the keys:begin and keys:end markers,
 * byte for byte. When a key is added or its help changes, rewrite them with
 * {@code mvn -pl spark-job -am -DskipITs -Dtest=ConfigDocsTest -Dsurefire.failIfNoSpecifiedTests=false
 * -Dconfig.docs.write=true verify}; otherwise the test fails and says, key by key, what differs.
 */
class ConfigDocsTest {
    private static final String BEGIN = "<!-- keys:begin -->";
    private static final String END = "<!-- keys:end -->";
    private static final Path CONFIG_MD = Path.of("..", "docs", "CONFIG.md");

    /** The rows of Markdown key tables by key (the text between the first pair of backticks). */
    private static Map<String, String> rows(String table) {
        Map<String, String> rows = new LinkedHashMap<>();
        for (String line : table.split("\n")) {
            if (line.startsWith("| `")) {
                rows.put(line.substring(3, line.indexOf('`', 3)), line);
            }
        }
        return rows;
    }

    /** Every way the page's tables differ from the generated ones, one line each. */
    static List<String> differences(String page, String generated) {
        Map<String, String> have = rows(page);
        Map<String, String> want = rows(generated);
        List<String> out = new ArrayList<>();
        want.forEach((k, row) -> {
            if (!have.containsKey(k)) {
                out.add("missing from docs/CONFIG.md: " + k);
            } else if (!have.get(k).equals(row)) {
                out.add("documented differently: docs/CONFIG.md has\n  " + have.get(k) + "\nits definition says\n  " + row);
            }
        });
        have.keySet().stream().filter(k -> !want.containsKey(k)).forEach(k -> out.add("not a configuration key: " + k));
        if (out.isEmpty() && !page.equals(generated)) {
            out.add("the rows, sections or headings differ from the generated tables (order or text)");
        }
        return out;
    }

    @Test
    void configMdShowsTheTablesGeneratedFromTheKeyDefinitions() throws IOException {
        String page = Files.readString(CONFIG_MD);
        int b = page.indexOf(BEGIN);
        int e = page.indexOf(END);
        assertTrue(b >= 0 && e > b, "docs/CONFIG.md needs the markers " + BEGIN + " and " + END + " around the key tables");
        String generated = ConfigKeys.markdownTable();
        String tables = page.substring(b + BEGIN.length(), e);
        if (Boolean.getBoolean("config.docs.write") && !tables.equals(generated)) {
            Files.writeString(CONFIG_MD, page.substring(0, b + BEGIN.length()) + generated + page.substring(e));
            System.out.println("ConfigDocsTest: rewrote the key tables of " + CONFIG_MD);
            return;
        }
        assertEquals(List.of(), differences(tables, generated), "docs/CONFIG.md's key tables are out of date; rewrite them "
                + "with -Dtest=ConfigDocsTest -Dconfig.docs.write=true (see this test's comment)");
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
        assertTrue(d.get(2).equals("not a configuration key: lora.rnak"), d.toString());
    }

    @Test
    void reorderedRowsOrAnEditedHeadingAreReported() {
        String generated = ConfigKeys.markdownTable();
        assertEquals(List.of("the rows, sections or headings differ from the generated tables (order or text)"),
                differences(generated.replace("### Model", "### Models"), generated));
    }
}
