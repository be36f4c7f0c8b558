package org.blora.cli;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/** A run folder read through a Hadoop FileSystem (HDFS, S3), as the integration tests on those stores read it. */
final class HadoopRunFiles {
    private static final Pattern CHECKPOINT = Pattern.compile("round-(\\d+)\\.ckpt");

    private HadoopRunFiles() {
    }

    /** The run's metrics.csv without the wall_ms column. */
    static List<String> deterministicMetrics(FileSystem fs, String run) throws IOException {
        try (InputStream in = fs.open(new Path(run + "/metrics.csv"))) {
            return TrainEndToEndTest.deterministicColumns(
                    new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList());
        }
    }

    /** The round of the run's newest checkpoint, -1 when it has none yet. */
    static int newestCheckpoint(FileSystem fs, String run) throws IOException {
        Path dir = new Path(run + "/checkpoints");
        if (!fs.exists(dir)) {
            return -1;
        }
        int newest = -1;
        for (FileStatus f : fs.listStatus(dir)) {
            Matcher m = CHECKPOINT.matcher(f.getPath().getName());
            if (m.matches()) {
                newest = Math.max(newest, Integer.parseInt(m.group(1)));
            }
        }
        return newest;
    }
}
