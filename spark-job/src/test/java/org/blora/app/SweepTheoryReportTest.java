package org.blora.app;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.blora.config.SweepGrid;
import org.blora.core.train.RoundRecord;
import org.blora.io.ConvergencePlot;
import org.blora.io.MetricsCsv;
import org.junit.jupiter.api.Test;

/** The sweep's theory outputs: the best gap of a run, the bound column, the held-in-X-of-Y table, the log-log figure. */
class SweepTheoryReportTest {
    private static SweepReport.Run run(String series, long seed, String held, double ratio, double fStar, double... loss) {
        List<RoundRecord> rows = new ArrayList<>();
        for (int t = 0; t < loss.length; t++) {
            rows.add(new RoundRecord(t, t, 0, loss[t], 1.0, 0.1, "A", 0, 0, 0));
        }
        SweepGrid.Point p = new SweepGrid.Point(series, Map.of(), seed, Map.of("model.loss", "lad"));
        return new SweepReport.Run(p, "runs/x", rows, 0, "", 1, fStar, new double[] {Double.NaN, 9, 8, 7}, held,
                "subgrad-const-best", ratio);
    }

    @Test
    void bestGapIsTheRunningMinimumMinusFStar() {
        SweepReport.Run r = run("a", 1, "true", 0.5, 0.5, 2.0, 1.0, 1.5, 0.75);
        double[] g = r.bestGap();
        assertTrue(Double.isNaN(g[0]));
        assertArrayEquals(new double[] {1.5, 0.5, 0.5}, new double[] {g[1], g[2], g[3]}, 1e-15);
    }

    @Test
    void boundColumnIsReadByItsHeader() {
        String metrics = "round,loss,bound,bound_name\n0,1,,gd; f* >= 0 used\n1,1,2.5,gd; f* >= 0 used\n";
        double[] b = MetricsCsv.boundColumn(metrics);
        assertTrue(Double.isNaN(b[0]));
        assertEquals(2.5, b[1]);
        assertEquals("gd; f* >= 0 used", MetricsCsv.boundName(metrics));
        assertEquals(null, MetricsCsv.boundColumn("round,loss\n0,1\n"));
        assertEquals(null, MetricsCsv.boundName("round,loss\n0,1\n"));
    }

    @Test
    void theoryTableCountsHeldRunsPerSeries() {
        String t = SweepReport.theoryTable(List.of(run("a", 1, "true", 0.5, 0, 1, 1, 1, 1),
                run("a", 2, "false", 1.5, 0, 1, 1, 1, 1), run("b", 1, "true", 0.25, 0, 1, 1, 1, 1)));
        assertTrue(t.contains("| a | subgrad-const-best | 1 of 2 | 1.00 | 1.50 |"), t);
        assertTrue(t.contains("| all | | 2 of 3 |"), t);
    }

    @Test
    void gapFigureIsAPng() {
        ConvergencePlot.Series s = new ConvergencePlot.Series("a", new double[] {0, 1, 10, 100}, new double[4],
                new double[] {Double.NaN, 1, 0.3, 0.1}, null, null);
        ConvergencePlot.Series b = new ConvergencePlot.Series("a bound", new double[] {0, 1, 10, 100}, new double[4],
                new double[] {Double.NaN, 5, 1.6, 0.5}, null, null);
        java.util.List<ConvergencePlot.Series> bounds = new ArrayList<>();
        bounds.add(b);
        byte[] png = ConvergencePlot.gapPng("t", "gap", List.of(s), bounds);
        assertEquals((byte) 0x89, png[0]);
        assertEquals('P', png[1]);
    }

    @Test
    void seriesLabelsDropTheLossTheFigureNames() {
        assertEquals("const-r1 p=0.2", SweepReport.withoutLoss("const-r1 p=0.2 loss=lad", "lad"));
        assertEquals("const-c c=4", SweepReport.withoutLoss("const-c loss=hinge c=4", "hinge"));
        assertEquals("a loss=ladder", SweepReport.withoutLoss("a loss=ladder", "lad"));
    }
}
