package org.blora.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import org.blora.spark.TestFaults;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Determinism under faults: with master local[2,3] (up to 3 attempts per task) and every task of one round
 * failing on its first attempt (the test-only hook {@link TestFaults}), metrics.csv equals an undisturbed run's
 * in every column but wall_ms.
 */
class TaskRetryTest {
    @TempDir
    Path tmp;

    private static final String[] SETS = {"data.rows=1200", "data.features=36", "lora.rank=1", "optim.estimator=mvr",
        "optim.batch=50", "optim.rounds=30", "optim.tol=0", "run.seed=5", "clients=3",
        // A fixed stepsize and lambda skip the Lanczos estimate of ||X^T X / N||_2 (a Spark job per stage) to keep
        // the test short.
        "optim.step.rule=constant", "optim.step.size=0.3", "reg.lambda=0.5"};

    /** EF21 with Top-K keeps per-client state in the client-state RDD: a retried task must not change it twice. */
    private static final String[] FED = {"data.rows=1200", "data.features=36", "lora.rank=1", "optim.rounds=30",
        "optim.tol=0", "run.seed=5", "clients=3", "fed.protocol=ef21", "fed.compressor=topk", "fed.compressor.k=0.2",
        "data.split=dirichlet", "data.client.shift=1.0", "optim.step.rule=constant", "optim.step.size=0.3",
        "reg.lambda=0.5"};

    private static String[] on(Path out, String master) {
        return on(out, master, SETS);
    }

    private static String[] on(Path out, String master, String[] sets) {
        String[] a = TrainEndToEndTest.args(out, sets);
        // args() ends with --set spark.master=local[2] --out=...: replace that master.
        assertEquals("spark.master=local[2]", a[a.length - 2]);
        a[a.length - 2] = "spark.master=" + master;
        return a;
    }

    private static CliRunner.Result withFault(int round, String[] args) {
        System.setProperty(TestFaults.FAIL_FIRST_ATTEMPT_OF_ROUND, Integer.toString(round));
        try {
            return CliRunner.run(args);
        } finally {
            System.clearProperty(TestFaults.FAIL_FIRST_ATTEMPT_OF_ROUND);
        }
    }

    @Test
    void retriedTasksGiveIdenticalMetrics() throws IOException {
        CliRunner.Result clean = CliRunner.run(on(tmp.resolve("clean"), "local[2,3]"));
        assertEquals(0, clean.exitCode(), clean.err());
        int before = TestFaults.injected();
        CliRunner.Result faulty = withFault(7, on(tmp.resolve("faulty"), "local[2,3]"));
        assertEquals(0, faulty.exitCode(), faulty.err());
        assertEquals(3, TestFaults.injected() - before, "the first attempt of each of the 3 clients' tasks failed");
        assertEquals(TrainEndToEndTest.deterministicColumns(tmp.resolve("clean/metrics.csv")),
                TrainEndToEndTest.deterministicColumns(tmp.resolve("faulty/metrics.csv")));
    }

    @Test
    void retriedTasksWithClientStateGiveIdenticalMetrics() throws IOException {
        CliRunner.Result clean = CliRunner.run(on(tmp.resolve("fclean"), "local[2,3]", FED));
        assertEquals(0, clean.exitCode(), clean.err());
        int before = TestFaults.injected();
        CliRunner.Result faulty = withFault(11, on(tmp.resolve("ffaulty"), "local[2,3]", FED));
        assertEquals(0, faulty.exitCode(), faulty.err());
        assertEquals(3, TestFaults.injected() - before);
        assertEquals(TrainEndToEndTest.deterministicColumns(tmp.resolve("fclean/metrics.csv")),
                TrainEndToEndTest.deterministicColumns(tmp.resolve("ffaulty/metrics.csv")));
    }

    @Test
    void withoutRetriesTheInjectedFaultFailsTheRun() {
        // The hook bites: local[2] allows one attempt per task, so the same fault ends the job.
        CliRunner.Result r = withFault(2, on(tmp.resolve("noretry"), "local[2]"));
        assertNotEquals(0, r.exitCode());
        assertTrue(r.err().contains("injected test fault"), r.err());
    }
}
