package org.blora.data;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.RawLocalFileSystem;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.SparkSession;
import org.blora.core.objective.DataBlock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Text data read on the executors see the job's Hadoop settings, those Spark takes from spark.hadoop.*: here a
 * file system of its own scheme ({@code blora-token://}) that exists only through spark.hadoop.fs.*.impl and
 * opens only with the token of spark.hadoop.fs.blora-token.token, as an object store opens only with its
 * credentials. A reader that built a fresh Configuration on the executor would know neither.
 */
class HadoopSettingsTest {
    @TempDir
    Path tmp;

    /** The local file system under another scheme, refusing to open without the token. */
    public static final class TokenFileSystem extends RawLocalFileSystem {
        @Override
        public void initialize(URI uri, Configuration conf) throws IOException {
            if (!"s3cret".equals(conf.get("fs.blora-token.token"))) {
                throw new IOException("blora-token: no credentials (fs.blora-token.token)");
            }
            super.initialize(uri, conf);
        }

        @Override
        public URI getUri() {
            return URI.create("blora-token:///");
        }

        @Override
        public String getScheme() {
            return "blora-token";
        }
    }

    @Test
    void textRowsAreReadWithTheJobsHadoopSettings() throws IOException {
        Path csv = tmp.resolve("rows.csv");
        Files.writeString(csv, "1.0,2.0,3.0\n2.0,0.5,-1.0\n3.0,4.0,5.0\n");
        SparkSession spark = SparkSession.builder().master("local[2]").appName("HadoopSettingsTest")
                .config("spark.ui.enabled", "false")
                .config("spark.hadoop.fs.blora-token.impl", TokenFileSystem.class.getName())
                .config("spark.hadoop.fs.blora-token.impl.disable.cache", "true")
                .config("spark.hadoop.fs.blora-token.token", "s3cret")
                .getOrCreate();
        try {
            JavaRDD<DataBlock> blocks = ClientDataReader.read(spark, "blora-token://" + csv, DataFormat.CSV, 1, -1,
                    1 << 20);
            List<DataBlock> read = blocks.collect();
            assertEquals(1, read.size());
            assertEquals(3, read.get(0).rows);
            assertEquals(2, read.get(0).cols);
            assertEquals(-1.0, read.get(0).x[3], 0.0);
        } finally {
            spark.stop();
        }
    }
}
