package org.blora.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The sweep job on a tiny version of the paper's pipeline: the fine-tuning preset (cached-regression, rescaled),
 * pre-training on the pre-training preset, a grid over the rank and two seeds in one SparkSession. Checks that
 * each data set is generated once and pre-training runs once, then both are reused (also by a second sweep),
 * and that sweep.csv and the plot are written.
 */
class SweepEndToEndTest {
    @TempDir
    Path tmp;

    String[] args(Path out, String... sets) {
        List<String> a = new ArrayList<>(List.of("sweep"));
        for (String s : sets) {
            a.add("--set");
            a.add(s);
        }
        a.addAll(List.of("--set", "spark.master=local[2]", "--set", "data.cache.dir=" + tmp.resolve("data"),
                "--out=" + out));
        return a.toArray(new String[0]);
    }

    static int count(String text, String needle) {
        int n = 0;
        for (int i = text.indexOf(needle); i >= 0; i = text.indexOf(needle, i + 1)) {
            n++;
        }
        return n;
    }

    @Test
    void pretrainsOnceAndWritesOneRowPerPoint() throws IOException {
        String[] sets = {"data.preset=paper-finetune", "data.rows=300", "data.features=16", "data.informative=8",
                "data.effective.rank=4", "pretrain=true", "pretrain.rows=600", "model.shape=4x4", "optim.rounds=60",
                "optim.tol=1e-30", "sweep.grid.lora.rank=1,2", "sweep.seeds=1,2"};
        Path out = tmp.resolve("sweep");
        CliRunner.Result r = CliRunner.run(args(out, sets));
        assertEquals(0, r.exitCode(), r.err() + r.out());
        assertEquals(2, count(r.out(), "[data] generating"), r.out());
        assertEquals(1, count(r.out(), "[pretrain] GD"), r.out());
        assertEquals(3, count(r.out(), "[pretrain] reusing"), r.out());
        List<String> csv = Files.readAllLines(out.resolve("sweep.csv"));
        assertEquals(5, csv.size(), String.join("\n", csv));
        assertTrue(csv.get(0).startsWith("run,case,lora.rank,seed,grad_norm_sq,rounds,epochs,wall_ms,converged"), csv.get(0));
        assertTrue(Files.size(out.resolve("sweep.png")) > 1000);
        for (String row : csv.subList(1, csv.size())) {
            String folder = row.split(",")[0];
            assertTrue(Files.exists(out.resolve(folder).resolve("summary.json")), folder);
            String config = Files.readString(out.resolve(folder).resolve("config.properties"));
            assertTrue(config.contains("model.init=" + tmp.resolve("data") + "/pretrain-"), config);
        }
        // The fine-tuning loss starts from the pre-trained W0, not from zeros, and decreases.
        List<String> metrics = Files.readAllLines(out.resolve(csv.get(1).split(",")[0]).resolve("metrics.csv"));
        double first = Double.parseDouble(metrics.get(1).split(",")[4]);
        double last = Double.parseDouble(metrics.get(metrics.size() - 1).split(",")[4]);
        assertTrue(last < first, first + " -> " + last);

        // A second sweep with another grid reuses the cached data and W0.
        CliRunner.Result again = CliRunner.run(args(tmp.resolve("sweep2"), "data.preset=paper-finetune", "data.rows=300",
                "data.features=16", "data.informative=8", "data.effective.rank=4", "pretrain=true",
                "pretrain.rows=600", "model.shape=4x4", "optim.rounds=5", "sweep.grid.lora.method=rac",
                "sweep.grid.lora.p=0,1"));
        assertEquals(0, again.exitCode(), again.err());
        assertEquals(0, count(again.out(), "[data] generating"), again.out());
        assertEquals(0, count(again.out(), "[pretrain] GD"), again.out());
        assertEquals(3, Files.readAllLines(tmp.resolve("sweep2/sweep.csv")).size());
    }

    @Test
    void rejectsUnknownSweepKeysBeforeSpark() {
        CliRunner.Result r = CliRunner.run(args(tmp.resolve("bad"), "sweep.gird.lora.rank=1,2"));
        assertEquals(2, r.exitCode());
        assertTrue(r.err().contains("sweep.gird.lora.rank"), r.err());
        CliRunner.Result p = CliRunner.run(args(tmp.resolve("bad2"), "sweep.grid.lora.p=0.5,2"));
        assertEquals(2, p.exitCode());
        assertTrue(p.err().contains("lora.p"), p.err());
    }
}
