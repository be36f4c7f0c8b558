package org.blora.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.blora.config.ConfigException;
import org.blora.config.SweepGrid;
import org.blora.core.train.RoundRecord;
import org.blora.io.JsonFiles;
import org.blora.io.RunFolder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * sweep.figure.NAME.x: final summary.json fields against a swept key, the median over the seeds per value, the
 * fitted log-log slope, and the keys' validation.
 */
class SweepFinalFigureTest {
    @TempDir
    Path tmp;

    private static final Map<String, String> KEYS = Map.of("sweep.seeds", "1,2,3", "sweep.grid.optim.rounds", "100,400,1600",
            "sweep.figure.rate.x", "optim.rounds", "sweep.figure.rate.y", "gap", "sweep.figure.rate.bound", "gap_bound");

    @Test
    void theKeysMakeAFigureOfFinalValuesInsteadOfCurves() {
        SweepGrid g = new SweepGrid(KEYS, "1");
        SweepGrid.FinalFigure f = g.finalFigures().get("rate");
        assertEquals("optim.rounds", f.x());
        assertEquals(List.of("gap"), f.y());
        assertEquals(List.of("gap_bound"), f.bounds());
        assertTrue(g.figures().isEmpty(), "no curve figure named rate");
        assertEquals(9, g.points().size());
        assertEquals("", g.points().get(0).seriesWithout("optim.rounds"));
        assertEquals("rounds=100", g.points().get(0).series());
    }

    @Test
    void theXAxisMustBeASweptKeyAndYNeedsX() {
        Map<String, String> notSwept = new java.util.HashMap<>(KEYS);
        notSwept.put("sweep.figure.rate.x", "lora.p");
        ConfigException e = assertThrows(ConfigException.class, () -> new SweepGrid(notSwept, "1"));
        assertTrue(e.getMessage().contains("the x axis must be a key the sweep varies"), e.getMessage());
        Map<String, String> noX = new java.util.HashMap<>(KEYS);
        noX.remove("sweep.figure.rate.x");
        e = assertThrows(ConfigException.class, () -> new SweepGrid(noX, "1"));
        assertTrue(e.getMessage().contains("needs sweep.figure.rate.x=KEY"), e.getMessage());
    }

    @Test
    void slopeIsTheLeastSquaresLineInLogLog() {
        assertEquals(-0.5, SweepReport.slope(new double[] {100, 400, 1600}, new double[] {1, 0.5, 0.25}), 1e-12);
        assertEquals(-1.0, SweepReport.slope(new double[] {1, 10, 100, 1000}, new double[] {1, 0.1, 0.01, Double.NaN}), 1e-12);
    }

    /**
     * Three seeds per T with gap = c_seed / sqrt(T) and a bound 4 / sqrt(T): the medians, min and max land in
     * rate.md with slope -0.5 for both, and rate.png is written.
     */
    @Test
    void theFigureHasTheMedianPerValueAndTheSlope() throws IOException {
        SweepGrid g = new SweepGrid(KEYS, "1");
        List<SweepReport.Run> runs = new ArrayList<>();
        for (SweepGrid.Point p : g.points()) {
            Path dir = Files.createDirectories(tmp.resolve("runs").resolve(p.folder()));
            double t = Double.parseDouble(p.varied().get("optim.rounds"));
            Files.writeString(dir.resolve(RunFolder.SUMMARY), JsonFiles.render(Map.of("gap", p.seed() / Math.sqrt(t),
                    "gap_bound", 4 / Math.sqrt(t))));
            runs.add(new SweepReport.Run(p, "runs/" + p.folder(), List.of(new RoundRecord(0, 0, 0, 1, 1, 0.1, "A", 0, 0, 0)),
                    0, "", 1));
        }
        RunFolder root = new RunFolder(tmp.toString(), new Configuration());
        SweepReport.finalFigure(root, "rate", g.finalFigures().get("rate"), runs);
        String md = Files.readString(tmp.resolve("rate.md"));
        assertTrue(md.contains("| run | gap | 400 | 3 | 0.100 | 0.0500 | 0.150 |"), md);
        assertTrue(md.contains("| run | gap | -0.500 |"), md);
        assertTrue(md.contains("| run | gap_bound | -0.500 |"), md);
        assertTrue(Files.size(tmp.resolve("rate.png")) > 1000);
    }
}
