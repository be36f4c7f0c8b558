package org.blora.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every relative link and image of README.md and docs/*.md names a file or folder of the repository, and every
 * #anchor a heading of the page it points into (GitHub's heading slugs). Links inside code are not links.
 */
class DocLinksTest {
    /** [text](target) and ![alt](target); the target ends at the first space or closing parenthesis. */
    private static final Pattern LINK = Pattern.compile("!?\\[[^\\]]*\\]\\(([^)\\s]+)(?:\\s+\"[^\"]*\")?\\)");
    private static final Pattern HEADING = Pattern.compile("^#{1,6}\\s+(.*?)\\s*#*\\s*$");

    @Test
    void everyRelativeLinkOfTheDocsResolves() throws IOException {
        Path root = Path.of("..").toAbsolutePath().normalize();
        List<Path> pages = new ArrayList<>();
        pages.add(root.resolve("README.md"));
        try (Stream<Path> docs = Files.list(root.resolve("docs"))) {
            docs.filter(p -> p.toString().endsWith(".md")).sorted().forEach(pages::add);
        }
        List<String> broken = new ArrayList<>();
        int links = 0;
        for (Path page : pages) {
            List<String> targets = relativeLinks(Files.readString(page));
            links += targets.size();
            for (String target : targets) {
                String problem = problem(root, page, target);
                if (problem != null) {
                    broken.add(root.relativize(page) + ": " + target + " (" + problem + ")");
                }
            }
        }
        assertTrue(links > 10, "found only " + links + " relative links: is the link pattern still right?");
        assertEquals(List.of(), broken, "links that do not resolve in the repository");
    }

    @Test
    void aMissingFileOrAnchorIsReported(@TempDir Path dir) throws IOException {
        Files.createDirectories(dir.resolve("docs/img"));
        Files.writeString(dir.resolve("docs/A.md"), "# The method\n\n## 2. Bernoulli-LoRA (Algorithm 1) as a step\n");
        Files.writeString(dir.resolve("docs/img/x.png"), "png");
        Path readme = dir.resolve("README.md");
        String text = """
                [ok](docs/A.md) ![fig](docs/img/x.png) [anchor](docs/A.md#2-bernoulli-lora-algorithm-1-as-a-step)
                [gone](docs/B.md) [bad anchor](docs/A.md#3-estimators) [web](https://arxiv.org/abs/2508.03820)
                `[in code](docs/C.md)`
                ```
                [in a block](docs/D.md)
                ```
                """;
        Files.writeString(readme, text);
        List<String> targets = relativeLinks(text);
        assertEquals(List.of("docs/A.md", "docs/img/x.png", "docs/A.md#2-bernoulli-lora-algorithm-1-as-a-step",
                "docs/B.md", "docs/A.md#3-estimators"), targets);
        assertEquals(null, problem(dir, readme, targets.get(2)));
        assertEquals("no such file", problem(dir, readme, "docs/B.md"));
        assertEquals("no heading with this anchor", problem(dir, readme, "docs/A.md#3-estimators"));
    }

    @Test
    void anchorsAreGithubHeadingSlugs() {
        assertEquals("9-where-the-code-departs-from-the-authors-experiment-code-and-why",
                slug("9. Where the code departs from the authors' experiment code, and why"));
        assertEquals("gradient-estimators-optimestimator", slug("Gradient estimators (`optim.estimator`)"));
        assertEquals("the-o1t-rate-of-tt", slug("The O(1/√T) rate of T/t"));
        assertEquals("6-scale-10⁶--4096", slug("6. Scale: 10⁶ × 4,096"));
    }

    /** The relative link targets of a Markdown page, outside fenced code blocks and inline code, in order. */
    static List<String> relativeLinks(String markdown) {
        List<String> out = new ArrayList<>();
        boolean fenced = false;
        for (String line : markdown.split("\n")) {
            if (line.strip().startsWith("```")) {
                fenced = !fenced;
                continue;
            }
            if (fenced) {
                continue;
            }
            Matcher m = LINK.matcher(line.replaceAll("`[^`]*`", ""));
            while (m.find()) {
                String t = m.group(1);
                if (!t.matches("^[a-zA-Z][a-zA-Z0-9+.-]*:.*")) {
                    out.add(t);
                }
            }
        }
        return out;
    }

    /** Why a relative link of {@code page} does not resolve under {@code root}, or null when it does. */
    static String problem(Path root, Path page, String target) {
        int hash = target.indexOf('#');
        String file = hash < 0 ? target : target.substring(0, hash);
        Path resolved = file.isEmpty() ? page : page.getParent().resolve(file).normalize();
        if (!resolved.startsWith(root)) {
            return "outside the repository";
        }
        if (!Files.exists(resolved)) {
            return "no such file";
        }
        if (hash >= 0 && resolved.toString().endsWith(".md") && !anchors(resolved).contains(target.substring(hash + 1))) {
            return "no heading with this anchor";
        }
        return null;
    }

    /** The anchors GitHub gives the headings of a page (a repeated heading gets -1, -2, ...). */
    private static Set<String> anchors(Path page) {
        Set<String> out = new HashSet<>();
        Map<String, Integer> seen = new HashMap<>();
        boolean fenced = false;
        try {
            for (String line : Files.readAllLines(page)) {
                if (line.strip().startsWith("```")) {
                    fenced = !fenced;
                }
                Matcher m = HEADING.matcher(line);
                if (!fenced && m.matches()) {
                    String s = slug(m.group(1));
                    int n = seen.merge(s, 1, Integer::sum) - 1;
                    out.add(n == 0 ? s : s + "-" + n);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    /** The character classes a GitHub heading slug keeps: letters, marks, numbers (10⁶ too) and '_'. */
    private static final Set<Integer> KEPT = Set.of((int) Character.UPPERCASE_LETTER, (int) Character.LOWERCASE_LETTER,
            (int) Character.TITLECASE_LETTER, (int) Character.MODIFIER_LETTER, (int) Character.OTHER_LETTER,
            (int) Character.NON_SPACING_MARK, (int) Character.COMBINING_SPACING_MARK, (int) Character.ENCLOSING_MARK,
            (int) Character.DECIMAL_DIGIT_NUMBER, (int) Character.LETTER_NUMBER, (int) Character.OTHER_NUMBER,
            (int) Character.CONNECTOR_PUNCTUATION);

    /** GitHub's heading slug: lower case, punctuation and symbols dropped, spaces to '-'. */
    static String slug(String heading) {
        String text = heading.replaceAll("\\[([^\\]]*)\\]\\([^)]*\\)", "$1").toLowerCase(Locale.ROOT);
        StringBuilder sb = new StringBuilder();
        text.codePoints().forEach(c -> {
            if (KEPT.contains(Character.getType(c)) || c == '-') {
                sb.appendCodePoint(c);
            } else if (c == ' ') {
                sb.append('-');
            }
        });
        return sb.toString();
    }
}
