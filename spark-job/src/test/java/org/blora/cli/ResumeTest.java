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
import org.apache.hadoop.conf.Configuration;
import org.blora.core.train.RoundRecord;
import org.blora.io.FullDiskFileSystem;
import org.blora.io.MetricsCsv;
import org.blora.spark.SharedSpark;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

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

    /**
     * The output folder's disk fills while round 30's checkpoint is written: the run stops with one error line
     * naming the file, the folder and the fix, exit 1; the temporary file is gone, the checkpoints of rounds 10
     * and 20 are intact, and resuming once there is room ends with the uninterrupted run's metrics. The disk is
     * {@link FullDiskFileSystem}, registered in the job's Hadoop configuration as spark.hadoop.fs.blora-full.impl
     * would register it; its capacity is the two earlier checkpoints plus half of round 30's (their sizes grow by
     * the same amount every 10 rounds, measured on the uninterrupted run's rounds 30 and 40).
     */
    @Test
    void aFullDiskStopsTheRunAndKeepsTheEarlierCheckpoints() throws IOException {
        long s30 = Files.size(whole.resolve("checkpoints/round-30.ckpt"));
        long s40 = Files.size(whole.resolve("checkpoints/round-40.ckpt"));
        long step = s40 - s30;
        long capacity = (s30 - 2 * step) + (s30 - step) + s30 / 2;
        Configuration conf = SharedSpark.get().sparkContext().hadoopConfiguration();
        conf.set("fs.blora-full.impl", FullDiskFileSystem.class.getName());
        conf.set("fs.blora-full.impl.disable.cache", "true");
        conf.setLong(FullDiskFileSystem.CAPACITY, capacity);
        FullDiskFileSystem.reset();
        Path run = tmp.resolve("full");
        String uri = "blora-full://" + run;
        try {
            CliRunner.Result r = CliRunner.run(withOut(SETS, uri));
            assertEquals(1, r.exitCode(), r.err());
            List<String> errors = r.err().lines().filter(l -> l.startsWith("error: ")).toList();
            assertEquals(1, errors.size(), r.err());
            String e = errors.get(0);
            System.out.println("disk full: " + e);
            assertTrue(e.startsWith("error: cannot write blora-full:" + run + "/checkpoints/round-30.ckpt: "
                    + "No space left on device"
                    + " (free space in " + uri.replace("blora-full://", "blora-full:") + " or choose another folder); "
                    + "the checkpoints of rounds 10, 20 are kept: "
                    + "resume with --set run.resume=true once there is room"), e);
            try (Stream<Path> files = Files.list(run.resolve("checkpoints"))) {
                assertEquals(List.of("round-10.ckpt", "round-20.ckpt"),
                        files.map(p -> p.getFileName().toString()).sorted().toList());
            }
            assertFalse(Files.exists(run.resolve("metrics.csv")));

            conf.unset(FullDiskFileSystem.CAPACITY);
            CliRunner.Result resumed = CliRunner.run(withOut(with(SETS, "run.resume=true"), uri));
            assertEquals(0, resumed.exitCode(), resumed.err());
            assertTrue(resumed.out().contains("resuming from checkpoint round-20"), resumed.out());
            assertEquals(TrainEndToEndTest.deterministicColumns(whole.resolve("metrics.csv")),
                    TrainEndToEndTest.deterministicColumns(run.resolve("metrics.csv")));
        } finally {
            conf.unset(FullDiskFileSystem.CAPACITY);
            conf.unset("fs.blora-full.impl");
            conf.unset("fs.blora-full.impl.disable.cache");
        }
    }

    /** The train arguments with {@code --out} given as a URI. */
    private static String[] withOut(String[] sets, String uri) {
        String[] a = TrainEndToEndTest.args(Path.of("unused"), sets);
        a[a.length - 1] = "--out=" + uri;
        return a;
    }

    /** With the growth check off, a run stops as diverged on the first non-finite value. */
    @Test
    void divergenceKeepsTheLastGoodCheckpointAndSaysWhy() throws IOException {
        Path run = tmp.resolve("diverged");
        CliRunner.Result r = CliRunner.run(TrainEndToEndTest.args(run, "data.rows=600", "data.features=16",
                "optim.step.rule=constant", "optim.step.size=30", "reg.lambda=0.5", "optim.rounds=2000", "run.checkpoint.every=5",
                "run.diverge.factor=0"));
        assertEquals(Main.EXIT_DIVERGED, r.exitCode(), r.out() + r.err());
        JsonNode summary = RunFiles.summary(run);
        assertTrue(summary.get("stop_reason").asText().startsWith("diverged: the loss or ||grad f||^2 is not finite"),
                summary.toString());
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

    /**
     * The same run with the default run.diverge.factor stops once its loss or ||grad f||^2 is 10^4 times its start,
     * long before an overflow: every row finite, the run's metrics, summary and adapter written, and the reason
     * naming the key to change.
     */
    @Test
    void growthOverTheStartStopsAsDivergedWithItsOutputs() throws IOException {
        Path run = tmp.resolve("grew");
        CliRunner.Result r = CliRunner.run(TrainEndToEndTest.args(run, "data.rows=600", "data.features=16",
                "optim.step.rule=constant", "optim.step.size=30", "reg.lambda=0.5", "optim.rounds=2000"));
        assertEquals(Main.EXIT_DIVERGED, r.exitCode(), r.out() + r.err());
        JsonNode summary = RunFiles.summary(run);
        assertTrue(summary.get("stop_reason").asText().startsWith("diverged: ")
                && summary.get("stop_reason").asText().contains("raise run.diverge.factor"), summary.toString());
        List<RoundRecord> metrics = MetricsCsv.parse(Files.readString(run.resolve("metrics.csv")));
        RoundRecord first = metrics.get(0);
        RoundRecord last = metrics.get(metrics.size() - 1);
        assertTrue(metrics.stream().allMatch(m -> Double.isFinite(m.loss()) && Double.isFinite(m.gradNormSq())), "" + last);
        assertTrue(last.loss() > 1e4 * first.loss() || last.gradNormSq() > 1e4 * first.gradNormSq(), "" + last);
        assertTrue(Files.isRegularFile(run.resolve("adapter").resolve("adapter.safetensors")), "the run's adapter");
        assertTrue(r.out().contains("run.diverge.factor"), r.out());
    }

    /**
     * Every method family resumes bit for bit: the chain and trained factors (LoRA, COLA, AsymmLoRA), the
     * estimator's state (SGD, MVR), the federated clients' states gathered from the executors (MARINA, EF21, with
     * partial participation). The run stops after a checkpoint in the middle (only the older of the two kept
     * survives the "crash"), and the resumed run ends with the uninterrupted run's metrics and adapter.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("families")
    void everyMethodFamilyResumesBitForBit(String name, String[] sets) throws IOException {
        String[] base = {"data.rows=400", "data.features=36", "lora.rank=1", "optim.rounds=25", "optim.tol=0",
            "run.seed=5", "clients=3", "run.checkpoint.every=7", "run.checkpoint.keep=true",
            "optim.step.rule=constant", "optim.step.size=0.05", "reg.lambda=0.5"};
        String[] all = with(base, sets);
        Path full = tmp.resolve("family-" + name + "-whole");
        assertEquals(0, CliRunner.run(TrainEndToEndTest.args(full, all)).exitCode());
        Path crashed = Files.createDirectories(tmp.resolve("family-" + name + "-resumed/checkpoints"));
        Files.copy(full.resolve("checkpoints/round-14.ckpt"), crashed.resolve("round-14.ckpt"));
        CliRunner.Result r = CliRunner.run(TrainEndToEndTest.args(crashed.getParent(), with(all, "run.resume=true")));
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.out().contains("resuming from checkpoint round-14"), r.out());
        assertEquals(TrainEndToEndTest.deterministicColumns(full.resolve("metrics.csv")),
                TrainEndToEndTest.deterministicColumns(crashed.getParent().resolve("metrics.csv")), name);
        assertArrayEquals(Files.readAllBytes(full.resolve("adapter/adapter.safetensors")),
                Files.readAllBytes(crashed.getParent().resolve("adapter/adapter.safetensors")), name);
    }

    /**
     * A convex non-smooth run keeps its best and average iterate in its checkpoints: stopped after the checkpoint of
     * round 14 and resumed, it writes the uninterrupted run's adapter/iterates.safetensors bit for bit (the average
     * sums the iterates of rounds before and after the checkpoint) and the same iterate entries of summary.json.
     */
    @Test
    void aConvexRunResumesWithItsBestAndAverageIterates() throws IOException {
        String[] sets = {"model.loss=lad", "data.rows=300", "data.features=16", "data.noise=1", "lora.rank=1",
            "optim.rounds=25", "optim.tol=0", "run.seed=3", "clients=2", "run.checkpoint.every=7",
            "run.checkpoint.keep=true"};
        Path full = tmp.resolve("convex-whole");
        CliRunner.Result w = CliRunner.run(TrainEndToEndTest.args(full, sets));
        assertEquals(0, w.exitCode(), w.err());
        Path crashed = Files.createDirectories(tmp.resolve("convex-resumed/checkpoints"));
        Files.copy(full.resolve("checkpoints/round-14.ckpt"), crashed.resolve("round-14.ckpt"));
        CliRunner.Result r = CliRunner.run(TrainEndToEndTest.args(crashed.getParent(), with(sets, "run.resume=true")));
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.out().contains("resuming from checkpoint round-14"), r.out());
        Path resumed = crashed.getParent();
        assertArrayEquals(Files.readAllBytes(full.resolve("adapter/iterates.safetensors")),
                Files.readAllBytes(resumed.resolve("adapter/iterates.safetensors")));
        JsonNode a = RunFiles.summary(full);
        JsonNode b = RunFiles.summary(resumed);
        for (String k : List.of("best_iterate_round", "best_iterate_loss", "average_iterate_loss", "average_iterate_bound")) {
            assertTrue(a.has(k), k + " in " + a);
            assertEquals(a.get(k), b.get(k), k);
        }
    }

    static Stream<Arguments> families() {
        return Stream.of(
                Arguments.of("lora", new String[] {"lora.method=lora", "optim.step.size=0.002"}),
                Arguments.of("cola", new String[] {"lora.method=cola", "lora.link.steps=4", "optim.step.size=0.002"}),
                Arguments.of("asymm", new String[] {"lora.method=asymm", "lora.p=1"}),
                Arguments.of("fpft", new String[] {"lora.method=fpft"}),
                Arguments.of("bernoulli-adamw-links", new String[] {"optim.optimizer=adamw", "lora.link.steps=5"}),
                Arguments.of("sgd", new String[] {"optim.estimator=sgd", "optim.batch=20"}),
                Arguments.of("mvr", new String[] {"optim.estimator=mvr", "optim.batch=20"}),
                Arguments.of("qgd", new String[] {"fed.protocol=qgd", "fed.compressor=randk", "fed.compressor.k=0.3"}),
                Arguments.of("marina", new String[] {"fed.protocol=marina", "fed.compressor=randk", "fed.compressor.k=0.3",
                    "fed.marina.q=0.2"}),
                Arguments.of("ef21-partial", new String[] {"fed.protocol=ef21", "fed.compressor=topk",
                    "fed.compressor.k=0.2", "fed.participation=0.67"}));
    }
}
