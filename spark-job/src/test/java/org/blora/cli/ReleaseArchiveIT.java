package org.blora.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The release archive that {@code mvn package} builds, unpacked into an empty folder, runs the demo on a standalone
 * cluster started by its own submit/standalone.sh, with Spark from {@code $SPARK_HOME} (here a Spark home whose
 * jars/ are the Maven-resolved Spark jars, as a distribution's are). The cluster authenticates: its secret file is
 * private to its owner, and a submission without the secret is refused by the Master and registers no application.
 */
class ReleaseArchiveIT {
    @TempDir
    Path tmp;

    @Test
    void unpackedReleaseRunsTheDemoOnAnAuthenticatedStandaloneCluster() throws Exception {
        Path release = Scripts.unpackRelease(tmp.resolve("gateway"));
        assertTrue(release.getFileName().toString().matches("blora-spark-\\d+\\.\\d+\\.\\d+(-SNAPSHOT)?"), release.toString());
        for (String f : List.of("lib/blora-spark-app.jar", "submit/cluster.sh", "submit/standalone.sh", "submit/common.sh",
                "conf/demo.properties", "README.md", "docs/CLUSTER.md")) {
            assertTrue(Files.isRegularFile(release.resolve(f)), "release lacks " + f);
        }
        assertTrue(Files.isExecutable(release.resolve("submit/cluster.sh")));
        try (Stream<Path> lib = Files.list(release.resolve("lib"))) {
            assertEquals(List.of("blora-spark-app.jar"), lib.map(p -> p.getFileName().toString()).toList(),
                    "lib/ holds the application jar alone");
        }
        // spark/jars: what spark-submit and YARN's containers run on when the gateway has no Spark distribution.
        try (Stream<Path> jars = Files.list(release.resolve("spark/jars"))) {
            List<String> names = jars.map(p -> p.getFileName().toString()).toList();
            for (String prefix : List.of("spark-core_2.13-", "spark-yarn_2.13-", "hadoop-client-runtime-", "scala-library-")) {
                assertTrue(names.stream().anyMatch(n -> n.startsWith(prefix)), "spark/jars lacks " + prefix + "*.jar");
            }
            for (String prefix : List.of("blora-", "hadoop-aws-", "bundle-", "picocli-")) {
                assertFalse(names.stream().anyMatch(n -> n.startsWith(prefix)), "spark/jars holds " + prefix + "*.jar");
            }
        }

        Map<String, String> env = Map.of("SPARK_HOME", sparkHome().toString(),
                "BLORA_SPARK_DIR", tmp.resolve("state").toString());
        String standalone = release.resolve("submit/standalone.sh").toString();
        String cluster = release.resolve("submit/cluster.sh").toString();
        Scripts.Result start = Scripts.run(List.of("bash", standalone, "start", "--workers", "1", "--cores", "2",
                "--memory", "1g", "--master-port", Integer.toString(freePort()), "--webui-port", Integer.toString(freePort()),
                "--timeout", "300"), env, tmp.resolve("start.log"), 6, release);
        Path masterLog = tmp.resolve("state/logs/master.out");
        try {
            assertEquals(0, start.code(), start.output());
            String url = start.output().lines().filter(l -> l.startsWith("spark://")).findFirst().orElseThrow();
            assertEquals("rw-------", PosixFilePermissions.toString(
                    Files.getPosixFilePermissions(tmp.resolve("state/spark-auth.conf"))));

            // Without the secret (another state folder, so cluster.sh has none to add): refused at registration.
            Path refusedLog = tmp.resolve("refused.log");
            Process refused = Scripts.start(List.of("bash", cluster, "train", "--master", url, "--executor-memory", "512m",
                    "--set", "data.rows=400", "--set", "data.features=64", "--set", "model.shape=8x8", "--out",
                    tmp.resolve("refused").toString()), Map.of("SPARK_HOME", env.get("SPARK_HOME"), "BLORA_SPARK_DIR",
                    tmp.resolve("intruder").toString()), refusedLog, release);
            try {
                long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(6);
                while (!Files.readString(refusedLog).contains("Failed to connect to master")) {
                    assertTrue(refused.isAlive() || Files.readString(refusedLog).contains("Failed to connect to master"),
                            () -> "the submission without the secret ended without being refused:\n" + tail(refusedLog));
                    assertTrue(System.nanoTime() < deadline, () -> "no refusal in 6 min:\n" + tail(refusedLog));
                    Thread.sleep(200);
                }
            } finally {
                refused.destroyForcibly().waitFor();
            }
            String master = Files.readString(masterLog);
            assertTrue(master.contains("Expected SaslMessage"), "the Master names the unauthenticated connection");
            assertFalse(master.contains("Registering app"), "no application registered without the secret");

            // The demo, as docs/CLUSTER.md shows it (fewer rounds).
            Path out = tmp.resolve("runs/demo");
            Scripts.Result demo = Scripts.run(List.of("bash", cluster, "train", "--master", url, "--executor-memory", "512m",
                    "--conf", "conf/demo.properties", "--set", "optim.rounds=300", "--out", out.toString()), env,
                    tmp.resolve("demo.log"), 10, release);
            assertEquals(0, demo.code(), demo.output());
            assertEquals(300, RunFiles.summary(out).get("rounds").asInt());
            assertTrue(Files.isRegularFile(out.resolve("metrics.csv")));
            Matcher m = Pattern.compile("Registering app").matcher(Files.readString(masterLog));
            int apps = 0;
            while (m.find()) {
                apps++;
            }
            assertEquals(1, apps, "the demo ran on the cluster");
        } finally {
            Scripts.run(List.of("bash", standalone, "stop"), env, tmp.resolve("stop.log"), 3, release);
        }
    }

    /** A Spark home as a distribution has it: jars/ with Spark, Hadoop and Scala (the Maven-resolved runtime jars). */
    private Path sparkHome() throws IOException {
        Path jars = Files.createDirectories(tmp.resolve("spark-home/jars"));
        String cp = Files.readString(Scripts.REPO.resolve("spark-job/target/classpath.txt")).strip();
        List<String> seen = new ArrayList<>();
        for (String entry : cp.split(":")) {
            Path jar = Path.of(entry);
            String name = jar.getFileName().toString();
            if (name.endsWith(".jar") && !jar.toAbsolutePath().startsWith(Scripts.REPO) && !seen.contains(name)) {
                seen.add(name);
                Files.createSymbolicLink(jars.resolve(name), jar);
            }
        }
        return tmp.resolve("spark-home");
    }

    private static String tail(Path log) {
        try {
            return Scripts.tail(log);
        } catch (IOException e) {
            return e.toString();
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
