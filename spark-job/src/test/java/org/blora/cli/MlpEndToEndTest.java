package org.blora.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.blora.io.Safetensors;
import org.blora.io.SafetensorsWriter;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The MNIST experiment's pipeline in miniature through the command line: IDX files written here (4 x 4 images
 * of six classes whose pixels depend on the class), prep-mnist, a pre-trained base model on classes 0-2, then
 * Bernoulli-LoRA with AdamW on every layer fine-tuning classes 3-5, with validation/test scores, the per-module
 * adapter, and a resume from a mid-link checkpoint that ends bit for bit where the uninterrupted run does.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MlpEndToEndTest {
    @TempDir
    static Path tmp;
    Path prepared;

    static final String[] FINE_TUNE = {"data.source=mnist", "data.classes=3-5", "clients=2", "model.type=mlp",
            "model.layers=16,8,3", "model.dropout=0.1", "pretrain=true", "pretrain.classes=0-2", "pretrain.epochs=3",
            "pretrain.lr=0.01", "lora.method=bernoulli", "lora.rank=1", "lora.p=0.5", "lora.link.epochs=1",
            "lora.first.side=A", "optim.optimizer=adamw", "optim.estimator=sgd", "optim.batch=8",
            "optim.step.rule=constant", "optim.step.size=0.02", "optim.epochs=4", "optim.rounds=100000",
            "optim.tol=0", "optim.plateau.patience=1", "optim.early.stop.patience=20", "reg.lambda=0",
            "run.metrics.every=epoch", "run.seed=4"};

    static byte[] idx(int magic, int[] dims, byte[] data) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(b);
        out.writeInt(magic);
        for (int d : dims) {
            out.writeInt(d);
        }
        out.write(data);
        return b.toByteArray();
    }

    static void images(Path dir, String prefix, int n, long seed) throws IOException {
        SplittableRandom rng = new SplittableRandom(seed);
        byte[] pixels = new byte[n * 16];
        byte[] labels = new byte[n];
        for (int i = 0; i < n; i++) {
            int label = i % 6;
            labels[i] = (byte) label;
            for (int k = 0; k < 16; k++) {
                int bright = k % 6 == label ? 200 : 20;
                pixels[i * 16 + k] = (byte) Math.min(255, bright + rng.nextInt(40));
            }
        }
        Files.write(dir.resolve(prefix + "-images-idx3-ubyte"), idx(2051, new int[] {n, 4, 4}, pixels));
        Files.write(dir.resolve(prefix + "-labels-idx1-ubyte"), idx(2049, new int[] {n}, labels));
    }

    @BeforeAll
    void prepare() throws IOException {
        Path raw = Files.createDirectories(tmp.resolve("raw"));
        images(raw, "train", 240, 1);
        images(raw, "t10k", 60, 2);
        prepared = tmp.resolve("prepared");
        CliRunner.Result r = CliRunner.run("prep-mnist", "--in", raw.toString(), "--out", prepared.toString(),
                "--val", "48", "--master", "local[2]");
        assertEquals(0, r.exitCode(), r.err());
    }

    String[] train(Path out, String... extra) {
        List<String> a = new ArrayList<>(List.of("train"));
        for (String s : FINE_TUNE) {
            a.add("--set");
            a.add(s);
        }
        a.addAll(List.of("--set", "data.path=" + prepared, "--set", "data.cache.dir=" + tmp.resolve("cache"),
                "--set", "spark.master=local[2]"));
        for (String s : extra) {
            a.add("--set");
            a.add(s);
        }
        a.add("--out=" + out);
        return a.toArray(new String[0]);
    }

    @Test
    void fineTunesEveryLayerAndWritesTheClassifierOutputs() throws IOException {
        Path out = tmp.resolve("run");
        CliRunner.Result r = CliRunner.run(train(out));
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.out().contains("[pretrain]"), r.out());
        List<String> metrics = Files.readAllLines(out.resolve("metrics.csv"));
        assertTrue(metrics.get(0).endsWith(",accuracy,val_loss,val_accuracy,test_loss,test_accuracy"), metrics.get(0));
        String[] last = metrics.get(metrics.size() - 1).split(",", -1);
        double testAccuracy = Double.parseDouble(last[14]);
        assertTrue(testAccuracy > 0.9, "test accuracy " + testAccuracy + " on separable classes");
        String summary = Files.readString(out.resolve("summary.json"));
        assertTrue(summary.contains("\"test_accuracy\""), summary);
        assertTrue(summary.contains("\"expected_trainable_params\""), summary);
        // Per module: merged = base + sum_t B_t A_t; biases are not adapted and stay at the base model's values.
        Map<String, Safetensors.Tensor> t =
                Safetensors.read(Files.readAllBytes(out.resolve("adapter/adapter.safetensors")), "adapter");
        for (String module : new String[] {"l1", "l2"}) {
            int rows = t.get(module + ".base").shape()[0];
            int cols = t.get(module + ".base").shape()[1];
            double[] w = t.get(module + ".base").data().clone();
            int links = 0;
            while (t.containsKey(module + ".chain." + links + ".B")) {
                double[] b = t.get(module + ".chain." + links + ".B").data();
                double[] a = t.get(module + ".chain." + links + ".A").data();
                int rank = t.get(module + ".chain." + links + ".B").shape()[1];
                for (int i = 0; i < rows; i++) {
                    for (int k = 0; k < rank; k++) {
                        for (int j = 0; j < cols; j++) {
                            w[i * cols + j] += b[i * rank + k] * a[k * cols + j];
                        }
                    }
                }
                links++;
            }
            assertEquals(4, links, module + ": one link per epoch");
            assertArrayEquals(t.get(module + ".merged").data(), w, 1e-12, module);
            assertArrayEquals(t.get(module + ".bias.base").data(), t.get(module + ".bias.merged").data(), 0.0);
        }
        assertFalse(t.containsKey("l1.bias.chain.0.B"));
    }

    /**
     * A PyTorch state_dict of the MLP 16, 8, 3 saved as safetensors the way torch names and types it (l1.weight
     * 8 x 16, l1.bias of 8, l2.weight, l2.bias; F32), written here by the project's writer.
     */
    static Path stateDict(Path file, long seed) throws IOException {
        SplittableRandom rng = new SplittableRandom(seed);
        List<SafetensorsWriter.Tensor> tensors = new ArrayList<>();
        int[][] shapes = {{8, 16}, {8}, {3, 8}, {3}};
        String[] names = {"l1.weight", "l1.bias", "l2.weight", "l2.bias"};
        for (int i = 0; i < names.length; i++) {
            int size = shapes[i].length == 1 ? shapes[i][0] : shapes[i][0] * shapes[i][1];
            tensors.add(new SafetensorsWriter.Tensor(names[i], shapes[i], rng.doubles(size, -0.3, 0.3).toArray()));
        }
        try (var out = Files.newOutputStream(file)) {
            SafetensorsWriter.write(out, tensors, SafetensorsWriter.Dtype.F32, Map.of("format", "pt"));
        }
        return file;
    }

    @Test
    void startsFromAPyTorchStateDict() throws IOException {
        Path init = stateDict(tmp.resolve("torch-state-dict.safetensors"), 8);
        Path out = tmp.resolve("from-torch");
        CliRunner.Result r = CliRunner.run(train(out, "pretrain=false", "model.init=" + init, "optim.epochs=1"));
        assertEquals(0, r.exitCode(), r.err());
        Map<String, Safetensors.Tensor> given = Safetensors.read(Files.readAllBytes(init), "init");
        Map<String, Safetensors.Tensor> t =
                Safetensors.read(Files.readAllBytes(out.resolve("adapter/adapter.safetensors")), "adapter");
        for (String module : new String[] {"l1", "l1.bias", "l2", "l2.bias"}) {
            String key = module.endsWith(".bias") ? module : module + ".weight";
            assertArrayEquals(given.get(key).data(), t.get(module + ".base").data(), 0.0,
                    module + ": W0 is the state_dict's " + key);
        }
        // A state_dict of another model is one line naming the tensor, the shapes and the keys expected.
        CliRunner.Result bad = CliRunner.run(train(tmp.resolve("from-torch-bad"), "pretrain=false", "model.init=" + init,
                "model.layers=16,4,3"));
        assertEquals(2, bad.exitCode(), bad.err());
        assertTrue(bad.err().contains("model.init: ") && bad.err().contains("l1.weight tensor of 4x16 (it is [8, 16])")
                && bad.err().contains("[l1.weight, l1.bias, l2.weight, l2.bias]"), bad.err());
    }

    @Test
    void aRetriedTaskChangesNoMetric() throws IOException {
        // local[2,3] allows retries; every task of round 9 (a minibatch round with dropout) fails once.
        Path clean = tmp.resolve("retry-clean");
        assertEquals(0, CliRunner.run(train(clean, "spark.master=local[2,3]")).exitCode());
        Path faulty = tmp.resolve("retry-faulty");
        System.setProperty(org.blora.spark.TestFaults.FAIL_FIRST_ATTEMPT_OF_ROUND, "9");
        int before = org.blora.spark.TestFaults.injected();
        try {
            assertEquals(0, CliRunner.run(train(faulty, "spark.master=local[2,3]")).exitCode());
        } finally {
            System.clearProperty(org.blora.spark.TestFaults.FAIL_FIRST_ATTEMPT_OF_ROUND);
        }
        assertTrue(org.blora.spark.TestFaults.injected() > before, "the fault was injected");
        assertEquals(TrainEndToEndTest.deterministicColumns(clean.resolve("metrics.csv")),
                TrainEndToEndTest.deterministicColumns(faulty.resolve("metrics.csv")));
    }

    @Test
    void resumesMidLinkBitForBit() throws IOException {
        Path whole = tmp.resolve("whole");
        assertEquals(0, CliRunner.run(train(whole, "run.checkpoint.every=7", "run.checkpoint.keep=true")).exitCode());
        // What a crash leaves: only the older of the two kept checkpoints (links last one epoch: 12 rounds).
        List<Integer> rounds;
        try (var files = Files.list(whole.resolve("checkpoints"))) {
            rounds = files.map(f -> f.getFileName().toString()).filter(n -> n.matches("round-\\d+\\.ckpt"))
                    .map(n -> Integer.parseInt(n.replaceAll("\\D", ""))).sorted().toList();
        }
        int from = rounds.get(0);
        assertTrue(from % 12 != 0, "checkpoint round " + from + " is inside a link");
        Path part = Files.createDirectories(tmp.resolve("part/checkpoints"));
        Files.copy(whole.resolve("checkpoints/round-" + from + ".ckpt"), part.resolve("round-" + from + ".ckpt"));
        CliRunner.Result r = CliRunner.run(train(part.getParent(), "run.resume=true", "run.checkpoint.every=7",
                "run.checkpoint.keep=true"));
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.out().contains("resuming from checkpoint round-" + from), r.out());
        assertEquals(TrainEndToEndTest.deterministicColumns(whole.resolve("metrics.csv")),
                TrainEndToEndTest.deterministicColumns(part.getParent().resolve("metrics.csv")));
        assertArrayEquals(Files.readAllBytes(whole.resolve("adapter/adapter.safetensors")),
                Files.readAllBytes(part.getParent().resolve("adapter/adapter.safetensors")));
    }
}
