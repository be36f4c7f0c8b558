package org.blora.arch;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Which package of a source tree uses which: an edge p -> q when a file of p names a class of q, by an import or
 * a fully qualified name in code (comments and string literals do not count). Only packages under
 * {@code prefix} are kept.
 */
final class PackageGraph {
    private static final Pattern PACKAGE = Pattern.compile("^\\s*package\\s+([\\w.]+)\\s*;", Pattern.MULTILINE);
    /** A qualified name: lower-case package segments, then a class (upper-case) or a wildcard. */
    private static final Pattern QUALIFIED = Pattern.compile("\\b((?:[a-z_]\\w*\\.)+)(?:[A-Z]\\w*|\\*)");

    private final Map<String, Set<String>> edges = new TreeMap<>();

    private PackageGraph() {
    }

    static PackageGraph of(Path sourceRoot, String prefix) {
        PackageGraph g = new PackageGraph();
        try (Stream<Path> files = Files.walk(sourceRoot)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
                String code = codeOnly(Files.readString(f, StandardCharsets.UTF_8));
                Matcher pm = PACKAGE.matcher(code);
                if (!pm.find()) {
                    continue;
                }
                String from = pm.group(1);
                Set<String> to = g.edges.computeIfAbsent(from, k -> new TreeSet<>());
                Matcher q = QUALIFIED.matcher(code.substring(pm.end()));
                while (q.find()) {
                    String pkg = q.group(1).substring(0, q.group(1).length() - 1);
                    if (pkg.startsWith(prefix) && !pkg.equals(from)) {
                        to.add(pkg);
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        // A name like org.blora.core.chain.Method.BERNOULLI also matches the nested segment; keep known packages.
        g.edges.values().forEach(t -> t.retainAll(g.edges.keySet()));
        return g;
    }

    Map<String, Set<String>> edges() {
        return edges;
    }

    /** The packages {@code from} uses, directly. */
    Set<String> uses(String from) {
        return edges.getOrDefault(from, Set.of());
    }

    /** Every cycle as the sorted packages of one strongly connected component with more than one package. */
    List<List<String>> cycles() {
        // Tarjan's algorithm, iterative over the (small) graph.
        Map<String, Integer> index = new HashMap<>();
        Map<String, Integer> low = new HashMap<>();
        Deque<String> stack = new ArrayDeque<>();
        Set<String> onStack = new TreeSet<>();
        List<List<String>> out = new ArrayList<>();
        int[] next = {0};
        for (String root : edges.keySet()) {
            if (!index.containsKey(root)) {
                strongConnect(root, index, low, stack, onStack, out, next);
            }
        }
        return out;
    }

    private void strongConnect(String v, Map<String, Integer> index, Map<String, Integer> low, Deque<String> stack,
                               Set<String> onStack, List<List<String>> out, int[] next) {
        index.put(v, next[0]);
        low.put(v, next[0]);
        next[0]++;
        stack.push(v);
        onStack.add(v);
        for (String w : uses(v)) {
            if (!index.containsKey(w)) {
                strongConnect(w, index, low, stack, onStack, out, next);
                low.put(v, Math.min(low.get(v), low.get(w)));
            } else if (onStack.contains(w)) {
                low.put(v, Math.min(low.get(v), index.get(w)));
            }
        }
        if (low.get(v).equals(index.get(v))) {
            List<String> component = new ArrayList<>();
            String w;
            do {
                w = stack.pop();
                onStack.remove(w);
                component.add(w);
            } while (!w.equals(v));
            if (component.size() > 1) {
                component.sort(null);
                out.add(component);
            }
        }
    }

    /** The source with comments and the contents of string and character literals removed. */
    static String codeOnly(String src) {
        StringBuilder sb = new StringBuilder(src.length());
        int i = 0;
        int n = src.length();
        while (i < n) {
            char c = src.charAt(i);
            if (c == '/' && i + 1 < n && src.charAt(i + 1) == '/') {
                while (i < n && src.charAt(i) != '\n') {
                    i++;
                }
            } else if (c == '/' && i + 1 < n && src.charAt(i + 1) == '*') {
                int end = src.indexOf("*/", i + 2);
                i = end < 0 ? n : end + 2;
                sb.append(' ');
            } else if (c == '"' || c == '\'') {
                boolean block = c == '"' && src.startsWith("\"\"\"", i);
                String close = block ? "\"\"\"" : String.valueOf(c);
                i += close.length();
                while (i < n && !src.startsWith(close, i)) {
                    i += src.charAt(i) == '\\' ? 2 : 1;
                }
                i += close.length();
                sb.append("\"\"");
            } else {
                sb.append(c);
                i++;
            }
        }
        return sb.toString();
    }
}
