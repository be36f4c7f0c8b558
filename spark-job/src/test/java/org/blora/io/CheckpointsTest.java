package org.blora.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
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
import org.blora.core.chain.LowRankChain;
import org.blora.core.chain.Step;
import org.blora.core.linalg.Shape;
import org.blora.core.sketch.Link;
import org.blora.core.sketch.Side;
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

    /**
     * A checkpoint written before checkpoints kept the best and average iterate (its payload ends after the client
     * states) still resumes, without them; one of a run that keeps none reads the same.
     */
    @Test
    void aCheckpointWithoutTheIterateSectionReadsWithoutIterates() throws IOException {
        byte[] none = Checkpoints.encode(config("2"), state(2), chain(2), rows(2), CLIENT_STATES, null);
        assertNull(Checkpoints.decode(none).iterates());
        int header = 8 + 4 + 8;
        byte[] payload = Arrays.copyOfRange(none, header, none.length - 8 - 1);
        java.io.ByteArrayOutputStream b = new java.io.ByteArrayOutputStream();
        java.io.DataOutputStream f = new java.io.DataOutputStream(b);
        f.write(none, 0, 12);
        f.writeLong(payload.length);
        f.write(payload);
        java.util.zip.CRC32 crc = new java.util.zip.CRC32();
        crc.update(payload);
        f.writeLong(crc.getValue());
        Checkpoint older = Checkpoints.decode(b.toByteArray());
        assertNull(older.iterates());
        assertEquals(2, older.round());
        assertArrayEquals(chain(2).w(), older.chain().w());
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
        assertTrue(warnings.get(0).contains("round-6.ckpt") && warnings.get(0).contains("checksum mismatch"), warnings.toString());

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
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Checkpoints.latest(out, config("3"), m -> { }));
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
