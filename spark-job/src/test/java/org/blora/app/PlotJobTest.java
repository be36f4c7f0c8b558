package org.blora.app;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.apache.hadoop.conf.Configuration;
import org.blora.config.TrainSpec;
import org.blora.core.objective.FStar;
import org.blora.core.theory.Measure;
import org.blora.core.train.RoundRecord;
import org.blora.io.ConvergencePlot;
import org.blora.io.JsonFiles;
import org.blora.io.MetricsCsv;
import org.blora.io.RunFolder;
import org.blora.io.RunOutputs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The plot job redraws convergence.png with the panel of the run's bound: the measure the live check computed,
 * recomputed from metrics.csv and summary.json, and the bound column; a run without a bound keeps its two panels.
 */
class PlotJobTest {
    @TempDir
    Path tmp;

    private static final List<RoundRecord> ROWS = TheoryCheckTest.lossRows(2.0, 1.0, 1.5, 0.6, 0.8);

    /** A lad run with the constant step, f* = 0.5 certified to 1e-3: its live check as the train job writes it. */
    private TheoryCheck.Result writeRunWithBound(Path dir) throws IOException {
        TrainSpec s = TheoryCheckTest.spec("model.loss=lad", "optim.step.rule=constant", "optim.step.size=0.1");
        ConvexFacts facts = new ConvexFacts(2.0, "given", new FStar(0.5, 1e-3, null, "given"), 3.0, "given");
        TheoryCheck.Result r = TheoryCheck.of(s, s.chainSpec(100), TheoryCheckTest.W, 0.1, Double.NaN, facts, null, ROWS);
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("metrics.csv"), MetricsCsv.render(ROWS, r.perRow(), r.name()));
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("f_star", 0.5);
        summary.put("f_star_accuracy", 1e-3);
        summary.put("bound_name", r.name());
        summary.put("bound_measure", r.bound().measure().description);
        Files.writeString(dir.resolve(RunFolder.SUMMARY), JsonFiles.render(summary));
        return r;
    }

    private static int height(Path png) throws IOException {
        BufferedImage img = ImageIO.read(new ByteArrayInputStream(Files.readAllBytes(png)));
        return img.getHeight();
    }

    @Test
    void aRunWithABoundGetsThePanelOfItsMeasureAndBound() throws IOException {
        Path dir = tmp.resolve("lad");
        TheoryCheck.Result live = writeRunWithBound(dir);
        RunFolder folder = new RunFolder(dir.toString(), new Configuration());
        String metrics = Files.readString(dir.resolve("metrics.csv"));
        RunOutputs.BoundColumn bound = PlotJob.bound(folder, metrics, MetricsCsv.parse(metrics));
        assertEquals(Measure.GAP_BEST, bound.measure());
        // min over s < t of f(W_s) minus (f* - accuracy), as the live check measured it: 2 - 0.499, 1 - 0.499, ...
        assertArrayEquals(live.measured(), bound.measured(), 0.0);
        assertEquals(1.0 - 0.499, bound.measured()[2], 1e-15);
        assertEquals(0.6 - 0.499, bound.measured()[4], 1e-15);

        ConvergencePlot.BoundPanel panel = RunOutputs.boundPanel(MetricsCsv.parse(metrics), bound);
        assertEquals(Measure.GAP_BEST.description, panel.measure());
        assertArrayEquals(live.measured(), panel.measured().y(), 0.0);
        assertEquals("subgrad-const-best; f* certified to 1.0e-03", panel.bound().name());
        assertArrayEquals(live.perRow(), panel.bound().y(), 0.0);
        assertTrue(panel.measured().y()[4] < panel.bound().y()[4], "the observed curve lies under the bound here");

        PlotJob.run(dir.toString());
        assertEquals(TWO_PANELS + 440, height(dir.resolve("convergence.png")), "two panels and the bound's panel below");
    }

    @Test
    void aRunWithoutABoundKeepsItsTwoPanels() throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("plain"));
        Files.writeString(dir.resolve("metrics.csv"), MetricsCsv.render(ROWS));
        Files.writeString(dir.resolve(RunFolder.SUMMARY), JsonFiles.render(Map.of("loss", 0.6)));
        RunFolder folder = new RunFolder(dir.toString(), new Configuration());
        String metrics = Files.readString(dir.resolve("metrics.csv"));
        RunOutputs.BoundColumn bound = PlotJob.bound(folder, metrics, MetricsCsv.parse(metrics));
        assertSame(RunOutputs.BoundColumn.NONE, bound);
        assertNull(RunOutputs.boundPanel(ROWS, bound));
        PlotJob.run(dir.toString());
        assertEquals(TWO_PANELS, height(dir.resolve("convergence.png")));
    }

    /** The height of the two ||grad f||^2 panels of these rows: 440, and 200 more for the 1-2-5 ticks of a few decades. */
    private static final int TWO_PANELS = 640;
}
