package org.blora.config;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The runs of a sweep: cases x grid x seeds. Keys (in the sweep's properties file or --set):
 * <ul>
 *   <li>{@code sweep.seeds=1,2,3}: the run.seed values (default: the base run.seed);</li>
 *   <li>{@code sweep.grid.KEY=v1,v2}: a grid over any configuration key, applied to every case;</li>
 *   <li>{@code sweep.cases=a,b} and {@code sweep.case.a=KEY=v; KEY=v1,v2}: named settings (one series label
 *       each); a comma list inside a case is a grid local to that case;</li>
 *   <li>{@code sweep.figure.NAME=a,b}: a comparison plot NAME.png of those cases (default: one sweep.png of all).</li>
 * </ul>
 * ({@code sweep.parallel}, how the points run rather than which, is read by {@link SweepSpec}.)
 * Every other key is the base configuration. Points are expanded in a fixed order (cases as listed, then keys
 * sorted, values as listed, seeds innermost), so a sweep's run folders are stable.
 */
public final class SweepGrid {
    /** One grid point: its case, the settings that vary (label), and every override including the seed. */
    public record Point(String caseName, Map<String, String> varied, long seed, Map<String, String> overrides) {
        /** The series this point belongs to: the case and the varied values, without the seed. */
        public String series() {
            StringBuilder sb = new StringBuilder(caseName);
            varied.forEach((k, v) -> sb.append(sb.length() == 0 ? "" : " ").append(shortKey(k)).append('=').append(v));
            return sb.toString().trim();
        }

        /** A folder name: series and seed, with characters safe on every file system. */
        public String folder() {
            return (series() + " s" + seed).replaceAll("[^A-Za-z0-9._=-]+", "_");
        }
    }

    private final List<Point> points = new ArrayList<>();
    private final Map<String, List<String>> figures = new LinkedHashMap<>();
    private final List<String> variedKeys = new ArrayList<>();

    /** @param sweepKeys the sweep.* entries; {@code baseSeed} is the base configuration's run.seed */
    public SweepGrid(Map<String, String> sweepKeys, String baseSeed) {
        Map<String, String> s = new TreeMap<>(sweepKeys);
        List<String> seeds = list(s.getOrDefault("sweep.seeds", baseSeed), "sweep.seeds");
        Map<String, List<String>> grid = new TreeMap<>();
        List<String> cases = s.containsKey("sweep.cases") ? list(s.get("sweep.cases"), "sweep.cases") : List.of("");
        for (Map.Entry<String, String> e : s.entrySet()) {
            String k = e.getKey();
            if (k.startsWith("sweep.grid.")) {
                grid.put(k.substring("sweep.grid.".length()), list(e.getValue(), k));
            } else if (k.startsWith("sweep.case.")) {
                if (!cases.contains(k.substring("sweep.case.".length()))) {
                    throw new ConfigException(k + " is not listed in sweep.cases=" + s.getOrDefault("sweep.cases", "")
                            + " (add it there or remove the key)");
                }
            } else if (k.startsWith("sweep.figure.")) {
                List<String> members = list(e.getValue(), k);
                for (String m : members) {
                    if (!cases.contains(m)) {
                        throw new ConfigException(k + " names case '" + m + "' which is not in sweep.cases");
                    }
                }
                figures.put(k.substring("sweep.figure.".length()), members);
            } else if (!k.equals("sweep.seeds") && !k.equals("sweep.cases")) {
                throw new ConfigException("unknown sweep key '" + k + "' (use sweep.seeds, sweep.grid.KEY, sweep.cases, "
                        + "sweep.case.NAME, sweep.figure.NAME, sweep.parallel)");
            }
        }
        for (String c : cases) {
            Map<String, List<String>> local = new TreeMap<>(grid);
            Map<String, String> fixed = new TreeMap<>();
            if (!c.isEmpty()) {
                String body = s.get("sweep.case." + c);
                if (body == null) {
                    throw new ConfigException("sweep.cases lists '" + c + "' but sweep.case." + c + " is missing "
                            + "(set sweep.case." + c + "=key=value; key=value)");
                }
                for (String part : body.split(";")) {
                    if (part.isBlank()) {
                        continue;
                    }
                    int eq = part.indexOf('=');
                    if (eq <= 0) {
                        throw new ConfigException("sweep.case." + c + ": expected key=value, got '" + part.trim() + "'");
                    }
                    String key = part.substring(0, eq).trim();
                    List<String> values = list(part.substring(eq + 1), "sweep.case." + c + " " + key);
                    if (values.size() == 1) {
                        fixed.put(key, values.get(0));
                    } else {
                        local.put(key, values);
                    }
                }
            }
            for (String k : local.keySet()) {
                if (!variedKeys.contains(k)) {
                    variedKeys.add(k);
                }
            }
            expand(c, fixed, new ArrayList<>(local.entrySet()), 0, new LinkedHashMap<>(), seeds);
        }
    }

    private void expand(String c, Map<String, String> fixed, List<Map.Entry<String, List<String>>> axes, int i,
                        Map<String, String> chosen, List<String> seeds) {
        if (i == axes.size()) {
            for (String seed : seeds) {
                Map<String, String> o = new LinkedHashMap<>(fixed);
                o.putAll(chosen);
                o.put("run.seed", seed);
                long sv;
                try {
                    sv = Long.parseLong(seed);
                } catch (NumberFormatException e) {
                    throw new ConfigException("sweep.seeds must be integers, got '" + seed + "'");
                }
                points.add(new Point(c, new LinkedHashMap<>(chosen), sv, o));
            }
            return;
        }
        for (String v : axes.get(i).getValue()) {
            chosen.put(axes.get(i).getKey(), v);
            expand(c, fixed, axes, i + 1, chosen, seeds);
            chosen.remove(axes.get(i).getKey());
        }
    }

    private static List<String> list(String text, String key) {
        List<String> out = new ArrayList<>();
        for (String v : text.split(",")) {
            if (!v.isBlank()) {
                out.add(v.trim());
            }
        }
        if (out.isEmpty()) {
            throw new ConfigException(key + " has no values (give a comma-separated list)");
        }
        return out;
    }

    static String shortKey(String key) {
        int dot = key.lastIndexOf('.');
        String last = key.substring(dot + 1);
        return switch (key) {
            case "optim.step.c" -> "c";
            case "optim.estimator" -> "est";
            case "lora.method" -> "method";
            default -> last;
        };
    }

    public List<Point> points() {
        return points;
    }

    /** Keys that take more than one value somewhere (the sweep.csv columns before the seed). */
    public List<String> variedKeys() {
        return variedKeys;
    }

    /** Figure name -> cases; empty when no sweep.figure.* key is given. */
    public Map<String, List<String>> figures() {
        return figures;
    }
}
