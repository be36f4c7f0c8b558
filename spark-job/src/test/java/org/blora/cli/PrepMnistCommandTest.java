package org.blora.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** prep-mnist from the command line: help, one-line errors with exit code 2, and a run on a 12-image MNIST. */
class PrepMnistCommandTest {
    @TempDir
    Path tmp;

    /** An IDX image file of {@code count} 2 x 2 images and its label file, named as MNIST's. */
    private static void idx(Path dir, String prefix, int count) throws IOException {
        ByteBuffer images = ByteBuffer.allocate(16 + 4 * count).putInt(0x0803).putInt(count).putInt(2).putInt(2);
        ByteBuffer labels = ByteBuffer.allocate(8 + count).putInt(0x0801).putInt(count);
        for (int i = 0; i < count; i++) {
            images.put(new byte[] {(byte) i, (byte) (2 * i), (byte) 255, 0});
            labels.put((byte) (i % 10));
        }
        Files.write(dir.resolve(prefix + "-images-idx3-ubyte"), images.array());
        Files.write(dir.resolve(prefix + "-labels-idx1-ubyte"), labels.array());
    }

    private void assertRejected(CliRunner.Result r, String... mustMention) {
        assertEquals(2, r.exitCode(), r.err());
        List<String> errors = r.err().lines().filter(l -> l.startsWith("error: ")).toList();
        assertEquals(1, errors.size(), r.err());
        for (String m : mustMention) {
            assertTrue(errors.get(0).contains(m), "'" + errors.get(0) + "' should mention '" + m + "'");
        }
        assertFalse(Files.exists(tmp.resolve("out")), "nothing may be written");
    }

    @Test
    void helpExplainsTheOptions() {
        CliRunner.Result r = CliRunner.run("prep-mnist", "--help");
        assertEquals(0, r.exitCode(), r.err());
        for (String s : List.of("--in", "--out", "--val", "--seed", "55,000/5,000", "fetch-mnist.sh", "default: 5000")) {
            assertTrue(r.out().contains(s), s + " in: " + r.out());
        }
    }

    @Test
    void aMissingFileIsOneLine() throws IOException {
        Path in = tmp.resolve("idx");
        Files.createDirectories(in);
        idx(in, "train", 12);
        assertRejected(CliRunner.run("prep-mnist", "--in", in.toString(), "--out", tmp.resolve("out").toString(),
                "--master", "local[2]"), "t10k-images-idx3-ubyte: not found", "fetch-mnist.sh");
    }

    @Test
    void badValIsOneLine() throws IOException {
        Path in = tmp.resolve("idx");
        Files.createDirectories(in);
        idx(in, "train", 12);
        idx(in, "t10k", 4);
        assertRejected(CliRunner.run("prep-mnist", "--in", in.toString(), "--out", tmp.resolve("out").toString(),
                "--val", "-3"), "--val must be >= 0", "got -3");
        assertRejected(CliRunner.run("prep-mnist", "--in", in.toString(), "--out", tmp.resolve("out").toString(),
                "--val", "12", "--master", "local[2]"), "val must be below the 12 images of");
    }

    @Test
    void writesTheSplits() throws IOException {
        Path in = tmp.resolve("idx");
        Files.createDirectories(in);
        idx(in, "train", 12);
        idx(in, "t10k", 4);
        Path out = tmp.resolve("mnist");
        CliRunner.Result r = CliRunner.run("prep-mnist", "--in", in.toString(), "--out", out.toString(), "--val", "3",
                "--seed", "7", "--master", "local[2]");
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.out().contains("train 9, val 3, test 4 images (seed 7)"), r.out());
        assertTrue(r.out().contains("[prep-mnist] warning: "), "tiny files are not the original ones: " + r.out());
        String props = Files.readString(out.resolve("_mnist.properties"));
        assertTrue(props.contains("mnist.seed=7\n") && props.contains("val.rows=3\n"), props);
    }
}
