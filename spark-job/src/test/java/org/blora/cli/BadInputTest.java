package org.blora.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
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
    void polyakWithoutTheOptimalValueIsRefused() {
        assertRejected(train("optim.step.rule=polyak"), "optim.polyak.fstar");
    }

    @Test
    void mlpModelAndMnistDataRejectBadCombinations() {
        assertRejected(train("model.type=mlp"), "model.type=mlp", "data.source=mnist");
        assertRejected(train("data.source=mnist", "data.path=/nonexistent", "model.type=mlp", "optim.step.rule=theory"),
                "optim.step.rule=theory", "constant");
        assertRejected(train("model.layers=784,x,5"), "model.layers");
        assertRejected(train("lora.coin=sometimes"), "lora.coin");
        assertRejected(train("optim.early.stop.patience=3"), "optim.early.stop.patience", "data.source=mnist");
        for (String estimator : new String[] {"page", "mvr"}) {
            assertRejected(train("data.source=mnist", "data.path=/nonexistent", "model.type=mlp",
                    "optim.step.rule=constant", "optim.step.size=0.01", "optim.estimator=" + estimator),
                    "optim.estimator=" + estimator,
                    "model.dropout=0.1", "set model.dropout=0");
        }
    }

    @Test
    void roundsModeAndTimeoutAreChecked() {
        assertRejected(train("run.rounds=sometimes"), "run.rounds", "persistent");
        assertRejected(train("run.rounds=persistent", "run.rounds.timeout=0"), "run.rounds.timeout");
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
    void dataPathWithAPresetIsRefusedNotIgnored() {
        assertRejected(train("data.preset=paper-finetune", "data.path=hdfs:///data/linreg"), "data.path=hdfs:///data/linreg",
                "data.source=cached-regression", "data.preset=paper-finetune", "data.source=path");
        assertRejected(train("data.source=synthetic-regression", "data.path=/tmp/x"), "data.path=/tmp/x", "drop data.path");
    }

    @Test
    void confFileIsReadThroughTheHadoopFileSystemWhenItHasAScheme() throws IOException {
        Path conf = tmp.resolve("run.properties");
        Files.writeString(conf, "lora.rank=99\n");
        // Read (through Hadoop's file: FileSystem), so its bad value is named.
        assertRejected(CliRunner.run("train", "--conf", conf.toUri().toString(), "--out=" + tmp.resolve("out")),
                "lora.rank=99");
        assertRejected(CliRunner.run("train", "--conf", "file://" + tmp.resolve("missing.properties"),
                "--out=" + tmp.resolve("out")), "missing.properties", "does not exist", "hdfs://");
        assertRejected(CliRunner.run("train", "--conf", tmp.resolve("missing.properties").toString(),
                "--out=" + tmp.resolve("out")), "missing.properties", "does not exist");
    }

    @Test
    void missingDataPath() {
        assertRejected(train("data.source=path", "data.path=" + tmp.resolve("nope"), "model.shape=2x2"),
                "data.path", "does not exist");
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
    void garbageParquetNamesDataPath() throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("garbage"));
        byte[] junk = new byte[4096];
        new java.util.Random(1).nextBytes(junk);
        Files.write(dir.resolve("part-00000.parquet"), junk);
        assertRejected(train("data.source=path", "data.path=" + dir, "data.format=parquet", "model.shape=2x2"),
                "data.path", "garbage", "holds a corrupt Parquet file");
    }

    /** Parquet written by prep-regression: 200 rows x 4 features, split for 2 clients. */
    private Path prepared() {
        Path data = tmp.resolve("prepared");
        CliRunner.Result r = CliRunner.run("prep-regression", "--set", "data.rows=200", "--set", "data.features=4",
                "--set", "clients=2", "--set", "spark.master=local[2]", "--out=" + data);
        assertEquals(0, r.exitCode(), r.err());
        return data;
    }

    @Test
    void parquetWithCorruptPagesNamesDataPath() throws IOException {
        Path data = prepared();
        Path part;
        try (var files = Files.list(data)) {
            part = files.filter(f -> f.getFileName().toString().endsWith(".parquet")).sorted().findFirst().orElseThrow();
        }
        // Keep the footer (schema inference succeeds), overwrite the column data: the read fails inside a task.
        byte[] b = Files.readAllBytes(part);
        for (int i = 4; i < b.length / 2; i++) {
            b[i] = (byte) 0xA5;
        }
        Files.write(part, b);
        Files.deleteIfExists(part.resolveSibling("." + part.getFileName() + ".crc"));
        assertRejected(train("data.source=path", "data.path=" + data, "data.format=parquet", "model.shape=2x2", "clients=2"),
                "data.path", "prepared");
    }

    @Test
    void prepRegressionTakesThePostProcessingOfThePreset() throws IOException {
        Path data = tmp.resolve("preset");
        CliRunner.Result r = CliRunner.run("prep-regression", "--set", "data.preset=paper-finetune", "--set", "data.rows=120",
                "--set", "data.features=16", "--set", "data.informative=8", "--set", "data.effective.rank=2",
                "--set", "clients=2", "--set", "spark.master=local[2]", "--out=" + data);
        assertEquals(0, r.exitCode(), r.err());
        String spec = Files.readString(data.resolve("_spec.properties"));
        assertTrue(spec.contains("postprocess=rescale"), spec);
    }

    @Test
    void aClientWithoutRowsIsNamed() {
        Path data = prepared();
        // Written for 2 clients (column client in {0, 1}): with clients=3, client 2 would be an empty partition.
        assertRejected(train("data.source=path", "data.path=" + data, "data.format=parquet", "model.shape=2x2", "clients=3"),
                "client 2 has no rows", "lower clients");
    }

    @Test
    void corruptLibsvmLineIsNamedWithFileAndLine() throws IOException {
        Path svm = tmp.resolve("data.svm");
        Files.writeString(svm, "1.0 1:0.5 2:0.1 4:1\n2.0 1:0.5 3:x\n");
        assertRejected(train("data.source=path", "data.path=" + svm, "data.format=libsvm", "model.shape=2x2", "clients=1"),
                "data.svm: line 2", "feature 3 'x' is not a number");
    }

    @Test
    void unreadablePathNamesDataPath() {
        assertRejected(train("data.source=path", "data.path=nosuchfs://bucket/data", "model.shape=2x2"),
                "data.path: cannot read nosuchfs://bucket/data", "No FileSystem for scheme");
    }

    @Test
    void folderWithoutDataFiles() throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("empty"));
        Files.writeString(dir.resolve("_SUCCESS"), "");
        assertRejected(train("data.source=path", "data.path=" + dir, "model.shape=2x2"), "data.path", "holds no data files");
    }

    @Test
    void outputThatHoldsAFinishedRunIsRefused() throws IOException {
        Path out = Files.createDirectories(tmp.resolve("out"));
        Files.writeString(out.resolve("summary.json"), "{}");
        CliRunner.Result r = train("optim.rounds=1");
        assertEquals(2, r.exitCode(), r.err());
        assertTrue(r.err().contains("error: --out: " + out + " already holds a finished run (summary.json); "
                + "choose another --out or pass --overwrite"), r.err());
        try (var files = Files.list(out)) {
            assertEquals(List.of("summary.json"), files.map(f -> f.getFileName().toString()).toList(), "nothing written");
        }
        assertEquals("{}", Files.readString(out.resolve("summary.json")));
    }

    @Test
    void helpListsTheKeys() {
        CliRunner.Result r = CliRunner.run("train", "--help");
        assertEquals(0, r.exitCode());
        assertTrue(r.out().contains("lora.p") && r.out().contains("optim.estimator") && r.out().contains("--overwrite"), r.out());
    }
}
