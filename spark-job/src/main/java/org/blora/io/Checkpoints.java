package org.blora.io;

import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Consumer;
import org.blora.core.chain.LowRankChain;
import org.blora.core.train.IterateSummary;
import org.blora.core.train.RoundRecord;
import org.blora.core.train.TrainerState;
import org.blora.data.key.Sha256;

/**
 * Checkpoints of a run in {@code <out>/checkpoints/round-<t>.ckpt}, one file each, written through the Hadoop
 * FileSystem API under a temporary name and renamed into place ({@link RunFolder#write}), so a reader sees a
 * whole file or none. A file is a safetensors file with the arrays as F64 tensors and the state as JSON in its
 * metadata, under a CRC32 of the whole file ({@link CheckpointFile}; the schema is {@link CheckpointState} and
 * docs/CHECKPOINTS.md). A torn or corrupt file (short, not a checkpoint, bad checksum, unparsable) is skipped with a
 * warning and the previous one used; a file of an earlier format, or with a component of a version this build does
 * not read, is refused in one line. The last {@link #KEEP} checkpoints are kept. The state records the resolved
 * configuration minus {@link #FREE_KEYS}; resuming under another configuration is refused, naming the keys that
 * differ.
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
                throw new IllegalArgumentException("run.resume: " + out.uri() + "/" + rel
                        + " was written by another configuration ("
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

    /** A whole checkpoint in a format, or with a component, of a version this build does not read. */
    static final class OlderFormatException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        OlderFormatException(String message) {
            super(message);
        }
    }

    static byte[] encode(Map<String, String> resolved, TrainerState s, LowRankChain chain, List<RoundRecord> rows,
                         List<double[]> clientStates, IterateSummary.State iterates) {
        return CheckpointState.encode(fingerprinted(resolved), s, chain, rows, clientStates, iterates);
    }

    static Checkpoint decode(byte[] file) {
        return CheckpointState.decode(file);
    }
}
