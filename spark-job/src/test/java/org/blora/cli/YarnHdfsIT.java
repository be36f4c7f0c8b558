package org.blora.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
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
import org.apache.hadoop.hdfs.MiniDFSCluster;
import org.apache.hadoop.yarn.conf.YarnConfiguration;
import org.apache.hadoop.yarn.server.MiniYARNCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * On YARN over HDFS, with Hadoop's own test clusters (a MiniDFSCluster with one DataNode, a MiniYARNCluster with
 * one NodeManager) in this JVM, and no Spark installation: prep-regression, submitted from the source checkout with
 * submit/cluster.sh {@code --master yarn} (Spark's YARN client from the Maven-resolved jars), writes the data to
 * HDFS; train is submitted from the unpacked release archive (its own spark/jars, copied to HDFS once for the
 * containers), its {@code --conf} an hdfs:// file and its run folder and checkpoints on HDFS. In client deploy
 * mode the driver JVM is killed with SIGKILL after a checkpoint and the run resumed from it; in cluster deploy mode
 * the driver runs in YARN's application master container and reads the hdfs:// {@code --conf} there. Both
 * metrics.csv equal a local[2] run's in every column but wall_ms.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class YarnHdfsIT {
    private static final String[] SETS = {"data.source=path", "data.format=parquet", "data.features=64",
        "model.shape=8x8", "lora.rank=2", "clients=2", "optim.rounds=150", "optim.tol=0", "run.seed=11",
        "run.checkpoint.every=20", "run.progress.seconds=1"};
    private static final long MINUTES = 10;

    @TempDir
    static Path tmp;

    private Path release;
    private MiniDFSCluster dfs;
    private MiniYARNCluster yarn;
    private FileSystem fs;
    private String hdfs;
    private Path confDir;

    @BeforeAll
    void startClusters() throws Exception {
        release = Scripts.unpackRelease(tmp.resolve("gateway"));
        Path base = tmp.resolve("hadoop");
        Configuration conf = new Configuration();
        conf.set(MiniDFSCluster.HDFS_MINIDFS_BASEDIR, base.resolve("dfs").toString());
        dfs = new MiniDFSCluster.Builder(conf).numDataNodes(1).build();
        dfs.waitActive();
        fs = dfs.getFileSystem();
        hdfs = fs.getUri().toString();

        YarnConfiguration y = new YarnConfiguration(dfs.getConfiguration(0));
        y.setInt(YarnConfiguration.RM_SCHEDULER_MINIMUM_ALLOCATION_MB, 128);
        y.setInt(YarnConfiguration.NM_PMEM_MB, 6144);
        y.setInt(YarnConfiguration.NM_VCORES, 4);
        y.setBoolean(YarnConfiguration.NM_PMEM_CHECK_ENABLED, false);
        y.setBoolean(YarnConfiguration.NM_VMEM_CHECK_ENABLED, false);
        // A build machine's disk is often fuller than the NodeManager's default health limit (90 %).
        y.setFloat(YarnConfiguration.NM_MAX_PER_DISK_UTILIZATION_PERCENTAGE, 99.9f);
        // The CapacityScheduler's one queue (a real cluster has them in capacity-scheduler.xml). Two applications
        // (the killed driver's and the resumed one's) may overlap: application masters may use the whole queue.
        y.set("yarn.scheduler.capacity.root.queues", "default");
        y.setInt("yarn.scheduler.capacity.root.default.capacity", 100);
        y.setInt("yarn.scheduler.capacity.root.default.maximum-capacity", 100);
        y.setFloat("yarn.scheduler.capacity.root.default.user-limit-factor", 1);
        y.set("yarn.scheduler.capacity.root.default.state", "RUNNING");
        y.set("yarn.scheduler.capacity.root.default.acl_submit_applications", "*");
        y.set("yarn.scheduler.capacity.root.default.acl_administer_queue", "*");
        y.setInt("yarn.scheduler.capacity.node-locality-delay", -1);
        y.setFloat("yarn.scheduler.capacity.maximum-am-resource-percent", 1.0f);
        y.set("yarn.nodemanager.local-dirs", base.resolve("nm-local").toString());
        y.set("yarn.nodemanager.log-dirs", base.resolve("nm-logs").toString());
        yarn = new MiniYARNCluster("blora-yarn", 1, 1, 1);
        yarn.init(y);
        yarn.start();
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
        while (yarn.getConfig().get(YarnConfiguration.RM_ADDRESS, "").endsWith(":0")
                || yarn.getResourceManager().getRMContext().getRMNodes().isEmpty()) {
            assertTrue(System.nanoTime() < deadline, "the MiniYARNCluster did not come up in 3 min");
            Thread.sleep(100);
        }
        // What a gateway node's HADOOP_CONF_DIR holds: the addresses of the ResourceManager and of HDFS.
        confDir = Files.createDirectories(tmp.resolve("hadoop-conf"));
        Configuration site = new Configuration(yarn.getConfig());
        // The mini clusters map racks with a test class (StaticMapping) that Hadoop's client jars lack: a client
        // takes Hadoop's default instead.
        site.unset("net.topology.node.switch.mapping.impl");
        for (String f : List.of("core-site.xml", "yarn-site.xml")) {
            try (OutputStream out = Files.newOutputStream(confDir.resolve(f))) {
                site.writeXml(out);
            }
        }
    }

    @AfterAll
    void stopClusters() throws IOException {
        if (yarn != null) {
            yarn.stop();
        }
        if (dfs != null) {
            dfs.shutdown();
        }
    }

    /**
     * submit/cluster.sh JOB on YARN from {@code scripts} (the repository or the release); YARN's containers take
     * Spark's jars from HDFS (spark.yarn.jars), where a real cluster keeps them.
     */
    private List<String> submit(Path scripts, String job, String deployMode, String jobConf, String out,
            String... extra) {
        String java = System.getProperty("java.home");
        List<String> cmd = new ArrayList<>(List.of("bash", scripts.resolve("submit/cluster.sh").toString(), job,
                "--master", "yarn", "--deploy-mode", deployMode, "--driver-memory", "512m", "--executor-memory", "512m",
                "--num-executors", "1", "--executor-cores", "2", "--conf", "spark.yarn.jars=" + hdfs + "/spark/jars/*.jar",
                "--conf", "spark.yarn.am.memory=512m",
                "--conf", "spark.yarn.appMasterEnv.JAVA_HOME=" + java, "--conf", "spark.executorEnv.JAVA_HOME=" + java));
        if (jobConf != null) {
            cmd.add("--conf");
            cmd.add(jobConf);
        }
        for (String s : extra) {
            cmd.add("--set");
            cmd.add(s);
        }
        cmd.add("--out");
        cmd.add(out);
        return cmd;
    }

    /** train from the unpacked release. */
    private List<String> train(String deployMode, String jobConf, String out, String... extra) {
        return submit(release, "train", deployMode, jobConf, out, extra);
    }

    /** A gateway without a Spark installation: no SPARK_HOME, the cluster's configuration in HADOOP_CONF_DIR. */
    private Map<String, String> env() {
        return Map.of("HADOOP_CONF_DIR", confDir.toString(), "BLORA_SPARK_DIR", tmp.resolve("spark").toString(),
                "SPARK_HOME", "");
    }

    private List<String> hdfsMetrics(String run) throws IOException {
        return HadoopRunFiles.deterministicMetrics(fs, run);
    }

    private int newestCheckpoint(String run) throws IOException {
        return HadoopRunFiles.newestCheckpoint(fs, run);
    }

    @Test
    void clientAndClusterDeployModeOnHdfsMatchLocalAndResumeAfterKill9() throws Exception {
        // What `hdfs dfs -put spark/jars /spark/jars` does on a real cluster, once for every submission.
        fs.copyFromLocalFile(false, true, new org.apache.hadoop.fs.Path(release.resolve("spark/jars").toUri()),
                new org.apache.hadoop.fs.Path(hdfs + "/spark/jars"));
        // From the source checkout (the driver on the Maven-resolved jars).
        String data = hdfs + "/data/linreg";
        Scripts.Result prep = Scripts.run(submit(Scripts.REPO, "prep-regression", "client", null, data,
                "data.rows=4000", "data.features=64", "clients=2", "data.seed=5"), env(), tmp.resolve("prep.log"), MINUTES);
        assertEquals(0, prep.code(), prep.output());
        String jobConf = hdfs + "/conf/run.properties";
        try (FSDataOutputStream out = fs.create(new org.apache.hadoop.fs.Path(jobConf))) {
            out.write(String.join("\n", SETS).concat("\ndata.path=" + data + "\n").getBytes(StandardCharsets.UTF_8));
        }

        // The reference: the same configuration, data read from HDFS, in local[2].
        Path local = tmp.resolve("local");
        CliRunner.Result ref = CliRunner.run("train", "--conf", jobConf, "--set", "spark.master=local[2]",
                "--out", local.toString());
        assertEquals(0, ref.exitCode(), ref.err());
        List<String> expected = TrainEndToEndTest.deterministicColumns(local.resolve("metrics.csv"));

        // Client deploy mode: the driver is this host's JVM; SIGKILL after a checkpoint, then resume.
        String clientRun = hdfs + "/runs/client";
        Path log = tmp.resolve("client.log");
        Process driver = Scripts.start(train("client", jobConf, clientRun), env(), log, release);
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(MINUTES);
        while (newestCheckpoint(clientRun) < 40) {
            assertTrue(driver.isAlive(), () -> "the driver ended before checkpoint 40:\n" + tailOf(log));
            assertTrue(System.nanoTime() < deadline, () -> "no checkpoint 40 in time:\n" + tailOf(log));
            Thread.sleep(20);
        }
        driver.destroyForcibly();
        assertTrue(driver.waitFor(1, TimeUnit.MINUTES));
        int newest = newestCheckpoint(clientRun);
        assertFalse(fs.exists(new org.apache.hadoop.fs.Path(clientRun + "/summary.json")), "killed before the end");
        assertTrue(newest >= 40 && newest < 150, "newest checkpoint " + newest);
        Scripts.Result resumed = Scripts.run(train("client", jobConf, clientRun, "run.resume=true"), env(),
                tmp.resolve("resumed.log"), MINUTES, release);
        assertEquals(0, resumed.code(), resumed.output());
        assertTrue(resumed.output().contains("resuming from checkpoint round-" + newest), resumed.output());
        assertEquals(expected, hdfsMetrics(clientRun));

        // Cluster deploy mode: the driver reads the hdfs:// --conf inside YARN's application master container.
        String clusterRun = hdfs + "/runs/cluster";
        Scripts.Result cluster = Scripts.run(train("cluster", jobConf, clusterRun), env(), tmp.resolve("cluster.log"),
                MINUTES, release);
        assertEquals(0, cluster.code(), cluster.output());
        assertTrue(cluster.output().contains("final status: SUCCEEDED"), cluster.output());
        assertEquals(expected, hdfsMetrics(clusterRun));
    }

    private static String tailOf(Path log) {
        try {
            return Scripts.tail(log);
        } catch (IOException e) {
            return e.toString();
        }
    }
}
