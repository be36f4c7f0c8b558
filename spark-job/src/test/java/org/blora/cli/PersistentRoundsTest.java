package org.blora.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.blora.spark.TestFaults;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * run.rounds=persistent gives metrics.csv bit for bit equal to run.rounds=stage (every column but wall_ms), for one
 * run of each family: the estimators GD (with the Lanczos passes of the theory step), SGD (sketch-first), PAGE, MVR;
 * the protocols QGD, MARINA and EF21 under partial participation (client state held by the tasks); the MLP with AdamW
 * links and held-out validation and test scores; a convex non-smooth loss. On local[2] the stage has 2 tasks, so with
 * 3 or 5 clients a task serves several clients. Then faults: a task that fails mid-run and a task that stops
 * answering both cost a relaunch of the stage, with the same metrics.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PersistentRoundsTest {
    @TempDir
    static Path tmp;
    private Path mnist;

    private static final String[] BASE = {"data.rows=600", "data.features=36", "lora.rank=1", "optim.rounds=24",
        "optim.tol=0", "run.seed=7", "clients=3", "optim.batch=40"};

    private static final String[] CONSTANT = {"optim.step.rule=constant", "optim.step.size=0.3", "reg.lambda=0.5"};

    @BeforeAll
    void prepareMnist() throws IOException {
        Path raw = Files.createDirectories(tmp.resolve("raw"));
        MlpEndToEndTest.images(raw, "train", 240, 1);
        MlpEndToEndTest.images(raw, "t10k", 60, 2);
        mnist = tmp.resolve("prepared");
        CliRunner.Result r = CliRunner.run("prep-mnist", "--in", raw.toString(), "--out", mnist.toString(),
                "--val", "48", "--master", "local[2]");
        assertEquals(0, r.exitCode(), r.err());
    }

    private static String[] with(String[] a, String... b) {
        List<String> all = new ArrayList<>(Arrays.asList(a));
        all.addAll(Arrays.asList(b));
        return all.toArray(new String[0]);
    }

    /** Runs the configuration in both modes and returns the persistent run's output. */
    private CliRunner.Result sameInBothModes(String name, String... sets) throws IOException {
        CliRunner.Result stage = CliRunner.run(TrainEndToEndTest.args(tmp.resolve(name + "-stage"),
                with(sets, "run.rounds=stage")));
        assertEquals(0, stage.exitCode(), stage.err());
        CliRunner.Result persistent = CliRunner.run(TrainEndToEndTest.args(tmp.resolve(name + "-persistent"),
                with(sets, "run.rounds=persistent")));
        assertEquals(0, persistent.exitCode(), persistent.err());
        assertTrue(persistent.out().contains("persistent rounds: one barrier stage of 2 tasks"), persistent.out());
        List<String> expected = TrainEndToEndTest.deterministicColumns(tmp.resolve(name + "-stage/metrics.csv"));
        assertTrue(expected.size() > 3, name + ": " + expected);
        assertEquals(expected, TrainEndToEndTest.deterministicColumns(tmp.resolve(name + "-persistent/metrics.csv")), name);
        return persistent;
    }

    @Test
    void gdWithTheLanczosPassesOfTheTheoryStep() throws IOException {
        sameInBothModes("gd", with(BASE, "optim.estimator=gd"));
    }

    @Test
    void sgdSketchFirst() throws IOException {
        sameInBothModes("sgd", with(with(BASE, CONSTANT), "optim.estimator=sgd", "fed.sketch.first=true", "clients=5"));
    }

    @Test
    void page() throws IOException {
        sameInBothModes("page", with(with(BASE, CONSTANT), "optim.estimator=page", "optim.page.q=0.2"));
    }

    @Test
    void mvr() throws IOException {
        sameInBothModes("mvr", with(with(BASE, CONSTANT), "optim.estimator=mvr"));
    }

    @Test
    void qgdWithPartialParticipation() throws IOException {
        sameInBothModes("qgd", with(with(BASE, CONSTANT), "fed.protocol=qgd", "fed.compressor=qsgd",
                "fed.participation=0.6", "clients=5"));
    }

    @Test
    void marinaWithPartialParticipation() throws IOException {
        sameInBothModes("marina", with(with(BASE, CONSTANT), "fed.protocol=marina", "fed.compressor=randk",
                "fed.compressor.k=0.3", "fed.marina.q=0.2", "fed.participation=0.6", "clients=5"));
    }

    @Test
    void ef21WithPartialParticipation() throws IOException {
        sameInBothModes("ef21", with(with(BASE, CONSTANT), "fed.protocol=ef21", "fed.compressor=topk",
                "fed.compressor.k=0.2", "fed.participation=0.6", "data.split=dirichlet", "data.client.shift=1.0"));
    }

    @Test
    void mlpWithAdamwLinksAndHeldOutScores() throws IOException {
        String[] sets = with(MlpEndToEndTest.FINE_TUNE, "data.path=" + mnist, "data.cache.dir=" + tmp.resolve("cache"),
                "optim.epochs=2");
        sameInBothModes("mlp", sets);
        assertTrue(Files.readString(tmp.resolve("mlp-persistent/metrics.csv")).contains("val_loss"));
    }

    @Test
    void convexLoss() throws IOException {
        sameInBothModes("lad", with(BASE, "model.loss=lad", "optim.estimator=sgd", "optim.step.rule=constant",
                "optim.step.size=0.05"));
    }

    @Test
    void aTaskLostMidRunCostsARelaunchAndNoBit() throws IOException {
        String[] sets = with(with(BASE, CONSTANT), "fed.protocol=ef21", "fed.compressor=topk", "fed.compressor.k=0.2",
                "fed.participation=0.6", "clients=5");
        CliRunner.Result clean = CliRunner.run(TrainEndToEndTest.args(tmp.resolve("kill-clean"), sets));
        assertEquals(0, clean.exitCode(), clean.err());
        System.setProperty(TestFaults.KILL_PERSISTENT_TASK_IN_ROUND, "9");
        CliRunner.Result killed;
        try {
            killed = CliRunner.run(TrainEndToEndTest.args(tmp.resolve("kill"), with(sets, "run.rounds=persistent")));
        } finally {
            System.clearProperty(TestFaults.KILL_PERSISTENT_TASK_IN_ROUND);
        }
        assertEquals(0, killed.exitCode(), killed.err());
        assertTrue(killed.out().contains("[rounds] round 9: task 0 failed: java.lang.IllegalStateException: injected test fault"),
                killed.out());
        assertEquals(TrainEndToEndTest.deterministicColumns(tmp.resolve("kill-clean/metrics.csv")),
                TrainEndToEndTest.deterministicColumns(tmp.resolve("kill/metrics.csv")));
    }

    @Test
    void aTaskThatStopsAnsweringIsFoundByTheTimeout() throws IOException {
        String[] sets = with(with(BASE, CONSTANT), "optim.estimator=page", "optim.page.q=0.2");
        CliRunner.Result clean = CliRunner.run(TrainEndToEndTest.args(tmp.resolve("hang-clean"), sets));
        assertEquals(0, clean.exitCode(), clean.err());
        System.setProperty(TestFaults.HANG_PERSISTENT_TASK_IN_ROUND, "6");
        CliRunner.Result hung;
        try {
            // 3 s: far beyond a round of these 600 rows even on a loaded machine, and short for the test.
            hung = CliRunner.run(TrainEndToEndTest.args(tmp.resolve("hang"),
                    with(sets, "run.rounds=persistent", "run.rounds.timeout=3")));
        } finally {
            System.clearProperty(TestFaults.HANG_PERSISTENT_TASK_IN_ROUND);
        }
        assertEquals(0, hung.exitCode(), hung.err());
        assertTrue(hung.out().contains("[rounds] round 6: no answer from task(s) [0] within run.rounds.timeout=3.0 s"),
                hung.out());
        assertEquals(TrainEndToEndTest.deterministicColumns(tmp.resolve("hang-clean/metrics.csv")),
                TrainEndToEndTest.deterministicColumns(tmp.resolve("hang/metrics.csv")));
    }
}
