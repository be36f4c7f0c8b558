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
}
