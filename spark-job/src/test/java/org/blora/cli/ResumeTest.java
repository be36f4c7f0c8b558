package org.blora.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.blora.core.train.RoundRecord;
import org.blora.io.MetricsCsv;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Checkpoints and run.resume through the command line (in-process, local[2]). The interruption is simulated by
 * keeping only the checkpoints of a finished run; ResumeIT kills a real driver process instead.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ResumeTest {
    @TempDir
    static Path tmp;

    /** PAGE carries G^{t-1} between rounds, so a resume that lost estimator state would show in the metrics. */
    static final String[] SETS = {"data.rows=1200", "data.features=36", "lora.rank=1", "optim.estimator=page",
        "optim.batch=50", "optim.rounds=45", "optim.tol=0", "run.seed=7", "clients=3", "run.checkpoint.every=10",
        // A fixed stepsize and lambda skip the Lanczos estimate of ||X^T X / N||_2 (a Spark job per stage) to keep
        // the test short.
        "optim.step.rule=constant", "optim.step.size=0.3", "reg.lambda=0.5"};

    private Path whole;

    static String[] with(String[] base, String... more) {
        String[] all = Arrays.copyOf(base, base.length + more.length);
        System.arraycopy(more, 0, all, base.length, more.length);
        return all;
    }

    @BeforeAll
    void uninterruptedRunKeepingItsCheckpoints() {
        whole = tmp.resolve("whole");
        CliRunner.Result r = CliRunner.run(TrainEndToEndTest.args(whole, with(SETS, "run.checkpoint.keep=true")));
        assertEquals(0, r.exitCode(), r.err());
    }

    /** A run folder holding only the checkpoints of the uninterrupted run: what a crash leaves behind. */
    private Path crashedCopy(String name) throws IOException {
        Path dst = tmp.resolve(name).resolve("checkpoints");
        Files.createDirectories(dst);
        try (Stream<Path> files = Files.list(whole.resolve("checkpoints"))) {
            for (Path f : files.toList()) {
                Files.copy(f, dst.resolve(f.getFileName()));
            }
        }
        return dst.getParent();
    }

    @Test
    void keepsTheLastTwoCheckpoints() throws IOException {
        try (Stream<Path> files = Files.list(whole.resolve("checkpoints"))) {
            assertEquals(List.of("round-30.ckpt", "round-40.ckpt"), files.map(p -> p.getFileName().toString())
                    .filter(n -> !n.startsWith(".")).sorted().toList());
        }
    }

    @Test
    void resumeFromThePreviousCheckpointWhenTheNewestIsCorruptEqualsTheUninterruptedRun() throws IOException {
        Path run = crashedCopy("resumed");
        Path newest = run.resolve("checkpoints/round-40.ckpt");
        byte[] b = Files.readAllBytes(newest);
        b[b.length / 3] ^= 0x55;
        Files.write(newest, b);
        Files.deleteIfExists(run.resolve("checkpoints/.round-40.ckpt.crc"));

        CliRunner.Result r = CliRunner.run(TrainEndToEndTest.args(run, with(SETS, "run.resume=true")));
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.out().contains("round-40.ckpt is unusable (checksum mismatch)"), r.out());
        assertTrue(r.out().contains("resuming from checkpoint round-30"), r.out());
        assertEquals(TrainEndToEndTest.deterministicColumns(whole.resolve("metrics.csv")),
                TrainEndToEndTest.deterministicColumns(run.resolve("metrics.csv")));
        // Rows before the checkpoint come from it, wall_ms included.
        assertEquals(Files.readAllLines(whole.resolve("metrics.csv")).subList(0, 31),
                Files.readAllLines(run.resolve("metrics.csv")).subList(0, 31));
        assertArrayEquals(Files.readAllBytes(whole.resolve("adapter/adapter.safetensors")),
                Files.readAllBytes(run.resolve("adapter/adapter.safetensors")));
        assertFalse(Files.exists(run.resolve("checkpoints")), "checkpoints are removed after a successful finish");
    }

    @Test
    void checkpointOfAnotherConfigurationIsRefused() throws IOException {
        Path run = crashedCopy("other");
        CliRunner.Result r = CliRunner.run(TrainEndToEndTest.args(run, with(SETS, "run.resume=true", "lora.p=0.3")));
        assertEquals(2, r.exitCode(), r.err());
        List<String> errors = r.err().lines().filter(l -> l.startsWith("error: ")).toList();
        assertEquals(1, errors.size(), r.err());
        assertTrue(errors.get(0).contains("round-40.ckpt was written by another configuration (lora.p was '0.5', now '0.3')"),
                errors.get(0));
        assertFalse(Files.exists(run.resolve("metrics.csv")));
    }

    @Test
    void checkpointsAreNotOverwrittenWithoutResume() throws IOException {
        Path run = crashedCopy("noresume");
        CliRunner.Result r = CliRunner.run(TrainEndToEndTest.args(run, SETS));
        assertEquals(2, r.exitCode(), r.err());
        assertTrue(r.err().contains("holds checkpoints of an unfinished run; pass --set run.resume=true"), r.err());
        assertTrue(Files.exists(run.resolve("checkpoints/round-40.ckpt")));
    }

    @Test
    void divergenceKeepsTheLastGoodCheckpointAndSaysWhy() throws IOException {
        Path run = tmp.resolve("diverged");
        CliRunner.Result r = CliRunner.run(TrainEndToEndTest.args(run, "data.rows=600", "data.features=16",
                "optim.step.rule=constant", "optim.step.size=30", "reg.lambda=0.5", "optim.rounds=2000", "run.checkpoint.every=5"));
        assertEquals(Main.EXIT_DIVERGED, r.exitCode(), r.out() + r.err());
        JsonNode summary = RunFiles.summary(run);
        assertTrue(summary.get("stop_reason").asText().startsWith("diverged: loss or gradient is not finite"), summary.toString());
        assertFalse(summary.get("converged").asBoolean(), summary.toString());
        List<RoundRecord> metrics = MetricsCsv.parse(Files.readString(run.resolve("metrics.csv")));
        RoundRecord last = metrics.get(metrics.size() - 1);
        assertFalse(Double.isFinite(last.loss()) && Double.isFinite(last.gradNormSq()), "the last row is the diverged one");
        int lastGood = -1;
        for (RoundRecord row : metrics) {
            if (Double.isFinite(row.loss()) && Double.isFinite(row.gradNormSq())) {
                lastGood = row.round();
            }
        }
        List<Integer> kept = new ArrayList<>();
        try (Stream<Path> files = Files.list(run.resolve("checkpoints"))) {
            files.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("round-"))
                    .forEach(n -> kept.add(Integer.parseInt(n.substring(6, n.length() - 5))));
        }
        int good = lastGood;
        assertFalse(kept.isEmpty(), "the last good checkpoint is kept; metrics: " + metrics.size() + " rows");
        assertTrue(kept.stream().allMatch(k -> k <= good), kept + " vs last finite row " + good);
        assertTrue(kept.stream().anyMatch(k -> k > good - 10), kept + " vs last finite row " + good);
        assertTrue(r.out().contains("kept the checkpoints before the divergence"), r.out());
    }
}
