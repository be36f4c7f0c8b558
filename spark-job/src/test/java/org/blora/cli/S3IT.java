package org.blora.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileSystem;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * s3a:// for real: S3Proxy (an S3-compatible server, its filesystem backend in a temporary folder, AWS v4
 * signatures checked) as a JVM of its own on 127.0.0.1, and the jobs submitted with submit/cluster.sh in local[2],
 * their credentials given only as {@code spark.hadoop.fs.s3a.*} settings. prep-regression writes the data to
 * S3, train reads its {@code --conf} and data from S3 and writes its run folder and checkpoints there; killed
 * with SIGKILL after a checkpoint it resumes from S3 to the metrics of an uninterrupted run. A wrong secret key is
 * refused with one line.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class S3IT {
    private static final String ACCESS = "blora-test";
    private static final String SECRET = "s3proxy-secret-key-for-blora";
    private static final String BUCKET = "blora";
    private static final String[] SETS = {"data.source=path", "data.format=parquet", "data.features=64",
        "model.shape=8x8", "lora.rank=2", "clients=2", "optim.rounds=300", "optim.tol=0", "run.seed=11",
        "run.checkpoint.every=20", "run.progress.seconds=1"};
    private static final long MINUTES = 10;

    @TempDir
    static Path tmp;

    private Process s3proxy;
    private String endpoint;
    private FileSystem s3;

    @BeforeAll
    void startS3Proxy() throws Exception {
        Path base = Files.createDirectories(tmp.resolve("s3"));
        Files.createDirectories(base.resolve(BUCKET)); // the filesystem backend's bucket is a folder
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        endpoint = "http://127.0.0.1:" + port;
        Path props = tmp.resolve("s3proxy.properties");
        Files.writeString(props, String.join("\n", "s3proxy.endpoint=" + endpoint, "s3proxy.authorization=aws-v2-or-v4",
                "s3proxy.identity=" + ACCESS, "s3proxy.credential=" + SECRET, "jclouds.provider=filesystem",
                "jclouds.filesystem.basedir=" + base, "") );
        String jar = System.getProperty("blora.s3proxy.jar", "target/s3proxy/s3proxy.jar");
        s3proxy = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m",
                "-jar", jar, "--properties", props.toString()).redirectErrorStream(true)
                .redirectOutput(tmp.resolve("s3proxy.log").toFile()).start();
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
        while (true) {
            assertTrue(s3proxy.isAlive(), () -> "S3Proxy exited:\n" + tailOf(tmp.resolve("s3proxy.log")));
            assertTrue(System.nanoTime() < deadline, "S3Proxy did not listen within 3 min");
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 1000);
                break;
            } catch (IOException notYet) {
                Thread.sleep(200);
            }
        }
        Configuration conf = new Configuration();
        s3Settings(SECRET).forEach((k, v) -> conf.set(k.substring("spark.hadoop.".length()), v));
        s3 = FileSystem.newInstance(java.net.URI.create("s3a://" + BUCKET + "/"), conf);
    }

    @AfterAll
    void stop() throws Exception {
        if (s3 != null) {
            s3.close();
        }
        if (s3proxy != null) {
            s3proxy.destroy();
            if (!s3proxy.waitFor(30, TimeUnit.SECONDS)) {
                s3proxy.destroyForcibly();
            }
        }
    }

    /** Everything S3A needs to reach this endpoint, as a user would give it to spark-submit. */
    private Map<String, String> s3Settings(String secret) {
        return Map.of("spark.hadoop.fs.s3a.endpoint", endpoint, "spark.hadoop.fs.s3a.endpoint.region", "us-east-1",
                "spark.hadoop.fs.s3a.path.style.access", "true", "spark.hadoop.fs.s3a.connection.ssl.enabled", "false",
                "spark.hadoop.fs.s3a.access.key", ACCESS, "spark.hadoop.fs.s3a.secret.key", secret);
    }

    private List<String> submit(String secret, String job, String... args) {
        List<String> cmd = new ArrayList<>(List.of("bash", Scripts.REPO.resolve("submit/cluster.sh").toString(), job,
                "--master", "local[2]", "--driver-memory", "1g"));
        s3Settings(secret).forEach((k, v) -> {
            cmd.add("--conf");
            cmd.add(k + "=" + v);
        });
        cmd.addAll(List.of(args));
        return cmd;
    }

    private Map<String, String> env() {
        return Map.of("BLORA_SPARK_DIR", tmp.resolve("spark").toString());
    }

    private List<String> s3Metrics(String run) throws IOException {
        return HadoopRunFiles.deterministicMetrics(s3, run);
    }

    private int newestCheckpoint(String run) throws IOException {
        return HadoopRunFiles.newestCheckpoint(s3, run);
    }

    @Test
    void dataConfRunAndCheckpointsOnS3ResumeAfterKill9AndAWrongKeyIsOneLine() throws Exception {
        String data = "s3a://" + BUCKET + "/data/linreg";
        Scripts.Result prep = Scripts.run(submit(SECRET, "prep-regression", "--set", "data.rows=4000", "--set",
                "data.features=64", "--set", "clients=2", "--set", "data.seed=5", "--out", data), env(),
                tmp.resolve("prep.log"), MINUTES);
        assertEquals(0, prep.code(), prep.output());
        String jobConf = "s3a://" + BUCKET + "/conf/run.properties";
        try (FSDataOutputStream out = s3.create(new org.apache.hadoop.fs.Path(jobConf))) {
            out.write(String.join("\n", SETS).concat("\ndata.path=" + data + "\n").getBytes(StandardCharsets.UTF_8));
        }

        // The reference: the same job, run folder on the local disk.
        Path local = tmp.resolve("local");
        Scripts.Result ref = Scripts.run(submit(SECRET, "train", "--conf", jobConf, "--out", local.toString()), env(),
                tmp.resolve("reference.log"), MINUTES);
        assertEquals(0, ref.code(), ref.output());
        List<String> expected = TrainEndToEndTest.deterministicColumns(local.resolve("metrics.csv"));

        String run = "s3a://" + BUCKET + "/runs/r";
        Path log = tmp.resolve("killed.log");
        Process driver = Scripts.start(submit(SECRET, "train", "--conf", jobConf, "--out", run), env(), log);
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(MINUTES);
        while (newestCheckpoint(run) < 40) {
            assertTrue(driver.isAlive(), () -> "the driver ended before checkpoint 40:\n" + tailOf(log));
            assertTrue(System.nanoTime() < deadline, () -> "no checkpoint 40 in time:\n" + tailOf(log));
            Thread.sleep(50);
        }
        driver.destroyForcibly();
        assertTrue(driver.waitFor(1, TimeUnit.MINUTES));
        int newest = newestCheckpoint(run);
        assertFalse(s3.exists(new org.apache.hadoop.fs.Path(run + "/summary.json")), "killed before the end");
        assertTrue(newest >= 40 && newest < 300, "newest checkpoint " + newest);
        Scripts.Result resumed = Scripts.run(submit(SECRET, "train", "--conf", jobConf, "--set", "run.resume=true",
                "--out", run), env(), tmp.resolve("resumed.log"), MINUTES);
        assertEquals(0, resumed.code(), resumed.output());
        assertTrue(resumed.output().contains("resuming from checkpoint round-" + newest), resumed.output());
        assertEquals(expected, s3Metrics(run));

        // A wrong secret key: refused with one line naming the path and the settings, nothing written.
        String other = "s3a://" + BUCKET + "/runs/wrong-key";
        Scripts.Result wrong = Scripts.run(submit("not-the-secret", "train", "--set", "data.rows=400", "--set",
                "data.features=64", "--set", "model.shape=8x8", "--out", other), env(), tmp.resolve("wrong.log"), MINUTES);
        assertEquals(2, wrong.code(), wrong.output());
        String line = Scripts.errorLine(wrong.output());
        assertTrue(line.contains(other) && line.contains("access denied")
                && line.contains("spark.hadoop.fs.s3a.secret.key"), "error line: '" + line + "'\n" + wrong.output());
        assertEquals(1, wrong.output().lines().filter(l -> l.startsWith("error: ")).count(), wrong.output());
        assertFalse(s3.exists(new org.apache.hadoop.fs.Path(other)));
    }

    private static String tailOf(Path log) {
        try {
            return Scripts.tail(log);
        } catch (IOException e) {
            return e.toString();
        }
    }
}
