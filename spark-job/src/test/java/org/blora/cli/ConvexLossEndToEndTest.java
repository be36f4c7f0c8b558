package org.blora.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.blora.io.Safetensors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * model.loss=lad and hinge through the command line on generated data: the subgradient runs write the live
 * convex bound (constant step and Polyak step), which holds, the best and average iterates, and f* with its origin.
 */
class ConvexLossEndToEndTest {
    @TempDir
    Path tmp;

    /** The run facts of config.properties (its "# key=value" lines). */
    private static Properties config(Path out) throws IOException {
        Properties p = new Properties();
        for (String line : Files.readAllLines(out.resolve("config.properties"))) {
            int eq = line.indexOf('=');
            if (line.startsWith("# ") && eq > 0) {
                p.setProperty(line.substring(2, eq), line.substring(eq + 1));
            }
        }
        return p;
    }

    @Test
    void ladWithTheTheoremsConstantStepWritesAHeldBound() throws IOException {
        Path out = tmp.resolve("lad");
        CliRunner.Result r = CliRunner.run(TrainEndToEndTest.args(out, "model.loss=lad", "data.rows=400", "data.features=16",
                "data.noise=0", "lora.rank=1", "optim.rounds=200", "run.seed=2"));
        assertEquals(0, r.exitCode(), r.err());
        JsonNode s = RunFiles.summary(out);
        assertTrue(s.get("bound_name").asText().startsWith("subgrad-const-best"), s.toString());
        assertTrue(s.get("bound_held").asBoolean(), s.toString());
        assertEquals(0.0, s.get("f_star").asDouble());
        assertTrue(s.get("average_iterate_bound_held").asBoolean(), s.toString());
        // The best iterate cannot be worse than W_0, and the bound column is filled from row 1 on.
        List<String> metrics = Files.readAllLines(out.resolve("metrics.csv"));
        assertTrue(metrics.get(0).endsWith(",bound,bound_name"), metrics.get(0));
        double f0 = Double.parseDouble(metrics.get(1).split(",")[3]);
        assertTrue(s.get("best_iterate_loss").asDouble() < f0, s.toString());
        assertFalse(metrics.get(2).split(",", -1)[metrics.get(0).split(",").length - 2].isEmpty(), metrics.get(2));
        Properties cfg = config(out);
        assertTrue(cfg.getProperty("step_rule").contains("R / (L0 sqrt(lambda_max T))"), cfg.getProperty("step_rule"));
        assertTrue(cfg.getProperty("f_star_how").contains("noiseless"), cfg.toString());
        Map<String, Safetensors.Tensor> it =
                Safetensors.read(Files.readAllBytes(out.resolve("adapter/iterates.safetensors")), "iterates");
        assertEquals(16, it.get("W.average").data().length);
        assertEquals(16, it.get("W.best").data().length);
        // convergence.png has the bound's panel (440 pixels) below the two panels of ||grad f||^2 (440 pixels, or 640
        // when they span a few decades, labelled at 1, 2 and 5).
        int height = javax.imageio.ImageIO.read(out.resolve("convergence.png").toFile()).getHeight();
        assertTrue(height == 440 + 440 || height == 640 + 440, "height " + height);
    }

    @Test
    void noisyLadWithPolyakAndAReferenceFStar() throws IOException {
        Path out = tmp.resolve("lad-polyak");
        CliRunner.Result r = CliRunner.run(TrainEndToEndTest.args(out, "model.loss=lad", "data.rows=300", "data.features=16",
                "data.noise=1", "lora.rank=2", "optim.step.rule=polyak", "optim.polyak.fstar=auto", "optim.rounds=200"));
        assertEquals(0, r.exitCode(), r.err());
        JsonNode s = RunFiles.summary(out);
        assertTrue(s.get("f_star").asDouble() > 0, s.toString());
        assertTrue(s.get("f_star_accuracy").asDouble() < 1e-9, s.toString());
        assertTrue(s.get("bound_name").asText().startsWith("subgrad-polyak-best"), s.toString());
        assertTrue(s.get("bound_name").asText().contains("R from the reference minimiser"), s.toString());
        assertTrue(s.get("bound_held").asBoolean(), s.toString());
        assertTrue(config(out).getProperty("f_star_how").contains("reference"), config(out).toString());
    }

    @Test
    void hingeOnSignLabelsWithPolyak() throws IOException {
        Path out = tmp.resolve("hinge");
        CliRunner.Result r = CliRunner.run(TrainEndToEndTest.args(out, "model.loss=hinge", "data.rows=400", "data.features=16",
                "lora.method=fpft", "optim.step.rule=polyak", "optim.polyak.fstar=auto", "optim.rounds=200"));
        assertEquals(0, r.exitCode(), r.err());
        JsonNode s = RunFiles.summary(out);
        assertEquals(0.0, s.get("f_star").asDouble());
        assertTrue(s.get("bound_held").asBoolean(), s.toString());
        assertTrue(s.get("best_iterate_loss").asDouble() < 0.5, s.toString());
    }

    @Test
    void hingeNeedsSignLabelsInOneLine() {
        Path out = tmp.resolve("bad");
        CliRunner.Result r = CliRunner.run(TrainEndToEndTest.args(out, "model.loss=hinge", "data.labels=values",
                "data.rows=100", "data.features=16", "optim.step.rule=constant", "optim.step.size=0.1"));
        assertEquals(2, r.exitCode(), r.err());
        assertTrue(r.err().contains("data.labels=sign"), r.err());
        assertEquals(1, r.err().strip().lines().count(), r.err());
        assertFalse(Files.exists(out.resolve("summary.json")));
    }

    @Test
    void hingeOnAFileWithZeroOneLabelsIsOneLineNamingTheFile() throws IOException {
        Path csv = tmp.resolve("labels01.csv");
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 20; i++) {
            sb.append(i % 2).append(',').append(i).append(",1,0,").append(-i).append('\n');
        }
        Files.writeString(csv, sb.toString());
        Path out = tmp.resolve("bad-file");
        CliRunner.Result r = CliRunner.run(TrainEndToEndTest.args(out, "model.loss=hinge", "data.source=path",
                "data.format=csv", "data.path=" + csv.toUri(), "clients=1", "optim.step.rule=constant", "optim.step.size=0.1"));
        assertEquals(2, r.exitCode(), r.err());
        assertTrue(r.err().contains(csv.toUri().toString()) && r.err().contains("-1 and +1"), r.err());
        assertEquals(1, r.err().strip().lines().count(), r.err());
        assertFalse(Files.exists(out.resolve("summary.json")));
    }

    @Test
    void uniformClientWeightingWithASubgradientLossIsRefusedInOneLine() {
        Path out = tmp.resolve("uniform");
        CliRunner.Result r = CliRunner.run(TrainEndToEndTest.args(out, "model.loss=lad", "fed.weighting=uniform",
                "optim.step.rule=constant", "optim.step.size=0.1"));
        assertEquals(2, r.exitCode(), r.err());
        assertTrue(r.err().contains("fed.weighting=uniform") && r.err().contains("set fed.weighting=rows"), r.err());
        assertEquals(1, r.err().strip().lines().count(), r.err());
        assertFalse(Files.exists(out));
    }
}
