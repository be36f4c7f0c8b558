package org.blora.app;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.blora.config.ModelSection;
import org.blora.config.SweepGrid;
import org.blora.core.train.RoundRecord;
import org.blora.io.ConvergencePlot;
import org.blora.io.JsonFiles;
import org.blora.io.MetricsCsv;
import org.blora.io.RunFolder;

/**
 * sweep.csv and the comparison plots of a sweep. A series is one case with one setting of the varied keys; its
 * curve is the median over seeds of ||grad f||^2 at each evaluated round, with the min-max band, drawn against
 * rounds and against the median epoch count at that round. A run that stopped early (converged) leaves the
 * statistics of later rounds to the others.
 */
final class SweepReport {
    /** One finished run of the sweep. */
    record Run(SweepGrid.Point point, String folder, List<RoundRecord> rows, double tol, String stopReason,
               double trainableParams, double fStar, double[] bound, String boundHeld, String boundName, double boundRatio) {
        Run(SweepGrid.Point point, String folder, List<RoundRecord> rows, double tol, String stopReason,
            double trainableParams) {
            this(point, folder, rows, tol, stopReason, trainableParams, Double.NaN, null, "", "", Double.NaN);
        }

        /** A finished run as its folder holds it: metrics.csv and summary.json (f* and the live bound, if any). */
        static Run of(SweepGrid.Point point, String rel, double tol, RunFolder folder) {
            JsonNode summary = JsonFiles.read(folder.readText(RunFolder.SUMMARY), RunFolder.SUMMARY);
            String metrics = folder.readText("metrics.csv");
            return new Run(point, rel, MetricsCsv.parse(metrics), tol,
                    summary.path("stop_reason").asText(""), summary.path("trainable_params").asDouble(Double.NaN),
                    summary.path("f_star").asDouble(Double.NaN), MetricsCsv.boundColumn(metrics),
                    summary.has("bound_held") ? summary.get("bound_held").asText() : "",
                    summary.path("bound_name").asText(""), summary.path("bound_ratio").asDouble(Double.NaN));
        }

        /** min over s < t of f(W_s) - f*, for t = 1..T (index t), NaN at 0 and where no loss was evaluated. */
        double[] bestGap() {
            double[] g = new double[rows.size()];
            g[0] = Double.NaN;
            double best = Double.POSITIVE_INFINITY;
            for (int t = 1; t < rows.size(); t++) {
                double f = rows.get(t - 1).loss();
                if (Double.isFinite(f)) {
                    best = Math.min(best, f);
                }
                g[t] = best - fStar;
            }
            return g;
        }

        RoundRecord last() {
            return rows.get(rows.size() - 1);
        }

        boolean classifier() {
            return Double.isFinite(last().scores().testAccuracy());
        }
    }

    private SweepReport() {
    }

    /**
     * The convex theorems' figures of the runs that know f* (model.loss=lad or hinge): per value of model.loss,
     * FIGURE-gap[-LOSS].png with min over s < t of f(W_s) - f* against t on log-log axes (median and min-max per
     * series, the bound dashed), and bounds.md: per series, in how many runs the live bound held and the gaps.
     */
    private static void gapFigures(RunFolder root, String figure, Map<String, List<Run>> bySeries) {
        Map<String, Map<String, List<Run>>> byLoss = new LinkedHashMap<>();
        bySeries.forEach((name, rs) -> {
            for (Run r : rs) {
                if (Double.isFinite(r.fStar())) {
                    byLoss.computeIfAbsent(r.point().overrides().getOrDefault(ModelSection.LOSS.name(), ""),
                            k -> new LinkedHashMap<>())
                            .computeIfAbsent(name, k -> new ArrayList<>()).add(r);
                }
            }
        });
        for (Map.Entry<String, Map<String, List<Run>>> e : byLoss.entrySet()) {
            List<ConvergencePlot.Series> observed = new ArrayList<>();
            List<ConvergencePlot.Series> bounds = new ArrayList<>();
            e.getValue().forEach((name, rs) -> {
                TreeMap<Integer, List<double[]>> gap = new TreeMap<>();
                TreeMap<Integer, List<double[]>> bound = new TreeMap<>();
                for (Run r : rs) {
                    double[] g = r.bestGap();
                    for (int t = 1; t < g.length; t++) {
                        gap.computeIfAbsent(t, k -> new ArrayList<>()).add(new double[] {t, g[t]});
                        if (r.bound() != null && t < r.bound().length && Double.isFinite(r.bound()[t])) {
                            bound.computeIfAbsent(t, k -> new ArrayList<>()).add(new double[] {t, r.bound()[t]});
                        }
                    }
                }
                String label = name.isEmpty() ? "run" : withoutLoss(name, e.getKey());
                observed.add(statistics(label, gap, rs.size() > 1));
                bounds.add(bound.isEmpty() ? null : statistics(label + " bound", bound, false));
            });
            String suffix = byLoss.size() > 1 || !e.getKey().isEmpty() ? "-" + e.getKey() : "";
            root.write(figure + "-gap" + suffix + ".png", ConvergencePlot.gapPng(root.name() + ": " + figure
                    + (e.getKey().isEmpty() ? "" : ", model.loss=" + e.getKey()),
                    "min over s < t of f(W_s) - f*", observed, bounds));
        }
        if (!byLoss.isEmpty()) {
            StringBuilder sb = new StringBuilder("| loss | series | runs | bound held "
                    + "| median best gap at T | min | max | median bound at T |\n"
                    + "|---|---|---|---|---|---|---|---|\n");
            byLoss.forEach((loss, series) -> series.forEach((name, rs) -> {
                double[] last = rs.stream().mapToDouble(r -> { double[] g = r.bestGap(); return g[g.length - 1]; }).toArray();
                double[] b = rs.stream().filter(r -> r.bound() != null)
                        .mapToDouble(r -> r.bound()[r.bound().length - 1]).toArray();
                long held = rs.stream().filter(r -> "true".equals(r.boundHeld())).count();
                long checked = rs.stream().filter(r -> !r.boundHeld().isEmpty()).count();
                sb.append("| ").append(loss).append(" | ").append(withoutLoss(name, loss)).append(" | ")
                        .append(rs.size()).append(" | ").append(checked == 0 ? "no bound" : held + " of " + checked).append(" | ")
                        .append(fmt(med(last))).append(" | ").append(fmt(Arrays.stream(last).min().orElse(Double.NaN)))
                        .append(" | ").append(fmt(Arrays.stream(last).max().orElse(Double.NaN))).append(" | ")
                        .append(b.length == 0 ? "" : fmt(med(b))).append(" |\n");
            }));
            root.writeText(figure + "-bounds.md", sb.toString());
        }
    }

    /**
     * A figure of final values (sweep.figure.NAME.x): per series (the case and the varied keys but x) and
     * summary.json field, the median and min-max over the seeds at each value of x, on log-log axes, with the
     * least-squares slope of log10(median) against log10(x) in the legend; the bound fields dashed. NAME.png, and
     * NAME.md with the numbers and the slopes.
     */
    static void finalFigure(RunFolder root, String name, SweepGrid.FinalFigure fig, List<Run> runs) {
        Map<String, Map<String, TreeMap<Double, List<Double>>>> values = finalValues(root, fig, runs);
        List<ConvergencePlot.Series> lines = new ArrayList<>();
        List<ConvergencePlot.Series> bounds = new ArrayList<>();
        StringBuilder table = new StringBuilder("| series | field | " + fig.x() + " | runs | median | min | max |\n"
                + "|---|---|---|---|---|---|---|\n");
        StringBuilder slopes = new StringBuilder("| series | field | slope of log10(median) against log10(" + fig.x()
                + ") |\n|---|---|---|\n");
        values.forEach((series, fields) -> fields.forEach((field, at) -> {
            ConvergencePlot.Series line = finalSeries((series.isEmpty() ? "" : series + ": ") + field, at);
            double slope = slope(line.rounds(), line.y());
            (fig.bounds().contains(field) ? bounds : lines).add(new ConvergencePlot.Series(line.name() + ", slope "
                    + String.format(java.util.Locale.ROOT, "%.2f", slope),
                    line.rounds(), line.epochs(), line.y(), line.lo(), line.hi()));
            at.forEach((x, v) -> {
                double[] a = v.stream().mapToDouble(Double::doubleValue).toArray();
                table.append("| ").append(series.isEmpty() ? "run" : series).append(" | ").append(field).append(" | ")
                        .append(x == Math.rint(x) ? Long.toString((long) (double) x) : fmt(x)).append(" | ")
                        .append(a.length).append(" | ").append(fmt(med(a))).append(" | ")
                        .append(fmt(Arrays.stream(a).min().orElse(Double.NaN))).append(" | ")
                        .append(fmt(Arrays.stream(a).max().orElse(Double.NaN))).append(" |\n");
            });
            slopes.append("| ").append(series.isEmpty() ? "run" : series).append(" | ").append(field).append(" | ")
                    .append(String.format(java.util.Locale.ROOT, "%.3f", slope)).append(" |\n");
        }));
        root.write(name + ".png", ConvergencePlot.againstKeyPng(root.name() + ": " + name, fig.x(),
                String.join(", ", fig.y()) + " at the end", lines, bounds));
        root.writeText(name + ".md", table.append('\n').append(slopes).toString());
    }

    /** series -> field -> x -> the field's values over the seeds (runs without the field left out). */
    private static Map<String, Map<String, TreeMap<Double, List<Double>>>> finalValues(RunFolder root,
            SweepGrid.FinalFigure fig, List<Run> runs) {
        Map<String, Map<String, TreeMap<Double, List<Double>>>> values = new LinkedHashMap<>();
        List<String> fields = new ArrayList<>(fig.y());
        fields.addAll(fig.bounds());
        for (Run r : runs) {
            if (!fig.cases().isEmpty() && !fig.cases().contains(r.point().caseName())) {
                continue;
            }
            JsonNode summary = JsonFiles.read(root.readText(r.folder() + "/" + RunFolder.SUMMARY), RunFolder.SUMMARY);
            double x = Double.parseDouble(r.point().varied().get(fig.x()));
            for (String field : fields) {
                if (summary.path(field).isNumber()) {
                    values.computeIfAbsent(r.point().seriesWithout(fig.x()), k -> new LinkedHashMap<>())
                            .computeIfAbsent(field, k -> new TreeMap<>())
                            .computeIfAbsent(x, k -> new ArrayList<>()).add(summary.get(field).asDouble());
                }
            }
        }
        return values;
    }

    /** The median and min-max over the seeds at each x (x in the series' rounds and epochs). */
    private static ConvergencePlot.Series finalSeries(String name, TreeMap<Double, List<Double>> at) {
        int n = at.size();
        double[] x = new double[n];
        double[] y = new double[n];
        double[] lo = new double[n];
        double[] hi = new double[n];
        int i = 0;
        for (Map.Entry<Double, List<Double>> e : at.entrySet()) {
            double[] v = e.getValue().stream().mapToDouble(Double::doubleValue).toArray();
            x[i] = e.getKey();
            y[i] = med(v);
            lo[i] = Arrays.stream(v).min().orElse(Double.NaN);
            hi[i] = Arrays.stream(v).max().orElse(Double.NaN);
            i++;
        }
        boolean band = at.values().stream().anyMatch(v -> v.size() > 1);
        return new ConvergencePlot.Series(name, x, x, y, band ? lo : null, band ? hi : null);
    }

    /** The least-squares slope of log10(y) against log10(x) over the points with both positive and finite. */
    static double slope(double[] x, double[] y) {
        double n = 0;
        double sx = 0;
        double sy = 0;
        double sxx = 0;
        double sxy = 0;
        for (int i = 0; i < x.length; i++) {
            if (x[i] > 0 && y[i] > 0 && Double.isFinite(x[i]) && Double.isFinite(y[i])) {
                double lx = Math.log10(x[i]);
                double ly = Math.log10(y[i]);
                n++;
                sx += lx;
                sy += ly;
                sxx += lx * lx;
                sxy += lx * ly;
            }
        }
        return (n * sxy - sx * sy) / (n * sxx - sx * sx);
    }

    /** Per series with a live bound: the bound's name, in how many runs it held, the median and largest ratio. */
    static String theoryTable(List<Run> runs) {
        Map<String, List<Run>> bySeries = new LinkedHashMap<>();
        for (Run r : runs) {
            if (!r.boundHeld().isEmpty()) {
                bySeries.computeIfAbsent(r.point().series(), k -> new ArrayList<>()).add(r);
            }
        }
        StringBuilder sb = new StringBuilder("| series | bound | held | median ratio | max ratio |\n|---|---|---|---|---|\n");
        long held = 0;
        long all = 0;
        for (Map.Entry<String, List<Run>> e : bySeries.entrySet()) {
            List<Run> rs = e.getValue();
            long h = rs.stream().filter(r -> "true".equals(r.boundHeld())).count();
            double[] ratio = rs.stream().mapToDouble(Run::boundRatio).toArray();
            held += h;
            all += rs.size();
            sb.append("| ").append(e.getKey()).append(" | ").append(rs.get(0).boundName()).append(" | ").append(h)
                    .append(" of ").append(rs.size()).append(" | ").append(fmt(med(ratio))).append(" | ")
                    .append(fmt(Arrays.stream(ratio).max().orElse(Double.NaN))).append(" |\n");
        }
        sb.append("| all | | ").append(held).append(" of ").append(all).append(" | | |\n");
        return sb.toString();
    }

    /** A series label without its model.loss setting (the figure or table row names the loss). */
    static String withoutLoss(String series, String loss) {
        return series.replaceAll("(^| )(model\\.)?loss=" + java.util.regex.Pattern.quote(loss) + "(?= |$)", "").trim();
    }

    private static String fmt(double v) {
        return String.format(java.util.Locale.ROOT, "%.3g", v);
    }

    static void write(RunFolder root, SweepGrid grid, List<Run> runs) {
        root.writeText("sweep.csv", csv(grid, runs));
        Map<String, List<String>> figures = grid.figures().isEmpty()
                ? Map.of("sweep", List.copyOf(new java.util.LinkedHashSet<>(
                        runs.stream().map(r -> r.point().caseName()).toList())))
                : grid.figures();
        for (Map.Entry<String, List<String>> f : figures.entrySet()) {
            List<ConvergencePlot.Series> series = new ArrayList<>();
            Map<String, List<Run>> bySeries = new LinkedHashMap<>();
            for (Run r : runs) {
                if (f.getValue().contains(r.point().caseName())) {
                    bySeries.computeIfAbsent(r.point().series(), k -> new ArrayList<>()).add(r);
                }
            }
            bySeries.forEach((name, rs) -> series.add(median(name.isEmpty() ? "run" : name, rs)));
            String title = grid.figures().isEmpty() ? root.name() : root.name() + ": " + f.getKey();
            root.write(f.getKey() + ".png", ConvergencePlot.png(title, "epoch", series));
            root.writeText(f.getKey() + "-curves.csv", curvesCsv(series));
            gapFigures(root, f.getKey(), bySeries);
            if (runs.stream().anyMatch(Run::classifier)) {
                List<ConvergencePlot.Series> acc = new ArrayList<>();
                bySeries.forEach((name, rs) -> acc.add(testAccuracy(name.isEmpty() ? "run" : name, rs)));
                double last = acc.stream().flatMapToDouble(a -> Arrays.stream(a.epochs())).max().orElse(0);
                root.write(f.getKey() + "-accuracy.png", ConvergencePlot.accuracyPng(title, "test accuracy", acc,
                        zoomFrom(last)));
                root.writeText(f.getKey() + "-accuracy.csv", curvesCsv(acc));
            }
        }
        grid.finalFigures().forEach((name, fig) -> finalFigure(root, name, fig, runs));
        if (runs.stream().anyMatch(Run::classifier)) {
            root.writeText("table.md", accuracyTable(runs));
        }
        if (runs.stream().anyMatch(r -> !r.boundHeld().isEmpty())) {
            root.writeText("theory.md", theoryTable(runs));
        }
    }

    /**
     * The final test accuracy per series, as the paper's Table 3 reports it: median and population standard
     * deviation over the seeds, with the min-max and the trainable parameters per round.
     */
    static String accuracyTable(List<Run> runs) {
        Map<String, List<Run>> bySeries = new LinkedHashMap<>();
        for (Run r : runs) {
            if (r.classifier()) {
                String name = r.point().series();
                bySeries.computeIfAbsent(name.isEmpty() ? "run" : name, k -> new ArrayList<>()).add(r);
            }
        }
        StringBuilder sb = new StringBuilder("| series | seeds | trainable parameters "
                + "| test accuracy (%), median ± std | min–max |\n");
        sb.append("|---|---|---|---|---|\n");
        bySeries.forEach((name, rs) -> {
            double[] acc = rs.stream().mapToDouble(r -> 100 * r.last().scores().testAccuracy()).toArray();
            double mean = Arrays.stream(acc).average().orElse(Double.NaN);
            double std = Math.sqrt(Arrays.stream(acc).map(a -> (a - mean) * (a - mean)).average().orElse(Double.NaN));
            double params = med(rs.stream().mapToDouble(Run::trainableParams).toArray());
            sb.append(String.format(java.util.Locale.ROOT, "| %s | %d | %.0f | %.2f ± %.2f | %.2f–%.2f |%n", name, acc.length,
                    params, med(acc), std, Arrays.stream(acc).min().orElse(Double.NaN),
                    Arrays.stream(acc).max().orElse(Double.NaN)));
        });
        return sb.toString();
    }

    /** The zoomed panel of an accuracy figure shows the last 40 % of the epochs (from epoch 30 of 50). */
    static double zoomFrom(double lastEpoch) {
        return Math.floor(0.6 * lastEpoch);
    }

    /**
     * The curves of a figure as a compact CSV (series, round, epoch, median, min, max; min and max empty
     * without a band): what the figure draws, small enough to keep beside it.
     */
    static String curvesCsv(List<ConvergencePlot.Series> series) {
        StringBuilder sb = new StringBuilder("series,round,epoch,median,min,max\n");
        for (ConvergencePlot.Series s : series) {
            for (int i = 0; i < s.y().length; i++) {
                sb.append(s.name().contains(",") ? '"' + s.name() + '"' : s.name()).append(',')
                        .append((long) s.rounds()[i]).append(',').append(s.epochs()[i]).append(',').append(s.y()[i])
                        .append(',').append(s.lo() == null ? "" : Double.toString(s.lo()[i]))
                        .append(',').append(s.hi() == null ? "" : Double.toString(s.hi()[i])).append('\n');
            }
        }
        return sb.toString();
    }

    /** Median and min-max of the test accuracy over the runs at every evaluation. */
    static ConvergencePlot.Series testAccuracy(String name, List<Run> runs) {
        TreeMap<Integer, List<double[]>> at = new TreeMap<>();
        for (Run r : runs) {
            for (RoundRecord rec : r.rows()) {
                if (Double.isFinite(rec.scores().testAccuracy())) {
                    at.computeIfAbsent(rec.round(), k -> new ArrayList<>())
                            .add(new double[] {rec.epoch(), rec.scores().testAccuracy()});
                }
            }
        }
        return statistics(name, at, runs.size() > 1);
    }

    static String csv(SweepGrid grid, List<Run> runs) {
        StringBuilder sb = new StringBuilder("run,case");
        for (String k : grid.variedKeys()) {
            sb.append(',').append(k);
        }
        sb.append(",seed,grad_norm_sq,rounds,epochs,wall_ms,converged,stop_reason\n");
        for (Run r : runs) {
            RoundRecord last = r.last();
            sb.append(r.folder()).append(',').append(r.point().caseName());
            for (String k : grid.variedKeys()) {
                sb.append(',').append(r.point().varied().getOrDefault(k, ""));
            }
            boolean converged = Double.isFinite(last.gradNormSq()) && last.gradNormSq() <= r.tol();
            sb.append(',').append(r.point().seed())
                    .append(',').append(last.gradNormSq())
                    .append(',').append(last.round())
                    .append(',').append(last.epoch())
                    .append(',').append(last.wallMs())
                    .append(',').append(converged)
                    .append(',').append(r.stopReason()).append('\n');
        }
        return sb.toString();
    }

    /** Median and min-max over the runs at every evaluated round. */
    static ConvergencePlot.Series median(String name, List<Run> runs) {
        TreeMap<Integer, List<double[]>> at = new TreeMap<>();
        for (Run r : runs) {
            for (RoundRecord rec : r.rows()) {
                if (Double.isFinite(rec.gradNormSq())) {
                    at.computeIfAbsent(rec.round(), k -> new ArrayList<>()).add(new double[] {rec.epoch(), rec.gradNormSq()});
                }
            }
        }
        return statistics(name, at, runs.size() > 1);
    }

    /** Per round: the median epoch, the median value and the min-max of the values ({epoch, value} pairs). */
    private static ConvergencePlot.Series statistics(String name, TreeMap<Integer, List<double[]>> at, boolean band) {
        int n = at.size();
        double[] rounds = new double[n];
        double[] epochs = new double[n];
        double[] y = new double[n];
        double[] lo = new double[n];
        double[] hi = new double[n];
        int i = 0;
        for (Map.Entry<Integer, List<double[]>> e : at.entrySet()) {
            double[] ep = e.getValue().stream().mapToDouble(v -> v[0]).toArray();
            double[] g = e.getValue().stream().mapToDouble(v -> v[1]).toArray();
            rounds[i] = e.getKey();
            epochs[i] = med(ep);
            y[i] = med(g);
            lo[i] = Arrays.stream(g).min().orElse(Double.NaN);
            hi[i] = Arrays.stream(g).max().orElse(Double.NaN);
            i++;
        }
        return new ConvergencePlot.Series(name, rounds, epochs, y, band ? lo : null, band ? hi : null);
    }

    static double med(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        int k = s.length;
        return k % 2 == 1 ? s[k / 2] : 0.5 * (s[k / 2 - 1] + s[k / 2]);
    }
}
