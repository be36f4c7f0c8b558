package org.blora.io;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * convergence.png: log-scale ||grad f||^2 against rounds (left) and against epochs or bits (right), one line
 * per series; a run has one series, a sweep one per method (median over seeds, with a min-max band).
 */
public final class ConvergencePlot {
    /** One curve: x values for both panels and y. Band arrays may be null. */
    public record Series(String name, double[] rounds, double[] epochs, double[] y, double[] lo, double[] hi) {
    }

    private ConvergencePlot() {
    }

    public static byte[] png(String title, String rightAxis, List<Series> series) {
        XYChart left = chart(title, "round", series, true);
        XYChart right = chart(title, rightAxis, series, false);
        BufferedImage a = BitmapEncoder.getBufferedImage(left);
        BufferedImage b = BitmapEncoder.getBufferedImage(right);
        BufferedImage both = new BufferedImage(a.getWidth() + b.getWidth(), Math.max(a.getHeight(), b.getHeight()),
                BufferedImage.TYPE_INT_RGB);
        Graphics2D g = both.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, both.getWidth(), both.getHeight());
        g.drawImage(a, 0, 0, null);
        g.drawImage(b, a.getWidth(), 0, null);
        g.dispose();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            ImageIO.write(both, "png", out);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return out.toByteArray();
    }

    private static XYChart chart(String title, String xLabel, List<Series> series, boolean byRound) {
        XYChart c = new XYChartBuilder().width(640).height(440).title(title).xAxisTitle(xLabel)
                .yAxisTitle("||grad f||^2").build();
        c.getStyler().setYAxisLogarithmic(true);
        c.getStyler().setLegendVisible(series.size() > 1);
        c.getStyler().setMarkerSize(0);
        c.getStyler().setChartBackgroundColor(Color.WHITE);
        c.getStyler().setPlotGridLinesVisible(true);
        c.getStyler().setXAxisDecimalPattern("0.#");
        for (Series s : series) {
            double[] xs = byRound ? s.rounds() : s.epochs();
            Filtered f = positive(xs, s.y(), s.lo(), s.hi());
            if (f.x.length == 0) {
                continue;
            }
            XYSeries line = c.addSeries(s.name(), f.x, f.y);
            line.setMarker(SeriesMarkers.NONE);
            if (f.lo != null) {
                XYSeries lo = c.addSeries(s.name() + " min", f.x, f.lo);
                lo.setMarker(SeriesMarkers.NONE);
                lo.setLineColor(new Color(line.getLineColor() == null ? 0x888888 : line.getLineColor().getRGB() & 0xFFFFFF));
                lo.setShowInLegend(false);
                lo.setLineWidth(0.5f);
                XYSeries hi = c.addSeries(s.name() + " max", f.x, f.hi);
                hi.setMarker(SeriesMarkers.NONE);
                hi.setShowInLegend(false);
                hi.setLineWidth(0.5f);
            }
        }
        return c;
    }

    private record Filtered(double[] x, double[] y, double[] lo, double[] hi) {
    }

    /** Values above this are a divergence on their way to overflow; drawing them would squash every other curve. */
    static final double MAX_SHOWN = 1e20;

    /** Drops rows that were not evaluated (NaN), are not positive (log axis), or exceed {@link #MAX_SHOWN}. */
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
            fy[k] = y[i];
            if (flo != null) {
                flo[k] = Math.min(Math.max(lo[i], Double.MIN_NORMAL), MAX_SHOWN);
                fhi[k] = Math.min(Math.max(hi[i], Double.MIN_NORMAL), MAX_SHOWN);
            }
        }
        return new Filtered(fx, fy, flo, fhi);
    }

}
