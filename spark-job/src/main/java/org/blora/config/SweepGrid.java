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
 *   <li>{@code sweep.figure.NAME=a,b}: a comparison plot NAME.png of those cases (default: one sweep.png of all);</li>
 *   <li>{@code sweep.figure.NAME.x=KEY} with {@code sweep.figure.NAME.y=FIELD,FIELD} (and optionally
 *       {@code sweep.figure.NAME.bound=FIELD}): NAME.png plots, instead of curves, the final summary.json fields
 *       against the swept KEY on log-log axes, one line per field and series (the cases of sweep.figure.NAME,
 *       default all), with the fitted slope; the bound fields dashed.</li>
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
            return seriesWithout(null);
        }

        /** The series without one varied key: the line of a figure of final values against that key. */
        public String seriesWithout(String key) {
            StringBuilder sb = new StringBuilder(caseName);
            varied.forEach((k, v) -> {
                if (!k.equals(key)) {
                    sb.append(sb.length() == 0 ? "" : " ").append(shortKey(k)).append('=').append(v);
                }
            });
            return sb.toString().trim();
        }

        /** A folder name: series and seed, with characters safe on every file system. */
        public String folder() {
            return (series() + " s" + seed).replaceAll("[^A-Za-z0-9._=-]+", "_");
        }
    }

    /**
     * A figure of final values: the summary.json fields {@code y} and {@code bounds} of the runs of {@code cases}
     * (empty: all) against the swept key {@code x}.
     */
    public record FinalFigure(List<String> cases, String x, List<String> y, List<String> bounds) {
    }

    private final List<Point> points = new ArrayList<>();
    private final Map<String, List<String>> figures = new LinkedHashMap<>();
    private final Map<String, FinalFigure> finalFigures = new LinkedHashMap<>();
    private final List<String> variedKeys = new ArrayList<>();

    /** @param sweepKeys the sweep.* entries; {@code baseSeed} is the base configuration's run.seed */
    public SweepGrid(Map<String, String> sweepKeys, String baseSeed) {
        Map<String, String> s = new TreeMap<>(sweepKeys);
        List<String> seeds = list(s.getOrDefault(SweepKeys.SEEDS.name(), baseSeed), SweepKeys.SEEDS.name());
        Map<String, List<String>> grid = new TreeMap<>();
        List<String> cases = s.containsKey(SweepKeys.CASES.name())
                ? list(s.get(SweepKeys.CASES.name()), SweepKeys.CASES.name()) : List.of("");
        for (Map.Entry<String, String> e : s.entrySet()) {
            String k = e.getKey();
            if (k.startsWith(SweepKeys.GRID_PREFIX)) {
                grid.put(k.substring(SweepKeys.GRID_PREFIX.length()), list(e.getValue(), k));
            } else if (k.startsWith(SweepKeys.CASE_PREFIX)) {
                if (!cases.contains(k.substring(SweepKeys.CASE_PREFIX.length()))) {
                    throw new ConfigException(k + " is not listed in "
                            + SweepKeys.CASES.is(s.getOrDefault(SweepKeys.CASES.name(), ""))
                            + " (add it there or remove the key)");
                }
            } else if (k.startsWith(SweepKeys.FIGURE_PREFIX) && !finalPart(k)) {
                List<String> members = list(e.getValue(), k);
                for (String m : members) {
                    if (!cases.contains(m)) {
                        throw new ConfigException(k + " names case '" + m + "' which is not in sweep.cases");
                    }
                }
                figures.put(k.substring(SweepKeys.FIGURE_PREFIX.length()), members);
            } else if (!k.equals(SweepKeys.SEEDS.name()) && !k.equals(SweepKeys.CASES.name()) && !finalPart(k)) {
                throw new ConfigException("unknown sweep key '" + k + "' (use sweep.seeds, sweep.grid.KEY, sweep.cases, "
                        + "sweep.case.NAME, sweep.figure.NAME, sweep.figure.NAME.x/.y/.bound, sweep.parallel)");
            }
        }
        for (String c : cases) {
            Map<String, List<String>> local = new TreeMap<>(grid);
            Map<String, String> fixed = new TreeMap<>();
            if (!c.isEmpty()) {
                String body = s.get(SweepKeys.CASE_PREFIX + c);
                if (body == null) {
                    throw new ConfigException("sweep.cases lists '" + c + "' but sweep.case." + c + " is missing "
                            + "(set sweep.case." + c + "=key=value; key=value)");
                }
                readCase(c, body, fixed, local);
            }
            for (String k : local.keySet()) {
                if (!variedKeys.contains(k)) {
                    variedKeys.add(k);
                }
            }
            expand(c, fixed, new ArrayList<>(local.entrySet()), 0, new LinkedHashMap<>(), seeds);
        }
        finalFigures(s);
    }

    /** The settings of case {@code c}, KEY=v; KEY=v1,v2: one value is fixed, a comma list a grid local to the case. */
    private static void readCase(String c, String body, Map<String, String> fixed, Map<String, List<String>> local) {
        for (String part : body.split(";")) {
            if (part.isBlank()) {
                continue;
            }
            int eq = part.indexOf('=');
            if (eq <= 0) {
                throw new ConfigException("sweep.case." + c + ": expected key=value, got '" + part.trim() + "'");
            }
            String key = part.substring(0, eq).trim();
            List<String> values = list(part.substring(eq + 1), SweepKeys.CASE_PREFIX + c + " " + key);
            if (values.size() == 1) {
                fixed.put(key, values.get(0));
            } else {
                local.put(key, values);
            }
        }
    }

    /** Whether a key is the .x, .y or .bound of a figure of final values (sweep.figure.NAME.x). */
    private static boolean finalPart(String key) {
        return key.matches("sweep\\.figure\\.[^.]+\\.(x|y|bound)");
    }

    /** The sweep.figure.NAME.x / .y / .bound keys: figures of final values against a swept key. */
    private void finalFigures(Map<String, String> s) {
        for (Map.Entry<String, String> e : s.entrySet()) {
            String k = e.getKey();
            if (!finalPart(k) || !k.endsWith(".x")) {
                continue;
            }
            String name = k.substring(SweepKeys.FIGURE_PREFIX.length(), k.length() - 2);
            String x = e.getValue().trim();
            if (!variedKeys.contains(x)) {
                throw new ConfigException(k + "=" + x + ": the x axis must be a key the sweep varies (one of "
                        + variedKeys + ")");
            }
            String y = s.get(SweepKeys.FIGURE_PREFIX + name + ".y");
            if (y == null) {
                throw new ConfigException(k + " needs sweep.figure." + name + ".y=FIELD,FIELD (summary.json fields to plot)");
            }
            String bound = s.get(SweepKeys.FIGURE_PREFIX + name + ".bound");
            finalFigures.put(name, new FinalFigure(figures.getOrDefault(name, List.of()), x,
                    list(y, SweepKeys.FIGURE_PREFIX + name + ".y"),
                    bound == null ? List.of() : list(bound, SweepKeys.FIGURE_PREFIX + name + ".bound")));
            figures.remove(name);
        }
        for (String k : s.keySet()) {
            if (finalPart(k) && !finalFigures.containsKey(k.substring(SweepKeys.FIGURE_PREFIX.length(), k.lastIndexOf('.')))) {
                throw new ConfigException(k + " needs sweep.figure."
                        + k.substring(SweepKeys.FIGURE_PREFIX.length(), k.lastIndexOf('.'))
                        + ".x=KEY (the swept key to plot against)");
            }
        }
    }

    private void expand(String c, Map<String, String> fixed, List<Map.Entry<String, List<String>>> axes, int i,
                        Map<String, String> chosen, List<String> seeds) {
        if (i == axes.size()) {
            for (String seed : seeds) {
                Map<String, String> o = new LinkedHashMap<>(fixed);
                o.putAll(chosen);
                o.put(RunSection.SEED.name(), seed);
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

    /** Short labels of the keys swept most often, for series names and folders. */
    private static final Map<String, String> SHORT_KEYS = Map.of(OptimSection.STEP_C.name(), "c",
            OptimSection.ESTIMATOR.name(), "est", ChainSection.METHOD.name(), "method");

    static String shortKey(String key) {
        int dot = key.lastIndexOf('.');
        String last = key.substring(dot + 1);
        return SHORT_KEYS.getOrDefault(key, last);
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

    /** Figure name -> a figure of final values against a swept key (sweep.figure.NAME.x). */
    public Map<String, FinalFigure> finalFigures() {
        return finalFigures;
    }
}
