package org.blora.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.blora.spark.TestFaults;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * sweep.parallel: six points (GD and PAGE, three seeds each) run four at a time in one SparkSession give, point by
 * point, the metrics.csv of the points run one after another (every column but wall_ms), each run with its own
 * executor-side copy of W (one snapshot, round 0), and log lines prefixed by their point; the rounds of the
 * concurrent points shared stages (sweep.fuse, on by default), so shared stages left every bit unchanged, also
 * when every task of a round fails once and is retried.
 */
class SweepParallelTest {
    @TempDir
    Path tmp;

    static final String[] SWEEP = {"data.rows=400", "data.features=16", "model.shape=4x4", "lora.rank=1",
            "optim.rounds=20", "optim.tol=1e-30", "run.progress.seconds=0.01", "sweep.seeds=1,2,3", "sweep.cases=gd,page",
            "sweep.case.gd=optim.estimator=gd", "sweep.case.page=optim.estimator=page; optim.batch=20"};

    static CliRunner.Result sweep(Path out, String... extra) {
        return sweep(out, true, extra);
    }

    static CliRunner.Result sweep(Path out, boolean spark, String... extra) {
        List<String> a = new ArrayList<>(List.of("sweep"));
        for (String s : SWEEP) {
            a.add("--set");
            a.add(s);
        }
        for (String s : extra) {
            a.add("--set");
            a.add(s);
        }
        if (spark) {
            a.addAll(List.of("--set", "spark.master=local[2]"));
        }
        a.add("--out=" + out);
        return CliRunner.run(a.toArray(new String[0]));
    }

    @Test
    void parallelPointsEqualSequentialOnes() throws IOException {
        CliRunner.Result seq = sweep(tmp.resolve("seq"));
        assertEquals(0, seq.exitCode(), seq.err() + seq.out());
        CliRunner.Result par = sweep(tmp.resolve("par"), "sweep.parallel=4");
        assertEquals(0, par.exitCode(), par.err() + par.out());
        // The same with the first attempt of every task of round 5 failing: Spark retries it (local[2,3]), in a
        // shared stage every request of the stage is computed again.
        int injected = TestFaults.injected();
        System.setProperty(TestFaults.FAIL_FIRST_ATTEMPT_OF_ROUND, "5");
        CliRunner.Result retried;
        try {
            retried = sweep(tmp.resolve("retried"), false, "sweep.parallel=4", "spark.master=local[2,3]");
        } finally {
            System.clearProperty(TestFaults.FAIL_FIRST_ATTEMPT_OF_ROUND);
        }
        assertEquals(0, retried.exitCode(), retried.err() + retried.out());
        assertTrue(TestFaults.injected() > injected, "no fault injected");

        List<String> rows = Files.readAllLines(tmp.resolve("par/sweep.csv"));
        assertEquals(7, rows.size(), String.join("\n", rows));
        assertEquals(Files.readAllLines(tmp.resolve("seq/sweep.csv")).stream().map(l -> l.split(",")[0]).toList(),
                rows.stream().map(l -> l.split(",")[0]).toList());
        for (String row : rows.subList(1, rows.size())) {
            String folder = row.split(",")[0];
            List<String> a = TrainEndToEndTest.deterministicColumns(tmp.resolve("seq").resolve(folder).resolve("metrics.csv"));
            List<String> b = TrainEndToEndTest.deterministicColumns(tmp.resolve("par").resolve(folder).resolve("metrics.csv"));
            assertEquals(22, a.size(), folder);
            assertEquals(a, b, folder);
            assertEquals(a, TrainEndToEndTest.deterministicColumns(tmp.resolve("retried").resolve(folder).resolve("metrics.csv")),
                    folder + " with retried tasks");
            String config = Files.readString(tmp.resolve("par").resolve(folder).resolve("config.properties"));
            // One full-W snapshot (round 0): no executor copy was lost to, or taken from, the concurrent run.
            assertTrue(config.contains("snapshots=1\n"), folder + ": " + config);
            String name = folder.substring("runs/".length());
            assertTrue(par.out().contains("[" + name + "] [train] round 20/20"), par.out());
        }
        Matcher shared = Pattern.compile("\\[sweep\\] (\\d+) stages shared by (\\d+) requests").matcher(par.out());
        assertTrue(shared.find(), par.out());
        assertTrue(Long.parseLong(shared.group(1)) > 0 && Long.parseLong(shared.group(2)) >= 2 * Long.parseLong(shared.group(1)),
                shared.group());
        assertTrue(!seq.out().contains("stages shared by"), seq.out());
    }

    @Test
    void rejectsAParallelCountBelowOne() {
        CliRunner.Result r = sweep(tmp.resolve("bad"), false, "sweep.parallel=0");
        assertEquals(2, r.exitCode(), r.err());
        assertTrue(r.err().contains("sweep.parallel"), r.err());
        assertTrue(!Files.exists(tmp.resolve("bad")), "nothing written");
        CliRunner.Result fuse = sweep(tmp.resolve("bad"), false, "sweep.parallel=2", "sweep.fuse=maybe");
        assertEquals(2, fuse.exitCode(), fuse.err());
        assertTrue(fuse.err().contains("sweep.fuse must be true or false"), fuse.err());
    }
}
