package org.blora.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bad input: one line naming the key or file and the fix, exit code 2, nothing written. */
class BadInputTest {
    @TempDir
    Path tmp;

    private CliRunner.Result train(String... sets) {
        String[] args = new String[3 + 2 * sets.length + 1];
        int k = 0;
        args[k++] = "train";
        for (String s : sets) {
            args[k++] = "--set";
            args[k++] = s;
        }
        args[k++] = "--set";
        args[k++] = "spark.master=local[2]";
        args[k] = "--out=" + tmp.resolve("out");
        return CliRunner.run(args);
    }

    private void assertRejected(CliRunner.Result r, String... mustMention) {
        assertEquals(2, r.exitCode(), r.err());
        String line = r.err().lines().filter(l -> l.startsWith("error: ")).findFirst().orElse("");
        for (String m : mustMention) {
            assertTrue(line.contains(m), "'" + line + "' should mention '" + m + "'; stderr: " + r.err());
        }
        assertFalse(Files.exists(tmp.resolve("out")), "nothing may be written");
    }

    @Test
    void unknownKeyIsNamedWithASuggestion() {
        assertRejected(train("lora.rnak=2"), "lora.rnak", "lora.rank");
    }

    @Test
    void probabilityOutsideUnitInterval() {
        assertRejected(train("lora.p=1.5"), "lora.p", "[0.0, 1.0]");
    }

    @Test
    void rankAboveMinOfShape() {
        assertRejected(train("lora.rank=17"), "lora.rank=17", "min(m, n)=16");
    }

    @Test
    void shapeThatDoesNotMatchTheFeatureCount() {
        assertRejected(train("model.shape=8x8"), "model.shape=8x8", "256 features");
    }

    @Test
    void missingDataPath() {
        assertRejected(train("data.source=path", "data.path=" + tmp.resolve("nope"), "model.shape=2x2"), "data.path", "does not exist");
    }

    @Test
    void corruptCsvLineIsNamedWithFileAndLine() throws IOException {
        Path csv = tmp.resolve("data.csv");
        Files.writeString(csv, "1.0,2.0,3.0,4.0,5.0\n2.0,1.0,oops,0.0,1.0\n");
        assertRejected(train("data.source=path", "data.path=" + csv, "data.format=csv", "model.shape=2x2", "clients=1"),
                "data.csv: line 2", "not a number");
    }

    @Test
    void nanInCsvIsRejected() throws IOException {
        Path csv = tmp.resolve("nan.csv");
        Files.writeString(csv, "1.0,2.0,3.0,4.0,5.0\n2.0,1.0,NaN,0.0,1.0\n");
        assertRejected(train("data.source=path", "data.path=" + csv, "data.format=csv", "model.shape=2x2", "clients=1"),
                "line 2", "NaN");
    }

    @Test
    void fewerRowsThanClients() throws IOException {
        Path csv = tmp.resolve("two.csv");
        Files.writeString(csv, "1.0,2.0,3.0,4.0,5.0\n2.0,1.0,3.0,0.0,1.0\n");
        assertRejected(train("data.source=path", "data.path=" + csv, "data.format=csv", "model.shape=2x2", "clients=3"),
                "2 rows", "clients=3");
    }

    @Test
    void helpListsTheKeys() {
        CliRunner.Result r = CliRunner.run("train", "--help");
        assertEquals(0, r.exitCode());
        assertTrue(r.out().contains("lora.p") && r.out().contains("optim.estimator") && r.out().contains("--overwrite"), r.out());
    }
}
