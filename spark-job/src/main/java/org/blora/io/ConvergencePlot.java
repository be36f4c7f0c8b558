package org.blora.io;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.lines.SeriesLines;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * convergence.png: ||grad f||^2 on a log scale against rounds (left) and against epochs or bits (right), one
 * line per series; a run has one series, a sweep one per method (median over seeds, with a min-max band drawn
 * as two thin lines in the series' colour). Every series has its own colour and line style, so curves that
 * overlap stay apart in print. The y values are drawn as log10 on a linear axis, so the labels can be thinned
 * to one per few decades.
 */
public final class ConvergencePlot {
    /** One curve: x values for both panels and y. Band arrays may be null. */
    public record Series(String name, double[] rounds, double[] epochs, double[] y, double[] lo, double[] hi) {
    }

    /** Okabe-Ito's colour-blind safe palette (black last: it is the band-free reference colour of many plots). */
    private static final Color[] COLOURS = {new Color(0x0072B2), new Color(0xD55E00), new Color(0x009E73),
        new Color(0xCC79A7), new Color(0xE69F00), new Color(0x56B4E9), new Color(0xF0E442), new Color(0x000000)};
    private static final BasicStroke[] STYLES = {SeriesLines.SOLID, SeriesLines.DASH_DASH, SeriesLines.DOT_DOT,
        SeriesLines.DASH_DOT};
    /** At most this many labelled ticks on the log axis. */
    private static final int MAX_Y_LABELS = 8;
    /** The height of a panel's plot area, in pixels, that XChart spreads the y ticks over (about). */
    private static final double Y_TICK_SPACE = 300;

    private ConvergencePlot() {
    }

    public static byte[] png(String title, String rightAxis, List<Series> series) {
        return png(title, rightAxis, series, null);
    }

    /**
     * The same two panels, and below them, when {@code bound} is not null, a theorem's bound against what it
     * bounds on log-log axes ({@link #gapPng}'s drawing): the measured quantity solid, the bound dashed, named
     * by the legend.
     */
    public static byte[] png(String title, String rightAxis, List<Series> series, BoundPanel bound) {
        BufferedImage a = BitmapEncoder.getBufferedImage(chart(title, "round", series, true));
        BufferedImage b = BitmapEncoder.getBufferedImage(chart(title, rightAxis, series, false));
        int width = a.getWidth() + b.getWidth();
        int top = Math.max(a.getHeight(), b.getHeight());
        BufferedImage c = bound == null ? null : BitmapEncoder.getBufferedImage(logLogChart(title + ": the theorem's bound",
                "round t (log scale)", bound.measure(), List.of(bound.measured()), List.of(bound.bound()), width, 440));
        BufferedImage all = new BufferedImage(width, top + (c == null ? 0 : c.getHeight()), BufferedImage.TYPE_INT_RGB);
        Graphics2D g = all.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, all.getWidth(), all.getHeight());
        g.drawImage(a, 0, 0, null);
        g.drawImage(b, a.getWidth(), 0, null);
        if (c != null) {
            g.drawImage(c, 0, top, null);
        }
        g.dispose();
        return encode(all);
    }

    /** A run's bound panel: the measure's description (the y axis), the measured curve and the bound's curve. */
    public record BoundPanel(String measure, Series measured, Series bound) {
    }

    private static byte[] encode(BufferedImage img) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            ImageIO.write(img, "png", out);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return out.toByteArray();
    }

    static XYChart chart(String title, String xLabel, List<Series> series, boolean byRound) {
        // A panel of a few decades has a tick every tenth of a decade, which needs the height to stay legible.
        double[] range = medianRange(series, byRound);
        boolean fine = range[1] - range[0] <= FINE_DECADES;
        XYChart c = styled(new XYChartBuilder().width(640).height((series.size() > 1 ? 480 : 440) + (fine ? 200 : 0))
                .title(title).xAxisTitle(xLabel).yAxisTitle("||grad f||^2").build(), series.size());
        double lowest = Double.POSITIVE_INFINITY;
        double highest = Double.NEGATIVE_INFINITY;
        double medianLowest = Double.POSITIVE_INFINITY;
        double medianHighest = Double.NEGATIVE_INFINITY;
        int k = 0;
        double[] firstTwo = null;
        for (Series s : series) {
            double[] xs = byRound ? s.rounds() : s.epochs();
            Filtered f = positive(xs, s.y(), s.lo(), s.hi());
            if (f.x.length == 0) {
                continue;
            }
            Color colour = COLOURS[k % COLOURS.length];
            BasicStroke style = STYLES[(k / COLOURS.length + k) % STYLES.length];
            k++;
            if (firstTwo == null && f.x.length > 1) {
                firstTwo = new double[] {f.x[0], f.x[1], f.y[0]};
            }
            XYSeries line = c.addSeries(s.name(), f.x, f.y);
            line.setMarker(SeriesMarkers.NONE);
            line.setLineColor(colour);
            line.setLineStyle(style);
            line.setLineWidth(2f);
            for (double v : f.y) {
                lowest = Math.min(lowest, v);
                highest = Math.max(highest, v);
                medianLowest = Math.min(medianLowest, v);
                medianHighest = Math.max(medianHighest, v);
            }
            if (f.lo != null) {
                Color faint = new Color(colour.getRed(), colour.getGreen(), colour.getBlue(), 110);
                for (double[] edge : new double[][] {f.lo, f.hi}) {
                    XYSeries band = c.addSeries(s.name() + (edge == f.lo ? " min" : " max"), f.x, edge);
                    band.setMarker(SeriesMarkers.NONE);
                    band.setLineColor(faint);
                    band.setLineStyle(SeriesLines.SOLID);
                    band.setLineWidth(0.6f);
                    band.setShowInLegend(false);
                    for (double v : edge) {
                        lowest = Math.min(lowest, v);
                        highest = Math.max(highest, v);
                    }
                }
            }
        }
        if (firstTwo != null) {
            // XChart puts x ticks on data points when every x value is equally spaced, ignoring the tick spacing
            // (labels then run into each other, one per 49 rounds): an invisible point between the first two
            // x values makes it choose round numbers instead.
            double[] between = {(firstTwo[0] + firstTwo[1]) / 2};
            XYSeries anchor = c.addSeries(" ", between, new double[] {firstTwo[2]});
            anchor.setMarker(SeriesMarkers.NONE);
            anchor.setLineStyle(SeriesLines.NONE);
            anchor.setShowInLegend(false);
        }
        // The axis spans the medians; a band (one seed of several) reaching decades beyond them would squash the
        // medians into a few pixels, so it may leave the axis by at most BAND_OVERHANG decades, where it is cut.
        if (medianLowest <= medianHighest) {
            lowest = Math.max(lowest, medianLowest - BAND_OVERHANG);
            highest = Math.min(highest, medianHighest + BAND_OVERHANG);
            double pad = Math.max(0.05, 0.03 * (highest - lowest));
            c.getStyler().setYAxisMin(lowest - pad);
            c.getStyler().setYAxisMax(highest + pad);
            for (XYSeries s : c.getSeriesMap().values()) {
                clamp(s, lowest - pad, highest + pad);
            }
        }
        double span = highest - lowest;
        if (span > 0 && fine && span <= FINE_DECADES) {
            // A few decades (a noise floor, a plateau): ticks every tenth of a decade, labelled at 1, 2 and 5 times
            // a power of ten (10^0.3 = 1.995, 10^0.7 = 5.01), so a floor near 19 reads between 10 and 20.
            // The ends on labelled values: XChart draws a single tick when the labels of the two ends are equal.
            double bottom = oneTwoFive(lowest, false);
            double top = oneTwoFive(highest, true);
            c.getStyler().setYAxisMin(bottom);
            c.getStyler().setYAxisMax(top > bottom ? top : oneTwoFive(bottom + 0.05, true));
            c.getStyler().setYAxisTickMarkSpacingHint((int) Math.max(4, Math.round(Y_TICK_SPACE * 0.1 / (top - bottom))));
            c.getStyler().setyAxisTickLabelsFormattingFunction(ConvergencePlot::yLabelOneTwoFive);
            return c;
        }
        // XChart spaces ticks by a pixel hint and rounds the step to 1, 2, 5, 10...: a hint of "every" decades.
        if (span > 0) {
            int every = decadesPerLabel(lowest, highest);
            // At most half the panel per tick: a wider hint over less than two decades rounds the step up past
            // the range, and the axis had no label at all.
            c.getStyler().setYAxisTickMarkSpacingHint((int) Math.max(20, Math.min(Y_TICK_SPACE / 2,
                    Math.round(Y_TICK_SPACE * every / span))));
        }
        c.getStyler().setyAxisTickLabelsFormattingFunction(ConvergencePlot::yLabel);
        return c;
    }

    /** The lowest and highest log10 of the series' drawn values (the medians, not the bands). */
    private static double[] medianRange(List<Series> series, boolean byRound) {
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (Series s : series) {
            for (double v : positive(byRound ? s.rounds() : s.epochs(), s.y(), null, null).y) {
                lo = Math.min(lo, v);
                hi = Math.max(hi, v);
            }
        }
        return new double[] {lo, hi};
    }

    /** Decades a min-max band may reach beyond the medians' range before the axis cuts it. */
    static final double BAND_OVERHANG = 3;
    /** Up to this many decades the log axis is labelled at 1, 2 and 5 times the powers of ten. */
    static final double FINE_DECADES = 3.5;

    /** Keeps a drawn line inside [lo, hi] (XChart does not clip lines to the plot area). */
    private static void clamp(XYSeries s, double lo, double hi) {
        double[] y = s.getYData().clone();
        boolean changed = false;
        for (int i = 0; i < y.length; i++) {
            double v = Math.max(lo, Math.min(hi, y[i]));
            changed |= v != y[i];
            y[i] = v;
        }
        if (changed) {
            s.replaceData(s.getXData(), y, null);
        }
    }

    /** The log10 of the nearest 1, 2 or 5 times a power of ten below (or above) log10. */
    static double oneTwoFive(double log10, boolean up) {
        double decade = Math.floor(log10);
        double best = up ? decade + 1 : decade;
        for (double m : new double[] {0, Math.log10(2), Math.log10(5), 1}) {
            double v = decade + m;
            if (up ? v >= log10 - 1e-9 && v < best : v <= log10 + 1e-9 && v > best) {
                best = v;
            }
        }
        return best;
    }

    /**
     * A tick of the fine log axis: labelled (as {@link #yLabel}) when it stands for 1, 2 or 5 times a power of
     * ten, blank otherwise.
     */
    static String yLabelOneTwoFive(double log10) {
        double mantissa = log10 - Math.floor(log10 + 1e-9);
        for (double m : new double[] {0, Math.log10(2), Math.log10(5), 1}) {
            if (Math.abs(mantissa - m) < 0.02) {
                return yLabel(Math.floor(log10 + 1e-9) + m);
            }
        }
        // Blank, but not "" and never twice the same: XChart takes equal labels for a step finer than the format
        // and widens the step until they all differ (to a decade, here). A space and the tick's tenth of a decade
        // written in zero-width characters.
        long tenth = Math.round(10 * log10) + (1L << 20);
        StringBuilder blank = new StringBuilder(" ");
        for (; tenth > 0; tenth >>= 1) {
            blank.append((tenth & 1) == 0 ? '\u200B' : '\u200C');
        }
        return blank.toString();
    }

    /**
     * The convex theorems' figure: the measured gap (e.g. min over s < t of f(W_s) - f*) against the round t, both
     * axes log10, so an O(1/sqrt(t)) rate is a line of slope -1/2; one line (median, min-max band) per series, and
     * each series' bound, where given, dashed in the series' colour. {@code bounds} is parallel to
     * {@code observed} (null entries: no bound).
     */
    public static byte[] gapPng(String title, String yAxis, List<Series> observed, List<Series> bounds) {
        return encode(BitmapEncoder.getBufferedImage(logLogChart(title, "round t (log scale)", yAxis, observed, bounds,
                1000, 560)));
    }

    /**
     * Both axes log10 (x values below 1 dropped): one line per observed series with its min-max band, and the
     * series' bound dashed in its colour; with a single series the bound is black and labelled by its own name.
     */
    static XYChart logLogChart(String title, String xAxis, String yAxis, List<Series> observed, List<Series> bounds,
                               int width, int height) {
        XYChart c = styled(new XYChartBuilder().width(width).height(height).title(title)
                .xAxisTitle(xAxis).yAxisTitle(yAxis).build(), observed.size());
        c.getStyler().setLegendVisible(true);
        c.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
        c.getStyler().setLegendLayout(Styler.LegendLayout.Vertical);
        int k = 0;
        boolean boundInLegend = false;
        for (int i = 0; i < observed.size(); i++) {
            Series s = observed.get(i);
            Filtered f = positive(s.rounds(), s.y(), s.lo(), s.hi());
            double[] lx = log10Positive(f.x);
            if (lx.length == 0) {
                continue;
            }
            Color colour = COLOURS[k % COLOURS.length];
            BasicStroke style = STYLES[(k / COLOURS.length + k) % STYLES.length];
            k++;
            XYSeries line = c.addSeries(s.name(), lx, tail(f.y, lx.length));
            line.setMarker(SeriesMarkers.NONE);
            line.setLineColor(colour);
            line.setLineStyle(style);
            line.setLineWidth(2f);
            if (f.lo != null) {
                Color faint = new Color(colour.getRed(), colour.getGreen(), colour.getBlue(), 110);
                for (double[] edge : new double[][] {f.lo, f.hi}) {
                    XYSeries band = c.addSeries(s.name() + (edge == f.lo ? " min" : " max"), lx, tail(edge, lx.length));
                    band.setMarker(SeriesMarkers.NONE);
                    band.setLineColor(faint);
                    band.setLineStyle(SeriesLines.SOLID);
                    band.setLineWidth(0.6f);
                    band.setShowInLegend(false);
                }
            }
            Series b = bounds.get(i);
            if (b != null) {
                Filtered fb = positive(b.rounds(), b.y(), null, null);
                double[] bx = log10Positive(fb.x);
                if (bx.length > 0) {
                    XYSeries bl = c.addSeries(observed.size() == 1 ? b.name()
                            : boundInLegend ? s.name() + " bound" : "bound (dashed, colour of its series)",
                            bx, tail(fb.y, bx.length));
                    bl.setMarker(SeriesMarkers.NONE);
                    // One series (a single run): the bound in black, so it never reads as the measured line.
                    bl.setLineColor(observed.size() == 1 ? Color.BLACK : colour);
                    bl.setLineStyle(SeriesLines.DASH_DASH);
                    bl.setLineWidth(1.2f);
                    bl.setShowInLegend(!boundInLegend);
                    boundInLegend = true;
                }
            }
        }
        c.getStyler().setyAxisTickLabelsFormattingFunction(ConvergencePlot::yLabel);
        c.getStyler().setxAxisTickLabelsFormattingFunction(v -> Long.toString(Math.round(Math.pow(10, v))));
        return c;
    }

    /**
     * Final values against a swept key (sweep.figure.NAME.x), both axes log10: each line with a marker at every
     * value and its min-max band, each bound dashed in black; every line and bound named in the legend.
     */
    public static byte[] againstKeyPng(String title, String xAxis, String yAxis, List<Series> lines, List<Series> bounds) {
        XYChart c = logLogChart(title, xAxis + " (log scale)", yAxis, lines,
                new ArrayList<>(java.util.Collections.nCopies(lines.size(), (Series) null)), 1000, 560);
        c.getStyler().setMarkerSize(7);
        // Ticks fall at 10^(k/5) and the like: two significant digits (398 -> 400) read as the values swept.
        c.getStyler().setxAxisTickLabelsFormattingFunction(v -> new java.math.BigDecimal(Math.pow(10, v))
                .round(new java.math.MathContext(2)).stripTrailingZeros().toPlainString());
        for (Series s : lines) {
            XYSeries line = c.getSeriesMap().get(s.name());
            if (line != null) {
                line.setMarker(SeriesMarkers.CIRCLE);
                line.setMarkerColor(line.getLineColor());
            }
        }
        for (Series b : bounds) {
            Filtered fb = positive(b.rounds(), b.y(), null, null);
            double[] bx = log10Positive(fb.x);
            if (bx.length > 0) {
                XYSeries bl = c.addSeries(b.name(), bx, tail(fb.y, bx.length));
                bl.setMarker(SeriesMarkers.NONE);
                bl.setLineColor(Color.BLACK);
                bl.setLineStyle(SeriesLines.DASH_DASH);
                bl.setLineWidth(1.2f);
            }
        }
        return encode(BitmapEncoder.getBufferedImage(c));
    }

    /** log10 of the x values >= 1 (round 0 has no place on a log axis); the last ones, aligned with {@link #tail}. */
    private static double[] log10Positive(double[] x) {
        return java.util.Arrays.stream(x).filter(v -> v >= 1).map(Math::log10).toArray();
    }

    /** The last n values of v (x values below 1 are dropped at the front, as rounds are increasing). */
    private static double[] tail(double[] v, int n) {
        return java.util.Arrays.copyOfRange(v, v.length - n, v.length);
    }

    /**
     * Accuracy against epochs on a linear axis (classifier runs and sweeps): one panel, the same colours, line
     * styles and min-max bands as {@link #png}.
     */
    public static byte[] accuracyPng(String title, String yAxis, List<Series> series) {
        return encode(BitmapEncoder.getBufferedImage(accuracyChart(title, yAxis, series, 0, 720)));
    }

    /**
     * The same accuracy panel, and beside it the last epochs zoomed in (from {@code zoomFrom} on, the y axis
     * spanning only what is drawn there): the differences of a few tenths of a point at the end, which the full
     * range from the first epoch squashes into a pixel or two.
     */
    public static byte[] accuracyPng(String title, String yAxis, List<Series> series, double zoomFrom) {
        BufferedImage a = BitmapEncoder.getBufferedImage(accuracyChart(title, yAxis, series, 0, 640));
        BufferedImage b = BitmapEncoder.getBufferedImage(accuracyChart(title + ", from epoch "
                + xLabel(zoomFrom), yAxis, series, zoomFrom, 640));
        BufferedImage all = new BufferedImage(a.getWidth() + b.getWidth(), Math.max(a.getHeight(), b.getHeight()),
                BufferedImage.TYPE_INT_RGB);
        Graphics2D g = all.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, all.getWidth(), all.getHeight());
        g.drawImage(a, 0, 0, null);
        g.drawImage(b, a.getWidth(), 0, null);
        g.dispose();
        return encode(all);
    }

    /** The accuracy panel of the points with epoch >= from (all of them for from = 0). */
    static XYChart accuracyChart(String title, String yAxis, List<Series> series, double from, int width) {
        XYChart c = styled(new XYChartBuilder().width(width).height(series.size() > 1 ? 500 : 460).title(title)
                .xAxisTitle("epoch").yAxisTitle(yAxis).build(), series.size());
        double lowest = Double.POSITIVE_INFINITY;
        double highest = Double.NEGATIVE_INFINITY;
        int k = 0;
        for (Series s : series) {
            Color colour = COLOURS[k % COLOURS.length];
            BasicStroke style = STYLES[(k / COLOURS.length + k) % STYLES.length];
            k++;
            int first = 0;
            while (first < s.epochs().length && s.epochs()[first] < from) {
                first++;
            }
            if (first == s.epochs().length) {
                continue;
            }
            double[] x = java.util.Arrays.copyOfRange(s.epochs(), first, s.epochs().length);
            double[] y = java.util.Arrays.copyOfRange(s.y(), first, s.y().length);
            XYSeries line = c.addSeries(s.name(), x, y);
            line.setMarker(SeriesMarkers.NONE);
            line.setLineColor(colour);
            line.setLineStyle(style);
            line.setLineWidth(2f);
            for (double[] v : s.lo() == null ? new double[][] {y}
                    : new double[][] {y, java.util.Arrays.copyOfRange(s.lo(), first, s.lo().length),
                        java.util.Arrays.copyOfRange(s.hi(), first, s.hi().length)}) {
                for (double e : v) {
                    if (Double.isFinite(e)) {
                        lowest = Math.min(lowest, e);
                        highest = Math.max(highest, e);
                    }
                }
            }
            if (s.lo() != null) {
                Color faint = new Color(colour.getRed(), colour.getGreen(), colour.getBlue(), 110);
                for (double[] edge : new double[][] {s.lo(), s.hi()}) {
                    XYSeries band = c.addSeries(s.name() + (edge == s.lo() ? " min" : " max"), x,
                            java.util.Arrays.copyOfRange(edge, first, edge.length));
                    band.setMarker(SeriesMarkers.NONE);
                    band.setLineColor(faint);
                    band.setLineStyle(SeriesLines.SOLID);
                    band.setLineWidth(0.6f);
                    band.setShowInLegend(false);
                }
            }
        }
        if (from > 0 && lowest < highest) {
            double pad = 0.04 * (highest - lowest);
            c.getStyler().setYAxisMin(lowest - pad);
            c.getStyler().setYAxisMax(highest + pad);
        }
        // Three decimals name a tenth of a point of accuracy; four where the zoomed range is narrower than 0.02.
        String format = from > 0 && highest - lowest < 0.02 ? "%.4f" : "%.3f";
        c.getStyler().setyAxisTickLabelsFormattingFunction(v -> String.format(Locale.ROOT, format, v));
        return c;
    }

    /** The look every figure shares; a legend of several series goes below the plot, so those figures are taller. */
    private static XYChart styled(XYChart c, int series) {
        c.getStyler().setLegendVisible(series > 1);
        c.getStyler().setLegendPosition(Styler.LegendPosition.OutsideS);
        c.getStyler().setLegendLayout(Styler.LegendLayout.Horizontal);
        c.getStyler().setLegendSeriesLineLength(36);
        c.getStyler().setMarkerSize(0);
        c.getStyler().setChartBackgroundColor(Color.WHITE);
        c.getStyler().setPlotGridLinesVisible(true);
        c.getStyler().setxAxisTickLabelsFormattingFunction(ConvergencePlot::xLabel);
        return c;
    }

    /** Decades between labels on the log axis: 1, 2, 5, 10, ... so that at most {@link #MAX_Y_LABELS} show. */
    static int decadesPerLabel(double lowestLog10, double highestLog10) {
        double span = highestLog10 - lowestLog10;
        if (!(span > 0)) {
            return 1;
        }
        for (int every : new int[] {1, 2, 5, 10, 20, 50, 100}) {
            if (span / every <= MAX_Y_LABELS - 1) {
                return every;
            }
        }
        return 100;
    }

    /** A log10 tick as the power of ten it stands for: 1e-12 for a whole decade, 3e-13 between decades. */
    static String yLabel(double log10) {
        // A tick between decades sits where the chart put it (e.g. 10^2.8 = 631): two significant digits name it
        // to within 1 %, where one digit would call 251 "300".
        double v = Math.pow(10, log10);
        if (v >= 1e-2 && v < 1e4) {
            // Plain numbers where they are short (0.04, 0.63, 2.5, 40, 630, 1000).
            return new java.math.BigDecimal(v).round(new java.math.MathContext(2)).stripTrailingZeros().toPlainString();
        }
        long d = Math.round(log10);
        if (Math.abs(log10 - d) > 1e-9) {
            String text = String.format(Locale.ROOT, "%.1e", Math.pow(10, log10)).replace(".0e", "e");
            return text.replace("e-0", "e-").replace("e+0", "e").replace("e+", "e");
        }
        return d == 0 ? "1" : "1e" + d;
    }

    /** Whole numbers without grouping (rounds), large ones in engineering form (bits), fractions with one digit. */
    static String xLabel(double v) {
        if (Math.abs(v) >= 1e6) {
            return String.format(Locale.ROOT, "%.3g", v).replace("e+0", "e").replace("e+", "e");
        }
        return v == Math.rint(v) ? Long.toString((long) v) : String.format(Locale.ROOT, "%.1f", v);
    }

    private record Filtered(double[] x, double[] y, double[] lo, double[] hi) {
    }

    /** Values above this are a divergence on their way to overflow; drawing them would squash every other curve. */
    static final double MAX_SHOWN = 1e20;

    /**
     * Drops rows that were not evaluated (NaN), are not positive (log axis), or exceed {@link #MAX_SHOWN}; the
     * y values (and band) returned are log10.
     */
    private static Filtered positive(double[] x, double[] y, double[] lo, double[] hi) {
        List<Integer> keep = new ArrayList<>();
        for (int i = 0; i < y.length; i++) {
            if (Double.isFinite(y[i]) && y[i] > 0 && y[i] <= MAX_SHOWN && Double.isFinite(x[i])) {
                keep.add(i);
            }
        }
        double[] fx = new double[keep.size()];
        double[] fy = new double[keep.size()];
        double[] flo = lo == null ? null : new double[keep.size()];
        double[] fhi = hi == null ? null : new double[keep.size()];
        for (int k = 0; k < keep.size(); k++) {
            int i = keep.get(k);
            fx[k] = x[i];
            fy[k] = Math.log10(y[i]);
            if (flo != null) {
                flo[k] = Math.log10(Math.min(Math.max(lo[i], Double.MIN_NORMAL), MAX_SHOWN));
                fhi[k] = Math.log10(Math.min(Math.max(hi[i], Double.MIN_NORMAL), MAX_SHOWN));
            }
        }
        return new Filtered(fx, fy, flo, fhi);
    }

}
