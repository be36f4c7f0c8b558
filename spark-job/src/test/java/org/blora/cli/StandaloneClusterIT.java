package org.blora.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * End to end on a real Spark standalone cluster started from the Maven jars on 127.0.0.1 (submit/standalone.sh):
 * a train job submitted with submit/cluster.sh loses one executor JVM (kill -9) in the middle of the run, Spark
 * relaunches it and recomputes the lost client blocks; later a whole Worker JVM is killed (kill -9, which takes
 * its executor down with it) and started again with {@code standalone.sh restart-worker}. The run finishes with
 * metrics.csv identical to a local[2] run of the same configuration (every column but wall_ms), although the
 * cluster's executors run with another vector width (-XX:MaxVectorSize=16, as on a 128-bit NEON host) than the
 * local run. Then a run with run.rounds=persistent on the same cluster loses an executor mid-run (kill -9): its
 * barrier stage is relaunched from the driver's round, and metrics.csv equals a local[2] run's.
 */
class StandaloneClusterIT {
    private static final String[] SETS = {"data.rows=4000", "data.features=64", "model.shape=8x8", "lora.rank=2",
            "clients=2", "optim.rounds=600", "optim.tol=0", "run.seed=11", "run.progress.seconds=0.5"};

    @TempDir
    Path tmp;

    private final Path root = Path.of(System.getProperty("blora.repo.root", "..")).toAbsolutePath().normalize();

    @Test
    void executorAndWorkerLostMidRunChangeNoMetric() throws Exception {
        Path dir = tmp.resolve("standalone");
        int masterPort = freePort();
        int webPort = freePort();
        Run start = run(List.of("bash", root.resolve("submit/standalone.sh").toString(), "start", "--workers", "2",
                "--cores", "1", "--memory", "1g", "--timeout", "300",
                "--master-port", Integer.toString(masterPort), "--webui-port",
                Integer.toString(webPort), "--dir", dir.toString()), 180);
        try {
            assertEquals(0, start.code, start.output);
            String url = start.output.lines().filter(l -> l.startsWith("spark://")).findFirst().orElseThrow();
            Path clusterOut = tmp.resolve("cluster");
            // The executors compute with 128-bit vectors (a NEON host's width), the local[2] run with this host's:
            // the fixed-order kernels must give the same bits anyway.
            List<String> submit = new ArrayList<>(List.of("bash", root.resolve("submit/cluster.sh").toString(), "train",
                    "--master", url, "--executor-memory", "512m",
                    "--conf", "spark.executor.extraJavaOptions=--add-modules=jdk.incubator.vector -XX:MaxVectorSize=16"));
            for (String s : SETS) {
                submit.add("--set");
                submit.add(s);
            }
            submit.add("--out");
            submit.add(clusterOut.toString());
            ProcessBuilder pb = new ProcessBuilder(submit).redirectErrorStream(true);
            pb.environment().put("BLORA_SKIP_BUILD", "1");
            pb.environment().put("BLORA_SPARK_DIR", dir.toString());
            Process job = pb.start();
            StringBuilder log = new StringBuilder();
            boolean killed = false;
            int workerRestartedAt = -1;
            int lastRound = -1;
            String script = root.resolve("submit/standalone.sh").toString();
            Pattern round = Pattern.compile("\\[train\\] round (\\d+)/");
            try (BufferedReader in = new BufferedReader(new InputStreamReader(job.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = in.readLine()) != null) {
                    log.append(line).append('\n');
                    Matcher m = round.matcher(line);
                    if (!killed && m.find() && Integer.parseInt(m.group(1)) >= 40) {
                        Run pids = run(List.of("bash", root.resolve("submit/standalone.sh").toString(), "executor-pids",
                                "--dir", dir.toString()), 30);
                        String pid = pids.output.lines().filter(l -> l.matches("\\d+")).findFirst().orElse("");
                        assertFalse(pid.isEmpty(), "no executor to kill: " + pids.output);
                        assertEquals(0, run(List.of("kill", "-9", pid), 10).code);
                        killed = true;
                        log.append("# killed executor ").append(pid).append(" at ").append(line).append('\n');
                    } else if (killed && workerRestartedAt < 0 && m.find(0) && Integer.parseInt(m.group(1)) >= 120) {
                        Run worker = run(List.of("bash", script, "worker-pid", "1", "--dir", dir.toString()), 30);
                        String pid = worker.output.lines().filter(l -> l.matches("\\d+")).findFirst().orElse("");
                        assertFalse(pid.isEmpty(), "worker 1 is not running: " + worker.output);
                        assertEquals(0, run(List.of("kill", "-9", pid), 10).code);
                        log.append("# killed worker 1 (pid ").append(pid).append(") at ").append(line).append('\n');
                        Run restart = run(List.of("bash", script, "restart-worker", "1", "--timeout", "300", "--dir",
                                dir.toString()), 320);
                        assertEquals(0, restart.code, restart.output);
                        workerRestartedAt = Integer.parseInt(m.group(1));
                        log.append("# ").append(restart.output.strip()).append('\n');
                    } else if (workerRestartedAt >= 0 && m.find(0)) {
                        lastRound = Integer.parseInt(m.group(1));
                    }
                }
            }
            assertTrue(job.waitFor(10, TimeUnit.MINUTES));
            assertEquals(0, job.exitValue(), log.toString());
            assertTrue(killed, "the run ended before an executor could be killed:\n" + log);
            assertTrue(workerRestartedAt >= 0 && lastRound > workerRestartedAt,
                    "the run did not go on after the worker was restarted:\n" + log);

            Path localOut = tmp.resolve("local");
            CliRunner.Result local = CliRunner.run(TrainEndToEndTest.args(localOut, SETS));
            assertEquals(0, local.exitCode(), local.err());
            assertEquals(TrainEndToEndTest.deterministicColumns(localOut.resolve("metrics.csv")),
                    TrainEndToEndTest.deterministicColumns(clusterOut.resolve("metrics.csv")));
            assertEquals(600, RunFiles.summary(clusterOut).get("rounds").asInt());

            // run.rounds=persistent on the same cluster: an executor killed mid-run fails the barrier stage; the
            // driver relaunches it from its current round and the metrics equal a local[2] run's.
            Path persistentOut = tmp.resolve("cluster-persistent");
            List<String> persistent = new ArrayList<>(submit.subList(0, submit.size() - 2));
            persistent.addAll(List.of("--set", "run.rounds=persistent", "--set", "optim.rounds=3000", "--out",
                    persistentOut.toString()));
            ProcessBuilder pp = new ProcessBuilder(persistent).redirectErrorStream(true);
            pp.environment().put("BLORA_SKIP_BUILD", "1");
            pp.environment().put("BLORA_SPARK_DIR", dir.toString());
            Process pjob = pp.start();
            StringBuilder plog = new StringBuilder();
            boolean pkilled = false;
            try (BufferedReader in = new BufferedReader(new InputStreamReader(pjob.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = in.readLine()) != null) {
                    plog.append(line).append('\n');
                    Matcher m = round.matcher(line);
                    if (!pkilled && m.find() && Integer.parseInt(m.group(1)) >= 100) {
                        Run pids = run(List.of("bash", script, "executor-pids", "--dir", dir.toString()), 30);
                        String pid = pids.output.lines().filter(l -> l.matches("\\d+")).findFirst().orElse("");
                        assertFalse(pid.isEmpty(), "no executor to kill: " + pids.output);
                        assertEquals(0, run(List.of("kill", "-9", pid), 10).code);
                        pkilled = true;
                        plog.append("# killed executor ").append(pid).append(" at ").append(line).append('\n');
                    }
                }
            }
            assertTrue(pjob.waitFor(10, TimeUnit.MINUTES));
            assertEquals(0, pjob.exitValue(), plog.toString());
            assertTrue(pkilled, "the persistent run ended before an executor could be killed:\n" + plog);
            assertTrue(plog.toString().contains("relaunching the stage"), plog.toString());
            List<String> psets = new ArrayList<>(List.of(SETS));
            psets.addAll(List.of("run.rounds=persistent", "optim.rounds=3000"));
            Path localPersistent = tmp.resolve("local-persistent");
            CliRunner.Result lp = CliRunner.run(TrainEndToEndTest.args(localPersistent, psets.toArray(new String[0])));
            assertEquals(0, lp.exitCode(), lp.err());
            assertEquals(TrainEndToEndTest.deterministicColumns(localPersistent.resolve("metrics.csv")),
                    TrainEndToEndTest.deterministicColumns(persistentOut.resolve("metrics.csv")));
        } finally {
            run(List.of("bash", root.resolve("submit/standalone.sh").toString(), "stop", "--dir", dir.toString()), 120);
        }
    }

    private record Run(int code, String output) {
    }

    private static Run run(List<String> cmd, int timeoutSeconds) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        // Maven built the jars this test uses; a script must never rebuild them under the running test.
        pb.environment().put("BLORA_SKIP_BUILD", "1");
        Process p = pb.start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            return new Run(-1, new String(out, StandardCharsets.UTF_8));
        }
        return new Run(p.exitValue(), new String(out, StandardCharsets.UTF_8));
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
