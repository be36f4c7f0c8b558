package org.blora.app;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.blora.config.SweepGrid;
import org.blora.core.train.RoundRecord;
import org.blora.core.train.Scores;
import org.blora.io.ConvergencePlot;
import org.junit.jupiter.api.Test;

/** A classifier sweep's accuracy figure: its zoomed panel's first epoch and the compact per-epoch CSV beside it. */
class SweepAccuracyFigureTest {
    /** A run evaluated once per epoch (10 rounds each) with test accuracy base + epoch / 1000. */
    private static SweepReport.Run run(String series, long seed, double base, int epochs) {
        List<RoundRecord> rows = new ArrayList<>();
        for (int e = 0; e <= epochs; e++) {
            rows.add(new RoundRecord(10 * e, e, 0, 1.0, 1.0, 2e-4, "A", 0, 0, 0,
                    new Scores(0.5, 1.0, 0.5, 1.0, base + e / 1000.0)));
        }
        return new SweepReport.Run(new SweepGrid.Point(series, Map.of(), seed, Map.of()), "runs/" + series + seed, rows,
                0, "", 912);
    }

    @Test
    void theZoomedPanelShowsTheLast40PercentOfTheEpochs() {
        assertEquals(30, SweepReport.zoomFrom(50));
        assertEquals(6, SweepReport.zoomFrom(10));
    }

    @Test
    void theCurvesCsvHoldsTheMedianAndTheRangeOfEveryEpoch() {
        ConvergencePlot.Series rac = SweepReport.testAccuracy("rac", List.of(run("rac", 1, 0.90, 50),
                run("rac", 2, 0.92, 50), run("rac", 3, 0.97, 50)));
        ConvergencePlot.Series fpft = SweepReport.testAccuracy("fpft", List.of(run("fpft", 1, 0.95, 50)));
        String[] lines = SweepReport.curvesCsv(List.of(rac, fpft)).split("\n");
        assertEquals("series,round,epoch,median,min,max", lines[0]);
        assertEquals(1 + 51 + 51, lines.length);
        // Epoch 50 of rac: seeds at 0.95, 0.97, 1.02: median 0.97, range 0.95..1.02.
        String[] last = lines[51].split(",");
        assertEquals("rac", last[0]);
        assertEquals(500, Long.parseLong(last[1]));
        assertEquals(50.0, Double.parseDouble(last[2]));
        assertEquals(0.97, Double.parseDouble(last[3]), 1e-12);
        assertEquals(0.95, Double.parseDouble(last[4]), 1e-12);
        assertEquals(1.02, Double.parseDouble(last[5]), 1e-12);
        // One seed: no band, empty min and max.
        assertEquals("fpft,0,0.0,0.95,,", lines[52]);
    }
}
