package org.blora.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

/** The log axis labels one tick per few decades, x labels stay short, and a figure renders. */
class ConvergencePlotTest {
    @Test
    void fewDecadesPerLabelWhateverTheRange() {
        // 1e-24 .. 1e20 (a diverged run next to converged ones) once had a label per decade: 45 labels.
        assertEquals(10, ConvergencePlot.decadesPerLabel(-24, 20));
        for (double[] r : new double[][] {{-24, 20}, {-12, 6}, {-1, 1}, {-300, 300}, {-15, -14}}) {
            double labels = (r[1] - r[0]) / ConvergencePlot.decadesPerLabel(r[0], r[1]) + 1;
            assertTrue(labels <= 8, labels + " labels for 1e" + r[0] + " .. 1e" + r[1]);
        }
        assertEquals(1, ConvergencePlot.decadesPerLabel(-3, 2));
        assertEquals(1, ConvergencePlot.decadesPerLabel(3, 3));
    }

    @Test
    void labelsArePlainNumbersWhereShortAndPowersOfTenElsewhere() {
        assertEquals("1e-12", ConvergencePlot.yLabel(-12));
        assertEquals("1", ConvergencePlot.yLabel(0));
        assertEquals("1e5", ConvergencePlot.yLabel(5));
        assertEquals("3.2e-13", ConvergencePlot.yLabel(-12.5));
        assertEquals("600", ConvergencePlot.yLabel(Math.log10(600)));
        assertEquals("630", ConvergencePlot.yLabel(2.8));
        assertEquals("250", ConvergencePlot.yLabel(2.4));
        assertEquals("0.4", ConvergencePlot.yLabel(Math.log10(0.4)));
        assertEquals("1000", ConvergencePlot.yLabel(3));
        assertEquals("0.01", ConvergencePlot.yLabel(-2));
        assertEquals("1e4", ConvergencePlot.yLabel(4));
        assertEquals("6e-3", ConvergencePlot.yLabel(Math.log10(0.006)));
        assertEquals("2.5e4", ConvergencePlot.yLabel(4.4));
    }

    @Test
    void xLabelsAreShort() {
        assertEquals("1092", ConvergencePlot.xLabel(1092));
        assertEquals("0.5", ConvergencePlot.xLabel(0.5));
        assertEquals("3.21e7", ConvergencePlot.xLabel(32079872));
    }

    @Test
    void aSweepFigureRenders() throws IOException {
        double[] r = {0, 1, 2, 3};
        double[] y = {1e3, 1e-3, 1e-9, 1e-15};
        List<ConvergencePlot.Series> series = List.of(
                new ConvergencePlot.Series("a", r, r, y, y, y),
                new ConvergencePlot.Series("b", r, r, new double[] {1, Double.NaN, 1e25, 0.5}, null, null));
        BufferedImage img = ImageIO.read(new ByteArrayInputStream(ConvergencePlot.png("t", "epoch", series)));
        assertEquals(1280, img.getWidth());
    }

    @Test
    void aFewDecadesAreLabelledAtOneTwoAndFive() {
        assertEquals("20", ConvergencePlot.yLabelOneTwoFive(1.3));
        assertEquals("50", ConvergencePlot.yLabelOneTwoFive(1.7));
        assertEquals("100", ConvergencePlot.yLabelOneTwoFive(2.0));
        assertEquals("2e-5", ConvergencePlot.yLabelOneTwoFive(-4.7));
        assertTrue(invisible(ConvergencePlot.yLabelOneTwoFive(1.1)));
        assertTrue(invisible(ConvergencePlot.yLabelOneTwoFive(1.5)));
        // Blank labels all differ, or XChart widens the step back to a decade.
        assertTrue(!ConvergencePlot.yLabelOneTwoFive(1.1).equals(ConvergencePlot.yLabelOneTwoFive(2.1)));
        // A noise floor near 19 from 6,000 (an SGD run): the fine labels, so 19 reads between 10 and 20.
        double[] r = {0, 1, 2, 3, 4};
        org.knowm.xchart.XYChart c = ConvergencePlot.chart("sgd", "round",
                List.of(new ConvergencePlot.Series("sgd", r, r, new double[] {6000, 600, 40, 19.2, 19}, null, null)), true);
        assertEquals("20", c.getStyler().getyAxisTickLabelsFormattingFunction().apply(Math.log10(20)));
        assertTrue(invisible(c.getStyler().getyAxisTickLabelsFormattingFunction().apply(1.4)));
    }

    private static boolean invisible(String label) {
        return label.replaceAll("[ \u200B\u200C]", "").isEmpty();
    }

    @Test
    void aBandFarBeyondTheMediansDoesNotSquashThem() {
        // LoRA on the counterexample: four seeds stall at 7.98, one diverges to 1e20; AsymmLoRA stalls near 17.
        double[] r = {0, 1, 2, 3};
        List<ConvergencePlot.Series> series = List.of(
                new ConvergencePlot.Series("lora", r, r, new double[] {100, 8, 7.98, 7.98},
                        new double[] {100, 8, 7.98, 7.98}, new double[] {100, 1e10, 1e20, 1e20}),
                new ConvergencePlot.Series("asymm", r, r, new double[] {100, 20, 16.9, 16.9},
                        new double[] {100, 10, 9.5, 9.5}, new double[] {100, 30, 22, 22}));
        org.knowm.xchart.XYChart c = ConvergencePlot.chart("stalls", "round", series, true);
        double top = c.getStyler().getYAxisMax();
        assertTrue(top <= 2 + ConvergencePlot.BAND_OVERHANG + 0.5, "axis top 1e" + top);
        assertTrue(c.getStyler().getYAxisMin() < Math.log10(7.98), "axis bottom 1e" + c.getStyler().getYAxisMin());
        for (double v : c.getSeriesMap().get("lora max").getYData()) {
            assertTrue(v <= top, "band drawn above the axis: 1e" + v);
        }
    }

    @Test
    void theZoomedAccuracyPanelSpansOnlyTheLastEpochs() throws IOException {
        double[] e = {0, 10, 20, 30, 40, 50};
        List<ConvergencePlot.Series> series = List.of(
                new ConvergencePlot.Series("fpft", e, e, new double[] {0.37, 0.97, 0.98, 0.983, 0.984, 0.984}, null, null),
                new ConvergencePlot.Series("rac", e, e, new double[] {0.37, 0.90, 0.95, 0.962, 0.965, 0.966},
                        new double[] {0.37, 0.88, 0.94, 0.958, 0.960, 0.961},
                        new double[] {0.37, 0.92, 0.96, 0.966, 0.968, 0.969}));
        org.knowm.xchart.XYChart zoom = ConvergencePlot.accuracyChart("t", "test accuracy", series, 30, 640);
        assertTrue(zoom.getStyler().getYAxisMin() > 0.95 && zoom.getStyler().getYAxisMin() < 0.958,
                "zoomed axis from " + zoom.getStyler().getYAxisMin());
        assertTrue(zoom.getStyler().getYAxisMax() > 0.984 && zoom.getStyler().getYAxisMax() < 0.99,
                "zoomed axis to " + zoom.getStyler().getYAxisMax());
        BufferedImage img = ImageIO.read(new ByteArrayInputStream(ConvergencePlot.accuracyPng("t", "test accuracy", series, 30)));
        assertEquals(1280, img.getWidth());
    }
}
