package org.blora.bench;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.blora.cli.Main;

/**
 * The paper's MNIST fine-tuning run (conf/experiments/paper-mnist.properties: MLP 784-64-64-5, AdamW, SGD b = 128,
 * 2 clients, digits 5-9 from a base pre-trained on 0-4) on generated images of MNIST's shape (28 x 28 bytes, ten
 * labels, each label a brighter band of pixels plus noise), not MNIST itself: the same command with run.rounds=stage
 * and run.rounds=persistent, alternately, their metrics.csv checked equal (every column but wall_ms). A round here is
 * a 128-row minibatch through a small MLP, microseconds of arithmetic: the run's time is what each mode's round
 * costs besides it.
 */
final class MlpRounds {
    private static final Path DIR = Path.of("target", "bench-mlp");

    private MlpRounds() {
    }

    /** {@code reps} pairs of runs of {@code epochs} epochs on {@code images} generated training images. */
    static void measure(int reps, int epochs, int images, Report rep) throws IOException {
        delete(DIR);
        Path raw = Files.createDirectories(DIR.resolve("raw"));
        write(raw, "train", images, 1);
        write(raw, "t10k", Math.max(100, images / 6), 2);
        Path prepared = DIR.resolve("prepared");
        int code = Main.execute("prep-mnist", "--in", raw.toString(), "--out", prepared.toString(), "--val",
                Integer.toString(images / 10), "--master", "local[2]");
        if (code != 0) {
            throw new IllegalStateException("prep-mnist failed (exit " + code + ")");
        }
        Samples stage = new Samples();
        Samples persistent = new Samples();
        long rounds = 0;
        // The first pair pre-trains the base (stage mode, shared by both) and warms the JIT; it is not counted.
        for (int r = -1; r < reps; r++) {
            double s = run(prepared, epochs, "stage", r);
            double p = run(prepared, epochs, "persistent", r);
            List<String> a = metrics(DIR.resolve("stage-" + r));
            if (!a.equals(metrics(DIR.resolve("persistent-" + r)))) {
                throw new IllegalStateException("the two modes' metrics.csv differ in " + DIR + " (repetition " + r + ")");
            }
            if (r >= 0) {
                stage.add(s);
                persistent.add(p);
                rounds = Long.parseLong(a.get(a.size() - 1).split(",", -1)[0]);
            }
        }
        String what = String.format("MNIST-shaped MLP fine-tuning (784-64-64-5, b = 128, %d epochs, %d rounds, "
                + "generated images)", epochs, rounds);
        rep.row(what + ": training loop, stage per round", stage);
        rep.row(what + ": training loop, persistent", persistent);
        rep.note("MLP runs: the same metrics.csv in both modes (every column but wall_ms), %d pairs after one warm-up "
                + "pair; times are metrics.csv's last wall_ms (the training loop, without loading and pre-training)", reps);
        rep.ratio("mlp_run_persistent_vs_stage", persistent.median() / stage.median());
    }

    /** One fine-tuning run; its training loop's wall time (ms), from the last row of metrics.csv. */
    private static double run(Path prepared, int epochs, String mode, int r) throws IOException {
        Path out = DIR.resolve(mode + "-" + r);
        List<String> args = new ArrayList<>(List.of("train", "--conf", "conf/experiments/paper-mnist.properties"));
        for (String set : List.of("data.path=" + prepared.toAbsolutePath(), "data.cache.dir=" + DIR.toAbsolutePath(),
                "pretrain.epochs=2", "optim.epochs=" + epochs, "optim.early.stop.patience=0",
                "optim.plateau.patience=0", "run.rounds=" + mode, "run.progress.seconds=600", "spark.master=local[2]")) {
            args.add("--set");
            args.add(set);
        }
        args.add("--out=" + out.toAbsolutePath());
        int code = Main.execute(args.toArray(new String[0]));
        if (code != 0) {
            throw new IllegalStateException("the " + mode + " run failed (exit " + code + "), see " + out);
        }
        List<String> lines = Files.readAllLines(out.resolve("metrics.csv"));
        return Double.parseDouble(lines.get(lines.size() - 1).split(",", -1)[2]);
    }

    private static List<String> metrics(Path run) throws IOException {
        return Files.readAllLines(run.resolve("metrics.csv")).stream().map(l -> {
            String[] f = l.split(",", -1);
            f[2] = "";
            return String.join(",", f);
        }).toList();
    }

    /** {@code n} 28 x 28 images in MNIST's IDX format, label i % 10: a bright band of rows per label, plus noise. */
    private static void write(Path dir, String prefix, int n, long seed) throws IOException {
        SplittableRandom rng = new SplittableRandom(seed);
        byte[] pixels = new byte[n * 784];
        byte[] labels = new byte[n];
        for (int i = 0; i < n; i++) {
            int label = i % 10;
            labels[i] = (byte) label;
            for (int k = 0; k < 784; k++) {
                int row = k / 28;
                int bright = row / 3 == label % 9 && rng.nextInt(4) > 0 ? 180 : 0;
                pixels[i * 784 + k] = (byte) Math.min(255, bright + rng.nextInt(60));
            }
        }
        Files.write(dir.resolve(prefix + "-images-idx3-ubyte"), idx(2051, new int[] {n, 28, 28}, pixels));
        Files.write(dir.resolve(prefix + "-labels-idx1-ubyte"), idx(2049, new int[] {n}, labels));
    }

    private static byte[] idx(int magic, int[] dims, byte[] data) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(b);
        out.writeInt(magic);
        for (int d : dims) {
            out.writeInt(d);
        }
        out.write(data);
        return b.toByteArray();
    }

    private static void delete(Path p) throws IOException {
        if (!Files.exists(p)) {
            return;
        }
        try (Stream<Path> s = Files.walk(p)) {
            for (Path q : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(q);
            }
        }
    }
}
