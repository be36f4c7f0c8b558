package org.blora.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.sql.Row;
import org.blora.io.DocSnippets;
import org.blora.io.Safetensors;
import org.blora.spark.SharedSpark;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The PEFT export proven in PyTorch, end to end as a user would go: examples/save_state_dict.py saves a PyTorch
 * MLP's state_dict as safetensors; a Bernoulli-LoRA run fine-tunes it (model.init) on the digits 5-9 of MNIST-shaped
 * data (28 x 28 IDX files written here, ten classes) and exports PEFT (F32, the default); the apply job predicts the
 * test rows; examples/peft_mnist.py builds the MLP in PyTorch from the export (its LoRA layers computed as PEFT's
 * lora.Linear does), normalises and relabels the raw IDX images itself, and must give the apply job's predictions,
 * and its probabilities to 1e-6; the first snippet of examples/README.md runs on the export too.
 * With {@code -Dblora.mnist=DIR} (the four real MNIST files) the run uses real MNIST.
 * Runs Debian's /usr/bin/python3 (python3-torch); skipped, saying so, where it cannot import torch.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PeftPyTorchIT {
    static final String PYTHON = "/usr/bin/python3";
    static final Path EXAMPLES = Path.of("..", "examples").toAbsolutePath().normalize();
    /** Generous: importing torch takes seconds, and the machine may be loaded. Not a timing assertion. */
    static final long TIMEOUT_MINUTES = 15;

    @TempDir
    static Path tmp;

    @BeforeAll
    void needsTorch() throws Exception {
        boolean found;
        try {
            Process p = new ProcessBuilder(PYTHON, "-c", "import torch, numpy").redirectErrorStream(true).start();
            found = p.waitFor(TIMEOUT_MINUTES, TimeUnit.MINUTES) && p.exitValue() == 0;
        } catch (IOException e) {
            found = false;
        }
        assumeTrue(found, "skipped: " + PYTHON + " cannot import torch and numpy "
                + "(apt-get install python3-torch; .ci/run installs it)");
    }

    record Python(int exitCode, String output) {
    }

    static Python python(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(PYTHON));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(EXAMPLES.toFile()).redirectErrorStream(true);
        pb.environment().put("PYTHONPATH", EXAMPLES.toString());
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(TIMEOUT_MINUTES, TimeUnit.MINUTES), "python timed out");
        System.out.println(String.join(" ", args) + ":\n" + out.trim());
        return new Python(p.exitValue(), out);
    }

    /** MNIST-shaped IDX files: 28 x 28 images of the ten digits, each digit a bright bar at its own place, plus noise. */
    static void images(Path dir, String prefix, int n, long seed) throws IOException {
        SplittableRandom rng = new SplittableRandom(seed);
        byte[] pixels = new byte[n * 784];
        byte[] labels = new byte[n];
        for (int i = 0; i < n; i++) {
            int digit = rng.nextInt(10);
            labels[i] = (byte) digit;
            for (int k = 0; k < 784; k++) {
                int row = k / 28;
                boolean bar = row >= 2 * digit + 4 && row < 2 * digit + 7 && rng.nextInt(4) > 0;
                pixels[i * 784 + k] = (byte) (bar ? 150 + rng.nextInt(106) : rng.nextInt(60));
            }
        }
        Files.write(dir.resolve(prefix + "-images-idx3-ubyte"), MlpEndToEndTest.idx(2051, new int[] {n, 28, 28}, pixels));
        Files.write(dir.resolve(prefix + "-labels-idx1-ubyte"), MlpEndToEndTest.idx(2049, new int[] {n}, labels));
    }

    @Test
    void pytorchGivesTheApplyJobsPredictionsFromThePeftExport() throws Exception {
        String real = System.getProperty("blora.mnist", "");
        Path raw;
        if (real.isEmpty()) {
            raw = Files.createDirectories(tmp.resolve("raw"));
            images(raw, "train", 600, 1);
            images(raw, "t10k", 300, 2);
        } else {
            raw = Path.of(real);
        }
        Path prepared = tmp.resolve("prepared");
        CliRunner.Result r = CliRunner.run("prep-mnist", "--in", raw.toString(), "--out", prepared.toString(), "--val",
                real.isEmpty() ? "60" : "5000", "--master", "local[2]");
        assertEquals(0, r.exitCode(), r.err());

        // The user's own pre-trained model, from PyTorch.
        Path init = tmp.resolve("pretrained.safetensors");
        Python saved = python("save_state_dict.py", "--widths", "784,64,64,5", "--seed", "3", "--out", init.toString());
        assertEquals(0, saved.exitCode(), saved.output());

        Path run = tmp.resolve("run");
        r = CliRunner.run(TrainEndToEndTest.args(run, "data.source=mnist", "data.path=" + prepared, "data.classes=5-9",
                "model.type=mlp", "model.layers=784,64,64,5", "model.init=" + init, "lora.method=bernoulli", "lora.rank=2",
                "lora.p=0.5", "lora.link.epochs=1", "optim.optimizer=adamw", "optim.estimator=sgd", "optim.batch=32",
                "optim.step.rule=constant", "optim.step.size=0.01", "optim.epochs=" + (real.isEmpty() ? 3 : 1),
                "optim.rounds=" + (real.isEmpty() ? 100000 : 300), "optim.tol=0", "reg.lambda=0", "run.metrics.every=epoch",
                "run.seed=5"));
        assertEquals(0, r.exitCode(), r.err());
        Map<String, Safetensors.Tensor> given = Safetensors.read(Files.readAllBytes(init), "init");
        Map<String, Safetensors.Tensor> adapter =
                Safetensors.read(Files.readAllBytes(run.resolve("adapter/adapter.safetensors")), "adapter");
        for (String module : new String[] {"l1", "l1.bias", "l2", "l2.bias", "l3", "l3.bias"}) {
            String key = module.endsWith(".bias") ? module : module + ".weight";
            assertArrayEquals(given.get(key).data(), adapter.get(module + ".base").data(), 0.0,
                    module + ": W0 is PyTorch's " + key);
        }

        String config = Files.readString(run.resolve("adapter/peft/adapter_config.json"));
        System.out.println("adapter_config.json:\n" + config);
        if (real.isEmpty()) {
            // Three links of rank 2 make a chain of rank 6, above l3's min(out, in) = 5: l3 is written at rank 5.
            assertEquals(5, org.blora.io.JsonFiles.read(config, "adapter_config.json")
                    .get("rank_pattern").get("l3").asInt(), config);
        }
        Path predictions = tmp.resolve("predictions");
        r = CliRunner.run("apply", "--adapter", run.resolve("adapter/peft").toString(), "--data", prepared.toString(), "--out",
                predictions.toString(), "--master", "local[2]");
        assertEquals(0, r.exitCode(), r.err());
        Map<Long, Row> applied = new HashMap<>();
        for (Row row : SharedSpark.get().read().parquet(predictions.toString())
                .where("split = 'test' AND label >= 5").select("id", "label", "prediction", "probability").collectAsList()) {
            applied.put(row.getLong(0), row);
        }
        assertTrue(applied.size() > 100, applied.size() + " test rows of digits 5-9");

        // The first snippet of examples/README.md, as a user copies it, on this export.
        Path snippet = tmp.resolve("snippet.py");
        Files.writeString(snippet, DocSnippets.block(EXAMPLES.resolve("README.md"),
                "## Loading it in PyTorch (no PEFT needed)", "python",
                "runs/mnist/adapter/peft", run.resolve("adapter/peft").toString()));
        Python s = python(snippet.toString());
        assertEquals(0, s.exitCode(), s.output());
        assertTrue(s.output().startsWith("digit "), s.output());

        for (String dtype : new String[] {"float64", "float32"}) {
            Path csv = tmp.resolve("torch-" + dtype + ".csv");
            Python p = python("peft_mnist.py", "--export", run.resolve("adapter/peft").toString(), "--mnist", raw.toString(),
                    "--split", "test", "--classes", "5-9", "--dtype", dtype, "--out", csv.toString());
            assertEquals(0, p.exitCode(), p.output());
            List<String> lines = Files.readAllLines(csv);
            assertEquals("id,label,prediction,p0,p1,p2,p3,p4", lines.get(0));
            assertEquals(applied.size(), lines.size() - 1, "PyTorch classified exactly the test rows of digits 5-9");
            double maxDiff = 0;
            int disagreements = 0;
            for (String line : lines.subList(1, lines.size())) {
                String[] f = line.split(",");
                Row a = applied.get(Long.parseLong(f[0]));
                assertEquals(((Number) a.get(1)).intValue() - 5, Integer.parseInt(f[1]), "digits 5-9 relabelled 0-4, id " + f[0]);
                double[] prob = ((Vector) a.get(3)).toArray();
                for (int k = 0; k < 5; k++) {
                    maxDiff = Math.max(maxDiff, Math.abs(prob[k] - Double.parseDouble(f[3 + k])));
                }
                disagreements += (int) a.getDouble(2) == Integer.parseInt(f[2]) ? 0 : 1;
            }
            System.out.printf("PyTorch (%s) against the apply job on %d rows: max |p_torch - p_apply| = %.3e, "
                    + "%d predictions differ%n",
                    dtype, applied.size(), maxDiff, disagreements);
            if (dtype.equals("float64")) {
                assertTrue(maxDiff <= 1e-6, "max |p_torch - p_apply| = " + maxDiff);
                assertEquals(0, disagreements, "predictions that differ");
            }
        }
    }
}
