package org.blora.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.blora.core.chain.BernoulliLoRA;
import org.blora.core.chain.JointLoRA;
import org.blora.core.chain.LowRankChain;
import org.blora.core.chain.Step;
import org.blora.core.linalg.Shape;
import org.blora.core.optim.AdamW;
import org.blora.core.optim.EarlyStopping;
import org.blora.core.optim.ReduceLrOnPlateau;
import org.blora.core.sketch.Link;
import org.blora.core.sketch.Side;
import org.blora.core.train.Divergence;
import org.blora.core.train.IterateSummary;
import org.blora.core.train.RoundRecord;
import org.blora.core.train.TrainerState;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckpointsTest {
    @TempDir
    Path tmp;

    private static final Shape SHAPE = new Shape(3, 4);

    private static Map<String, String> config(String rank) {
        Map<String, String> c = new LinkedHashMap<>();
        c.put("lora.rank", rank);
        c.put("run.seed", "1");
        c.put("run.resume", "false");
        c.put("spark.master", "local[2]");
        return c;
    }

    /** A chain of {@code rounds} links with distinct entries, and one metrics row per round. */
    private static LowRankChain chain(int rounds) {
        double[] w0 = new double[12];
        Arrays.setAll(w0, i -> 0.1 * i);
        LowRankChain c = new LowRankChain(SHAPE, w0);
        for (int t = 0; t < rounds; t++) {
            double[] b = {t, 1, -2.5e-300};
            double[] a = {Math.PI, -t, 3, Double.MIN_VALUE};
            c.append(Step.of(t, new Link[] {t % 2 == 0 ? new Link(Side.A, SHAPE, 1, b, a) : new Link(Side.B, SHAPE, 1, b, a)},
                    c.layout()));
        }
        return c;
    }

    private static List<RoundRecord> rows(int rounds) {
        List<RoundRecord> r = new ArrayList<>();
        for (int t = 0; t < rounds; t++) {
            r.add(new RoundRecord(t, t * 0.5, 10L * t, 1.0 / (t + 1), t == 1 ? Double.NaN : 0.1 / 3 * t, 0.01,
                    t % 2 == 0 ? "A" : "B", 64, 128, 64L * (t + 1)));
        }
        return r;
    }

    /** Two clients, one without protocol state yet. */
    private static final List<double[]> CLIENT_STATES = java.util.Arrays.asList(new double[] {1.5, -0.0, Double.MIN_VALUE}, null);

    private static TrainerState state(int round) {
        return new TrainerState(round, round * 0.5, 64L * round, 7L * round, 1234, 0.25, 1e-3,
                new double[] {1.0 / 3, -0.0, 5e-324});
    }

    private RunFolder folder() {
        return new RunFolder(tmp.resolve("out").toString(), new Configuration());
    }

    /** A convex run's best and average iterate so far: a running sum, its steps, the best loss, iterate and round. */
    private static final IterateSummary.State ITERATES = new IterateSummary.State(new double[] {0.1, -0.0, 1e300},
            5, 0.125, new double[] {2, Double.MIN_VALUE, -3}, 3);

    private void write(RunFolder out, int round, Map<String, String> config) {
        Checkpoints.write(out, config, state(round), chain(round), rows(round), CLIENT_STATES, ITERATES);
    }

    @Test
    void roundTripIsExact() {
        RunFolder out = folder();
        write(out, 5, config("2"));
        Checkpoint c = Checkpoints.latest(out, config("2"), m -> { });
        assertEquals(5, c.round());
        assertEquals(state(5).epochs(), c.state().epochs());
        assertEquals(1234, c.state().wallMs());
        assertArrayEquals(state(5).estimatorState(), c.state().estimatorState());
        assertArrayEquals(chain(5).w(), c.chain().w(), "merged W rebuilt bit for bit");
        assertArrayEquals(chain(5).wPrev(), c.chain().wPrev());
        assertEquals(MetricsCsv.render(rows(5)), MetricsCsv.render(c.rows()));
        assertEquals(Side.B, c.links().get(3)[0].side);
        assertArrayEquals(CLIENT_STATES.get(0), c.clientStates().get(0));
        assertEquals(null, c.clientStates().get(1));
        assertArrayEquals(ITERATES.sum(), c.iterates().sum());
        assertEquals(5, c.iterates().steps());
        assertEquals(0.125, c.iterates().bestLoss());
        assertArrayEquals(ITERATES.best(), c.iterates().best());
        assertEquals(3, c.iterates().bestRound());
    }

    /** A run that keeps no best and average iterate writes a checkpoint without them, which reads back without them. */
    @Test
    void aCheckpointWithoutTheIterateSectionReadsWithoutIterates() {
        byte[] none = Checkpoints.encode(config("2"), state(2), chain(2), rows(2), CLIENT_STATES, null);
        Checkpoint c = Checkpoints.decode(none);
        assertNull(c.iterates());
        assertEquals(2, c.round());
        assertArrayEquals(chain(2).w(), c.chain().w());
    }

    /**
     * Every component of the state, with the values that are hardest to carry (NaN, infinities, -0.0, the
     * smallest subnormal), comes back with the same bits: the trainer's scalars, the AdamW moments of the open link
     * of both kinds of method, early stopping and the plateau schedule with their counters.
     */
    @Test
    void everyComponentRoundTripsBitForBit() {
        AdamW.State first = new AdamW.State(new double[] {0.5, -0.0, Double.MIN_VALUE}, new double[] {1e-300, 2, 3}, 17);
        EarlyStopping early = new EarlyStopping(4, 1e-3);
        early.update(0.5);
        early.update(0.7);
        ReduceLrOnPlateau plateau = new ReduceLrOnPlateau(0.01, 0.5, 1, 1e-4, 2, 1e-6);
        for (double v : new double[] {1.0, 1.1, 1.2, Double.NaN}) {
            plateau.step(v);
        }
        for (java.io.Serializable method : new java.io.Serializable[] {null,
                new BernoulliLoRA.OpenLink(1, new AdamW.State[] {first, null}),
                new JointLoRA.OpenPair(1, new double[][] {{0.25, -0.0}}, new double[][] {{Double.MIN_VALUE}},
                        new AdamW.State[] {first}, new AdamW.State[] {new AdamW.State(new double[1], new double[1], 0)}),
                new JointLoRA.OpenPair(1, new double[][] {{1.5}}, new double[][] {{-2.5, 3}}, null, null)}) {
            Divergence start = new Divergence(Double.MIN_VALUE, 4.5e20);
            TrainerState s = new TrainerState(2, 1.0 / 3, Long.MAX_VALUE, 7L, 1234, Double.NaN, Double.POSITIVE_INFINITY,
                    null, method, early, plateau, start);
            Checkpoint c = Checkpoints.decode(Checkpoints.encode(config("2"), s, chain(2), rows(2), List.of(), ITERATES));
            assertEquals(Double.doubleToRawLongBits(1.0 / 3), Double.doubleToRawLongBits(c.state().epochs()));
            assertEquals(Long.MAX_VALUE, c.state().cumUplinkBits());
            assertTrue(Double.isNaN(c.state().loss()));
            assertEquals(Double.POSITIVE_INFINITY, c.state().gradNormSq());
            assertNull(c.state().estimatorState());
            assertEquals(early.state(), c.state().earlyStopping().state());
            assertEquals(plateau.state(), c.state().plateau().state());
            assertEquals(start, c.state().divergence());
            assertEquals(List.of(), c.clientStates());
            if (method == null) {
                assertNull(c.state().methodState());
            } else if (method instanceof BernoulliLoRA.OpenLink o) {
                BernoulliLoRA.OpenLink back = (BernoulliLoRA.OpenLink) c.state().methodState();
                assertEquals(o.link(), back.link());
                assertNull(back.moments()[1]);
                assertMoments(first, back.moments()[0]);
            } else {
                JointLoRA.OpenPair want = (JointLoRA.OpenPair) method;
                JointLoRA.OpenPair back = (JointLoRA.OpenPair) c.state().methodState();
                assertEquals(1, back.link());
                assertArrayEquals(want.b()[0], back.b()[0]);
                assertArrayEquals(want.a()[0], back.a()[0]);
                if (want.momentsB() == null) {
                    assertNull(back.momentsB());
                    assertNull(back.momentsA());
                } else {
                    assertMoments(first, back.momentsB()[0]);
                    assertMoments(want.momentsA()[0], back.momentsA()[0]);
                }
            }
        }
    }

    private static void assertMoments(AdamW.State want, AdamW.State have) {
        assertEquals(want.step(), have.step());
        assertArrayEquals(want.m(), have.m());
        assertArrayEquals(want.v(), have.v());
    }

    /**
     * A checkpoint of the format before this one (a Java-serialised payload; the file here was written by that
     * format's code) is refused in one line that says why and what to do, not skipped as corrupt.
     */
    @Test
    void aCheckpointOfTheEarlierFormatIsRefusedInOneLine() throws Exception {
        RunFolder out = folder();
        out.mkdirs(Checkpoints.DIR);
        Files.copy(Path.of(getClass().getResource("round-2-format-2.ckpt").toURI()), tmp.resolve("out/checkpoints/round-2.ckpt"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Checkpoints.latest(out, config("2"), m -> { }));
        assertEquals(1, e.getMessage().lines().count(), e.getMessage());
        assertTrue(e.getMessage().startsWith("run.resume: ") && e.getMessage().contains("round-2.ckpt is in checkpoint format 2")
                && e.getMessage().contains("this build reads 3") && e.getMessage().contains("--overwrite"), e.getMessage());
    }

    /** A component of a version this build does not know is refused in one line naming it. */
    @Test
    void aComponentOfAnotherVersionIsRefusedInOneLine() throws Exception {
        CheckpointFile.Contents good = CheckpointFile.decode(Checkpoints.encode(config("2"), state(2), chain(2), rows(2),
                CLIENT_STATES, ITERATES));
        com.fasterxml.jackson.databind.node.ObjectNode root =
                (com.fasterxml.jackson.databind.node.ObjectNode) new com.fasterxml.jackson.databind.ObjectMapper()
                        .readTree(good.state());
        ((com.fasterxml.jackson.databind.node.ObjectNode) root.get("plateau")).put("version", 2);
        RunFolder out = folder();
        out.write(Checkpoints.DIR + "/" + Checkpoints.fileName(2), CheckpointFile.encode(root.toString(), good.tensors()));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Checkpoints.latest(out, config("2"), m -> { }));
        assertEquals(1, e.getMessage().lines().count(), e.getMessage());
        assertTrue(e.getMessage().contains("has a plateau component of version 2, this build reads version 1"), e.getMessage());
    }

    /** Any safetensors reader opens a checkpoint: the arrays are named F64 tensors, the state is JSON in the metadata. */
    @Test
    void aCheckpointIsASafetensorsFileWithItsStateAsJson() throws Exception {
        byte[] file = Checkpoints.encode(config("2"), state(2), chain(2), rows(2), CLIENT_STATES, ITERATES);
        Map<String, PeftReader.Tensor> tensors = PeftReader.safetensors(file);
        assertArrayEquals(chain(2).w(), tensors.get("chain.w").data());
        assertArrayEquals(new double[] {Math.PI, -1, 3, Double.MIN_VALUE}, tensors.get("chain.link.1.W.A").data());
        assertArrayEquals(CLIENT_STATES.get(0), tensors.get("clients.0").data());
        assertFalse(tensors.containsKey("clients.1"), "a null array has no tensor");
        long headerLength = java.nio.ByteBuffer.wrap(file, 0, 8).order(java.nio.ByteOrder.LITTLE_ENDIAN).getLong();
        com.fasterxml.jackson.databind.JsonNode meta = new com.fasterxml.jackson.databind.ObjectMapper()
                .readTree(new String(file, 8, (int) headerLength, java.nio.charset.StandardCharsets.UTF_8)).get("__metadata__");
        assertEquals("blora-spark checkpoint", meta.get("format").asText());
        assertEquals("3", meta.get("version").asText());
        com.fasterxml.jackson.databind.JsonNode state = new com.fasterxml.jackson.databind.ObjectMapper()
                .readTree(meta.get("state").asText());
        for (String component : List.of("config", "trainer", "method", "early_stopping", "plateau", "layout", "chain", "metrics",
                "clients", "iterates")) {
            assertEquals(1, state.get(component).get("version").asInt(), component);
        }
        assertEquals(2, state.get("trainer").get("round").asInt());
        assertEquals("2", state.get("config").get("keys").get("lora.rank").asText());
    }

    /** The Python snippet of docs/CHECKPOINTS.md reads a checkpoint's state and theta (python3 with numpy; skipped without). */
    @Test
    void theDocumentedPythonSnippetReadsACheckpoint() throws Exception {
        boolean numpy;
        try {
            Process p = new ProcessBuilder("python3", "-c", "import numpy").redirectErrorStream(true).start();
            numpy = p.waitFor(5, java.util.concurrent.TimeUnit.MINUTES) && p.exitValue() == 0;
        } catch (IOException e) {
            numpy = false;
        }
        org.junit.jupiter.api.Assumptions.assumeTrue(numpy, "skipped: python3 with numpy is not installed");
        RunFolder out = folder();
        write(out, 5, config("2"));
        Path snippet = tmp.resolve("snippet.py");
        Files.writeString(snippet, DocSnippets.block(Path.of("..", "docs", "CHECKPOINTS.md"), "# The checkpoint format", "python",
                "runs/x/checkpoints/round-40.ckpt", tmp.resolve("out/checkpoints/round-5.ckpt").toString()));
        Process p = new ProcessBuilder("python3", snippet.toString()).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertTrue(p.waitFor(5, java.util.concurrent.TimeUnit.MINUTES), "python3 timed out");
        assertEquals(0, p.exitValue(), output);
        assertEquals("5 2 (12,)", output.trim());
    }

    @Test
    void keepsTheLastTwoAndIgnoresFreeKeys() {
        RunFolder out = folder();
        for (int t = 1; t <= 4; t++) {
            write(out, t, config("2"));
        }
        assertEquals(List.of(4, 3), Checkpoints.rounds(out));
        Map<String, String> elsewhere = config("2");
        elsewhere.put("spark.master", "spark://127.0.0.1:7077");
        elsewhere.put("run.resume", "true");
        assertEquals(4, Checkpoints.latest(out, elsewhere, m -> { }).round());
        assertEquals(Checkpoints.fingerprint(config("2")), Checkpoints.fingerprint(elsewhere));
        Checkpoints.removeAll(out);
        assertNull(Checkpoints.latest(out, config("2"), m -> { }));
    }

    @Test
    void corruptOrTruncatedNewestFallsBackToThePrevious() throws IOException {
        RunFolder out = folder();
        write(out, 3, config("2"));
        write(out, 6, config("2"));
        Path newest = tmp.resolve("out/checkpoints/round-6.ckpt");
        byte[] b = Files.readAllBytes(newest);
        b[b.length / 2] ^= 0x10;
        Files.write(newest, b);
        Files.deleteIfExists(tmp.resolve("out/checkpoints/.round-6.ckpt.crc")); // Hadoop's own checksum file
        List<String> warnings = new ArrayList<>();
        assertEquals(3, Checkpoints.latest(out, config("2"), warnings::add).round());
        assertTrue(warnings.get(0).contains("round-6.ckpt") && warnings.get(0).contains("checksum mismatch"),
                warnings.toString());

        Files.write(newest, Arrays.copyOf(b, 100));
        warnings.clear();
        assertEquals(3, Checkpoints.latest(out, config("2"), warnings::add).round());
        assertTrue(warnings.get(0).contains("truncated"), warnings.toString());
    }

    @Test
    void decodeRejectsEveryFlippedByte() {
        byte[] good = Checkpoints.encode(config("2"), state(2), chain(2), rows(2), CLIENT_STATES, ITERATES);
        Checkpoints.decode(good);
        for (int i = 0; i < good.length; i += 7) {
            byte[] bad = good.clone();
            bad[i] ^= 0x01;
            assertThrows(Checkpoints.CorruptCheckpointException.class, () -> Checkpoints.decode(bad), "byte " + i);
        }
    }

    @Test
    void anotherConfigurationIsRefusedNamingTheKey() {
        RunFolder out = folder();
        write(out, 2, config("2"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Checkpoints.latest(out, config("3"), m -> { }));
        assertTrue(e.getMessage().contains("lora.rank was '2', now '3'"), e.getMessage());
        assertTrue(e.getMessage().startsWith("run.resume: "), e.getMessage());
        assertEquals(1, e.getMessage().lines().count());
    }

    /** A key the checkpoint does not record (added by a later build) matches when it is at its default. */
    @Test
    void aKeyAddedLaterMatchesAtItsDefault() {
        RunFolder out = folder();
        write(out, 2, config("2"));
        Map<String, String> now = new java.util.TreeMap<>(config("2"));
        now.put("fed.weighting", "rows");
        assertEquals(2, Checkpoints.latest(out, now, Map.of("fed.weighting", "rows"), m -> { }).round());
        now.put("fed.weighting", "uniform");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Checkpoints.latest(out, now, Map.of("fed.weighting", "rows"), m -> { }));
        assertTrue(e.getMessage().contains("fed.weighting was 'rows', now 'uniform'"), e.getMessage());
        now.put("fed.weighting", "rows");
        assertThrows(IllegalArgumentException.class, () -> Checkpoints.latest(out, now, m -> { }));
    }

    @Test
    void divergenceKeepsOnlyGoodCheckpoints() {
        RunFolder out = folder();
        write(out, 4, config("2"));
        write(out, 5, config("2"));
        Checkpoints.removeNewerThan(out, 4);
        assertEquals(List.of(4), Checkpoints.rounds(out));
    }
}
