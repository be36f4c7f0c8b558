package org.blora.io;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.zip.CRC32;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.Serializable;
import org.blora.core.chain.LowRankChain;
import org.blora.core.linalg.Shape;
import org.blora.core.model.ModelLayout;
import org.blora.core.model.Module;
import org.blora.core.optim.EarlyStopping;
import org.blora.core.optim.ReduceLrOnPlateau;
import org.blora.core.sketch.Link;
import org.blora.core.sketch.Side;
import org.blora.core.train.Divergence;
import org.blora.core.train.IterateSummary;
import org.blora.core.train.RoundRecord;
import org.blora.core.train.TrainerState;
import org.blora.data.key.Sha256;

/**
 * Checkpoints of a run in {@code <out>/checkpoints/round-<t>.ckpt}, one file each, written through the Hadoop
 * FileSystem API under a temporary name and renamed into place ({@link RunFolder#write}), so a reader sees a
 * whole file or none. A file is {@code MAGIC, version, payload length, payload, CRC32(payload)}; a torn or
 * corrupt file (short, wrong magic, bad checksum, unparsable) is skipped with a warning and the previous one
 * used. The last {@link #KEEP} checkpoints are kept. The payload records the resolved configuration minus
 * {@link #FREE_KEYS}; resuming under another configuration is refused, naming the keys that differ.
 */
public final class Checkpoints {
    public static final String DIR = "checkpoints";
    /** How many checkpoints stay on disk while a run goes on. */
    public static final int KEEP = 2;
    /**
     * Keys that may differ between the run that wrote a checkpoint and the run that resumes it: they do not
     * change any number in metrics.csv (where to run, how often to report or checkpoint, whether to resume).
     */
    public static final Set<String> FREE_KEYS = Set.of("run.resume", "run.checkpoint.every", "run.checkpoint.keep",
            "run.progress.seconds", "spark.master");
    private static final byte[] MAGIC = "BLORACKP".getBytes(StandardCharsets.US_ASCII);
    /** 2: models with several modules, theta and theta_prev, the method's and the schedules' state. */
    private static final int VERSION = 2;
    private static final String PREFIX = "round-";
    private static final String SUFFIX = ".ckpt";

    private Checkpoints() {
    }

    /** The configuration a checkpoint must match: the resolved keys minus {@link #FREE_KEYS}, sorted. */
    public static Map<String, String> fingerprinted(Map<String, String> resolved) {
        Map<String, String> m = new TreeMap<>(resolved);
        m.keySet().removeAll(FREE_KEYS);
        return m;
    }

    /** SHA-256 of the fingerprinted configuration, hex. */
    public static String fingerprint(Map<String, String> resolved) {
        StringBuilder sb = new StringBuilder();
        fingerprinted(resolved).forEach((k, v) -> sb.append(k).append('=').append(v).append('\n'));
        return Sha256.hex(sb.toString());
    }

    public static String fileName(int round) {
        return PREFIX + round + SUFFIX;
    }

    /** Rounds of the checkpoint files present (whatever their state), newest first. Temporary files are ignored. */
    public static List<Integer> rounds(RunFolder out) {
        List<Integer> rounds = new ArrayList<>();
        for (String name : out.list(DIR)) {
            if (name.startsWith(PREFIX) && name.endsWith(SUFFIX)) {
                try {
                    rounds.add(Integer.parseInt(name.substring(PREFIX.length(), name.length() - SUFFIX.length())));
                } catch (NumberFormatException ignored) {
                    // not ours
                }
            }
        }
        rounds.sort(Comparator.reverseOrder());
        return rounds;
    }

    public static boolean any(RunFolder out) {
        return !rounds(out).isEmpty();
    }

    /**
     * TEST-ONLY fault injection: with the JVM system property {@code blora.test.haltWhileWritingCheckpoint=N} on the
     * driver, the checkpoint of round N is written halfway into its temporary file, and the JVM halts
     * ({@link Runtime#halt}, exit code {@link #HALT_EXIT_CODE}: no shutdown hook, no finally block), as a driver
     * killed in the middle of the write would. Unset (the default) nothing changes. Not a configuration key.
     */
    public static final String HALT_WHILE_WRITING = "blora.test.haltWhileWritingCheckpoint";
    public static final int HALT_EXIT_CODE = 86;

    /**
     * Writes the checkpoint of {@code state} atomically, then removes all but the newest {@link #KEEP}. When the
     * write fails (a full disk, lost permissions) the temporary file is removed, the checkpoints written before
     * are left as they are, and the exception says so in one line.
     */
    public static void write(RunFolder out, Map<String, String> config, TrainerState state, LowRankChain chain,
                             List<RoundRecord> rows, List<double[]> clientStates, IterateSummary.State iterates) {
        byte[] bytes = encode(config, state, chain, rows, clientStates, iterates);
        int haltAt = Integer.getInteger(HALT_WHILE_WRITING, -1);
        try {
            out.write(DIR + "/" + fileName(state.round()), o -> {
                if (state.round() == haltAt) {
                    // Closing (not only flushing) gets the half through every buffer of the file system's stream
                    // (Spark sets a 64 KB io.file.buffer.size), so the torn file on disk holds exactly that half.
                    o.write(bytes, 0, bytes.length / 2);
                    o.close();
                    Runtime.getRuntime().halt(HALT_EXIT_CODE);
                }
                o.write(bytes);
            });
        } catch (UncheckedIOException e) {
            List<Integer> kept = rounds(out);
            throw new UncheckedIOException(e.getMessage() + (kept.isEmpty() ? "" : "; the checkpoints of rounds "
                    + kept.stream().sorted().map(String::valueOf).collect(java.util.stream.Collectors.joining(", "))
                    + " are kept: resume with --set run.resume=true once there is room"), e.getCause());
        }
        List<Integer> rounds = rounds(out);
        for (int i = KEEP; i < rounds.size(); i++) {
            out.delete(DIR + "/" + fileName(rounds.get(i)));
        }
        // Temporary files left by a writer that was killed mid-write.
        for (String name : out.list(DIR)) {
            if (name.startsWith("." + PREFIX) && name.contains(".tmp-")) {
                out.delete(DIR + "/" + name);
            }
        }
    }

    /**
     * After a divergence: removes the checkpoints whose W was never seen with a finite loss (rounds after
     * {@code lastGoodRound}), so the ones kept hold a good chain.
     */
    public static void removeNewerThan(RunFolder out, int lastGoodRound) {
        for (int round : rounds(out)) {
            if (round > lastGoodRound) {
                out.delete(DIR + "/" + fileName(round));
            }
        }
    }

    /** Removes every checkpoint (after a successful finish). */
    public static void removeAll(RunFolder out) {
        out.delete(DIR);
    }

    /**
     * The newest checkpoint that is whole and valid, or null when there is none. Corrupt ones are reported
     * through {@code warn} and skipped; a valid one of another configuration is refused.
     *
     * @throws IllegalArgumentException when the newest valid checkpoint was written by another configuration
     */
    public static Checkpoint latest(RunFolder out, Map<String, String> resolved, Consumer<String> warn) {
        return latest(out, resolved, Map.of(), warn);
    }

    /**
     * As {@link #latest(RunFolder, Map, Consumer)}, where a key the checkpoint does not record (one added by a
     * later build) counts as set to its value in {@code defaults}: a checkpoint written before the key existed
     * resumes as long as the key is left at its default, which reproduces the earlier behaviour.
     */
    public static Checkpoint latest(RunFolder out, Map<String, String> resolved, Map<String, String> defaults,
                                    Consumer<String> warn) {
        for (int round : rounds(out)) {
            String rel = DIR + "/" + fileName(round);
            Checkpoint c;
            try {
                c = decode(out.read(rel));
            } catch (OlderFormatException e) {
                throw new IllegalArgumentException("run.resume: " + out.uri() + "/" + rel + " " + e.getMessage()
                        + "; it cannot be resumed by this build: start afresh with another --out or --overwrite");
            } catch (CorruptCheckpointException | UncheckedIOException e) {
                warn.accept("[train] checkpoint " + out.uri() + "/" + rel + " is unusable (" + e.getMessage()
                        + "); trying the previous one");
                continue;
            }
            Map<String, String> want = fingerprinted(resolved);
            Map<String, String> have = new TreeMap<>(c.config());
            for (String k : want.keySet()) {
                if (!have.containsKey(k) && defaults.containsKey(k)) {
                    have.put(k, defaults.get(k));
                }
            }
            if (!want.equals(have)) {
                throw new IllegalArgumentException("run.resume: " + out.uri() + "/" + rel + " was written by another configuration ("
                        + differences(have, want) + "); resume with the same settings, or use another --out or --overwrite");
            }
            if (c.round() != round) {
                warn.accept("[train] checkpoint " + rel + " holds round " + c.round() + "; trying the previous one");
                continue;
            }
            return c;
        }
        return null;
    }

    /** "key: was X, now Y; ..." for every key that differs. */
    static String differences(Map<String, String> was, Map<String, String> now) {
        Set<String> keys = new TreeSet<>(was.keySet());
        keys.addAll(now.keySet());
        List<String> diffs = new ArrayList<>();
        for (String k : keys) {
            String a = was.get(k);
            String b = now.get(k);
            if (a == null ? b != null : !a.equals(b)) {
                diffs.add(k + " was '" + (a == null ? "(unset)" : a) + "', now '" + (b == null ? "(unset)" : b) + "'");
            }
        }
        return String.join("; ", diffs);
    }

    /** A checkpoint file that is torn, truncated or otherwise unreadable. */
    public static final class CorruptCheckpointException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        CorruptCheckpointException(String message) {
            super(message);
        }
    }

    /** A checkpoint in a format version this build does not read. */
    static final class OlderFormatException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        OlderFormatException(String message) {
            super(message);
        }
    }

    static byte[] encode(Map<String, String> resolved, TrainerState s, LowRankChain chain, List<RoundRecord> rows,
                         List<double[]> clientStates, IterateSummary.State iterates) {
        try {
            ByteArrayOutputStream payloadBytes = new ByteArrayOutputStream();
            DataOutputStream p = new DataOutputStream(payloadBytes);
            Map<String, String> config = fingerprinted(resolved);
            p.writeInt(config.size());
            for (Map.Entry<String, String> e : config.entrySet()) {
                string(p, e.getKey());
                string(p, e.getValue());
            }
            p.writeInt(s.round());
            p.writeDouble(s.epochs());
            p.writeLong(s.cumUplinkBits());
            p.writeLong(s.trainedParams());
            p.writeLong(s.wallMs());
            p.writeDouble(s.loss());
            p.writeDouble(s.gradNormSq());
            doubles(p, s.estimatorState());
            bytes(p, serialize(new Serializable[] {s.methodState(), s.earlyStopping(), s.plateau(), s.divergence()}));
            ModelLayout layout = chain.layout();
            p.writeInt(layout.modules().size());
            for (Module m : layout.modules()) {
                string(p, m.name());
                p.writeInt(m.rows());
                p.writeInt(m.cols());
                p.writeBoolean(m.adaptable());
            }
            doubles(p, chain.w0());
            doubles(p, chain.w());
            doubles(p, chain.wPrev());
            p.writeInt(chain.links().size());
            for (Link[] link : chain.links()) {
                for (Link l : link) {
                    p.writeBoolean(l != null);
                    if (l != null) {
                        p.writeByte(l.side.ordinal());
                        p.writeInt(l.rank);
                        doubles(p, l.b);
                        doubles(p, l.a);
                    }
                }
            }
            string(p, MetricsCsv.render(rows));
            p.writeInt(clientStates.size());
            for (double[] c : clientStates) {
                doubles(p, c);
            }
            // Last, so that a checkpoint written before the section existed reads as one without it.
            p.writeBoolean(iterates != null);
            if (iterates != null) {
                doubles(p, iterates.sum());
                p.writeLong(iterates.steps());
                p.writeDouble(iterates.bestLoss());
                doubles(p, iterates.best());
                p.writeInt(iterates.bestRound());
            }
            p.flush();
            byte[] payload = payloadBytes.toByteArray();
            CRC32 crc = new CRC32();
            crc.update(payload);
            ByteArrayOutputStream fileBytes = new ByteArrayOutputStream(payload.length + 32);
            DataOutputStream f = new DataOutputStream(fileBytes);
            f.write(MAGIC);
            f.writeInt(VERSION);
            f.writeLong(payload.length);
            f.write(payload);
            f.writeLong(crc.getValue());
            f.flush();
            return fileBytes.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Checkpoint decode(byte[] file) {
        int header = MAGIC.length + 4 + 8;
        if (file.length < header + 8) {
            throw new CorruptCheckpointException("truncated: " + file.length + " bytes");
        }
        for (int i = 0; i < MAGIC.length; i++) {
            if (file[i] != MAGIC[i]) {
                throw new CorruptCheckpointException("not a blora-spark checkpoint");
            }
        }
        try {
            DataInputStream f = new DataInputStream(new ByteArrayInputStream(file, MAGIC.length, file.length - MAGIC.length));
            int version = f.readInt();
            if (version != VERSION) {
                throw new OlderFormatException("is in checkpoint format " + version + ", this build reads " + VERSION);
            }
            long length = f.readLong();
            if (length != (long) file.length - header - 8) {
                throw new CorruptCheckpointException("truncated: payload of " + length + " bytes declared, "
                        + (file.length - header - 8) + " present");
            }
            CRC32 crc = new CRC32();
            crc.update(file, header, (int) length);
            f.skipNBytes(length);
            if (f.readLong() != crc.getValue()) {
                throw new CorruptCheckpointException("checksum mismatch");
            }
            DataInputStream p = new DataInputStream(new ByteArrayInputStream(file, header, (int) length));
            Map<String, String> config = new TreeMap<>();
            int keys = p.readInt();
            for (int i = 0; i < keys; i++) {
                config.put(string(p), string(p));
            }
            int round = p.readInt();
            double epochs = p.readDouble();
            long uplink = p.readLong();
            long trained = p.readLong();
            long wall = p.readLong();
            double loss = p.readDouble();
            double gradNormSq = p.readDouble();
            double[] estimator = doubles(p);
            Serializable[] extra = (Serializable[]) deserialize(bytes(p));
            // A checkpoint written before divergence was judged against the start has no fourth entry.
            TrainerState s = new TrainerState(round, epochs, uplink, trained, wall, loss, gradNormSq, estimator,
                    extra[0], (EarlyStopping) extra[1], (ReduceLrOnPlateau) extra[2],
                    extra.length > 3 ? (Divergence) extra[3] : null);
            ModelLayout.Builder lb = ModelLayout.builder();
            int modules = p.readInt();
            for (int i = 0; i < modules; i++) {
                lb.add(string(p), p.readInt(), p.readInt(), p.readBoolean());
            }
            ModelLayout layout = lb.build();
            double[] w0 = doubles(p);
            double[] w = doubles(p);
            double[] wPrev = doubles(p);
            int n = p.readInt();
            List<Link[]> links = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                Link[] link = new Link[modules];
                for (int j = 0; j < modules; j++) {
                    if (p.readBoolean()) {
                        Module m = layout.modules().get(j);
                        Side side = Side.values()[p.readByte()];
                        int rank = p.readInt();
                        link[j] = new Link(side, new Shape(m.rows(), m.cols()), rank, doubles(p), doubles(p));
                    }
                }
                links.add(link);
            }
            List<RoundRecord> rows = MetricsCsv.parse(string(p));
            int clients = p.readInt();
            if (clients < 0 || clients > 1 << 16) {
                throw new IOException("bad client count " + clients);
            }
            List<double[]> clientStates = new ArrayList<>();
            for (int i = 0; i < clients; i++) {
                clientStates.add(doubles(p));
            }
            IterateSummary.State iterates = p.available() > 0 && p.readBoolean()
                    ? new IterateSummary.State(doubles(p), p.readLong(), p.readDouble(), doubles(p), p.readInt()) : null;
            if (rows.size() != s.round() || w0.length != layout.size() || w.length != layout.size()) {
                throw new CorruptCheckpointException("round " + s.round() + " with " + rows.size()
                        + " metrics rows and " + w.length + " parameters for a model of " + layout.size());
            }
            return new Checkpoint(config, s, layout, w0, links, w, wPrev, rows, clientStates, iterates);
        } catch (IOException | RuntimeException e) {
            if (e instanceof CorruptCheckpointException c) {
                throw c;
            }
            throw new CorruptCheckpointException("unreadable: " + e);
        }
    }

    private static byte[] serialize(Serializable o) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(b)) {
            out.writeObject(o);
        }
        return b.toByteArray();
    }

    private static Object deserialize(byte[] b) throws IOException {
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(b))) {
            return in.readObject();
        } catch (ClassNotFoundException e) {
            throw new IOException("unknown class in the method state: " + e.getMessage());
        }
    }

    private static void bytes(DataOutputStream out, byte[] b) throws IOException {
        out.writeInt(b.length);
        out.write(b);
    }

    private static byte[] bytes(DataInputStream in) throws IOException {
        int n = in.readInt();
        if (n < 0 || n > in.available()) {
            throw new IOException("bad byte length " + n);
        }
        return in.readNBytes(n);
    }

    private static void string(DataOutputStream out, String s) throws IOException {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        out.writeInt(b.length);
        out.write(b);
    }

    private static String string(DataInputStream in) throws IOException {
        int n = in.readInt();
        if (n < 0 || n > in.available()) {
            throw new IOException("bad string length " + n);
        }
        return new String(in.readNBytes(n), StandardCharsets.UTF_8);
    }

    private static void doubles(DataOutputStream out, double[] v) throws IOException {
        if (v == null) {
            out.writeInt(-1);
            return;
        }
        out.writeInt(v.length);
        for (double x : v) {
            out.writeDouble(x);
        }
    }

    private static double[] doubles(DataInputStream in) throws IOException {
        int n = in.readInt();
        if (n == -1) {
            return null;
        }
        if (n < 0 || 8L * n > in.available()) {
            throw new IOException("bad array length " + n);
        }
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = in.readDouble();
        }
        return v;
    }
}
