package org.blora.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.blora.io.Checkpoints;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kill -9 of the driver after a checkpoint, then run.resume=true: the final metrics.csv equals an uninterrupted
 * run's in every column but wall_ms, and the adapter is byte-identical. The driver is a separate JVM
 * ({@code java -cp <test classpath> org.blora.cli.Main train ...}) killed with {@link Process#destroyForcibly}
 * (SIGKILL on Linux), so nothing of it runs after the kill: no shutdown hook, no finally block. Then a driver that
 * dies while writing a checkpoint ({@link Checkpoints#HALT_WHILE_WRITING} halts the JVM with the checkpoint half
 * written to its temporary file): the resume skips the torn file and also ends with the uninterrupted metrics.
 */
class ResumeIT {
    @TempDir
    Path tmp;

    /** The run lasts a few seconds; checkpoints every 20 rounds, the kill after round 60's. */
    private static final String[] SETS = {"data.rows=2000", "data.features=64", "lora.rank=2", "optim.estimator=mvr",
        "optim.batch=100", "optim.rounds=400", "optim.tol=0", "optim.step.rule=constant", "optim.step.size=0.2",
        "reg.lambda=0.5", "run.seed=11", "clients=2", "spark.master=local[2]", "run.checkpoint.every=20",
        "run.progress.seconds=1"};
    private static final int KILL_AFTER_ROUND = 60;
    private static final long TIMEOUT_MINUTES = 10;

    private static List<String> javaCommand() {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-Xmx1g");
        cmd.add("-Djava.awt.headless=true");
        // The Spark JVM flags (the parent pom's spark.jvm.flags) this test JVM was started with.
        for (String a : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (a.startsWith("--add-") || a.startsWith("-XX:+IgnoreUnrecognizedVMOptions")
                    || a.startsWith("-Djdk.reflect.") || a.startsWith("-Dio.netty.")) {
                cmd.add(a);
            }
        }
        cmd.add("-cp");
        cmd.add(System.getProperty("surefire.test.class.path", System.getProperty("java.class.path")));
        cmd.add(Main.class.getName());
        return cmd;
    }

    private Process start(Path out, String log, String... extra) throws IOException {
        return start(List.of(), out, log, extra);
    }

    private Process start(List<String> jvmFlags, Path out, String log, String... extra) throws IOException {
        List<String> cmd = javaCommand();
        cmd.addAll(cmd.indexOf("-cp"), jvmFlags);
        cmd.add("train");
        for (String s : SETS) {
            cmd.add("--set");
            cmd.add(s);
        }
        for (String s : extra) {
            cmd.add("--set");
            cmd.add(s);
        }
        cmd.add("--out=" + out);
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(tmp.resolve(log).toFile());
        pb.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
        return pb.start();
    }

    private int finish(Process p, String log) throws Exception {
        if (!p.waitFor(TIMEOUT_MINUTES, TimeUnit.MINUTES)) {
            p.destroyForcibly().waitFor();
            throw new AssertionError("driver did not finish in " + TIMEOUT_MINUTES + " min; log: " + tail(log));
        }
        return p.exitValue();
    }

    private String tail(String log) throws IOException {
        List<String> lines = Files.readAllLines(tmp.resolve(log));
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
    }

    private static int newestCheckpoint(Path out) throws IOException {
        Path dir = out.resolve("checkpoints");
        if (!Files.isDirectory(dir)) {
            return -1;
        }
        int newest = -1;
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.toList()) {
                Matcher m = Pattern.compile("round-(\\d+)\\.ckpt").matcher(f.getFileName().toString());
                if (m.matches()) {
                    newest = Math.max(newest, Integer.parseInt(m.group(1)));
                }
            }
        }
        return newest;
    }

    @Test
    void killedDriverResumesToTheSameMetrics() throws Exception {
        Path reference = tmp.resolve("reference");
        assertEquals(0, finish(start(reference, "reference.log"), "reference.log"), () -> {
            try {
                return tail("reference.log");
            } catch (IOException e) {
                return e.toString();
            }
        });

        Path run = tmp.resolve("killed");
        Process driver = start(run, "killed.log");
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(TIMEOUT_MINUTES);
        while (newestCheckpoint(run) < KILL_AFTER_ROUND) {
            assertTrue(driver.isAlive(), "the driver ended before checkpoint round " + KILL_AFTER_ROUND);
            assertTrue(System.nanoTime() < deadline, "no checkpoint of round " + KILL_AFTER_ROUND + " in time");
            Thread.sleep(10);
        }
        driver.destroyForcibly();
        assertTrue(driver.waitFor(1, TimeUnit.MINUTES));
        assertFalse(Files.exists(run.resolve("summary.json")), "killed before the end of the run");
        assertFalse(Files.exists(run.resolve("metrics.csv")));
        int newest = newestCheckpoint(run);
        assertTrue(newest >= KILL_AFTER_ROUND && newest < 400, "newest checkpoint " + newest);

        assertEquals(0, finish(start(run, "resumed.log", "run.resume=true"), "resumed.log"), () -> {
            try {
                return tail("resumed.log");
            } catch (IOException e) {
                return e.toString();
            }
        });
        String log = Files.readString(tmp.resolve("resumed.log"));
        assertTrue(log.contains("resuming from checkpoint round-" + newest), log);
        assertEquals(TrainEndToEndTest.deterministicColumns(reference.resolve("metrics.csv")),
                TrainEndToEndTest.deterministicColumns(run.resolve("metrics.csv")));
        assertEquals(402, Files.readAllLines(run.resolve("metrics.csv")).size());
        assertArrayEquals(Files.readAllBytes(reference.resolve("adapter/adapter.safetensors")),
                Files.readAllBytes(run.resolve("adapter/adapter.safetensors")));
        assertFalse(Files.exists(run.resolve("checkpoints")), "checkpoints removed after the successful finish");
        assertTrue(new File(run.toFile(), "summary.json").isFile());

        // The driver dies in the middle of writing round 60's checkpoint (the test hook halts the JVM with half
        // the bytes in the temporary file): the torn file is skipped and the run resumes from round 40.
        Path torn = tmp.resolve("torn");
        Process halted = start(List.of("-D" + Checkpoints.HALT_WHILE_WRITING + "=" + KILL_AFTER_ROUND), torn, "torn.log");
        assertEquals(Checkpoints.HALT_EXIT_CODE, finish(halted, "torn.log"), () -> {
            try {
                return tail("torn.log");
            } catch (IOException e) {
                return e.toString();
            }
        });
        List<Path> temps;
        try (Stream<Path> files = Files.list(torn.resolve("checkpoints"))) {
            temps = files.filter(f -> f.getFileName().toString().startsWith(".round-" + KILL_AFTER_ROUND + ".ckpt.tmp-")
                    && !f.getFileName().toString().endsWith(".crc")).toList();
        }
        assertEquals(1, temps.size(), "one torn temporary file");
        long whole40 = Files.size(torn.resolve("checkpoints/round-40.ckpt"));
        System.out.println("torn temporary file: " + temps.get(0).getFileName() + ", " + Files.size(temps.get(0))
                + " bytes (round-40.ckpt: " + whole40 + " bytes)");
        long tornBytes = Files.size(temps.get(0));
        assertTrue(tornBytes > 0 && tornBytes < whole40, "torn: " + tornBytes + " bytes");
        assertEquals(40, newestCheckpoint(torn));
        assertEquals(0, finish(start(torn, "torn-resumed.log", "run.resume=true"), "torn-resumed.log"), () -> {
            try {
                return tail("torn-resumed.log");
            } catch (IOException e) {
                return e.toString();
            }
        });
        assertTrue(Files.readString(tmp.resolve("torn-resumed.log")).contains("resuming from checkpoint round-40"));
        assertEquals(TrainEndToEndTest.deterministicColumns(reference.resolve("metrics.csv")),
                TrainEndToEndTest.deterministicColumns(torn.resolve("metrics.csv")));
        assertFalse(Files.exists(torn.resolve("checkpoints")), "checkpoints and the torn file removed at the finish");
    }
}
