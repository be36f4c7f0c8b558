package org.blora.cli;

import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;

/** The SparkSession of a job: the master from spark-submit when there is one, else spark.master, else local[*]. */
public final class Sessions {
    private Sessions() {
    }

    public static SparkSession start(String appName, String master) {
        SparkConf conf = new SparkConf(true);
        SparkSession.Builder b = SparkSession.builder().appName(appName)
                .config("spark.ui.showConsoleProgress", "false");
        if (!conf.contains("spark.master")) {
            b.master(master == null || master.isEmpty() ? "local[*]" : master);
        }
        SparkSession s = b.getOrCreate();
        s.sparkContext().setLogLevel("WARN");
        return s;
    }
}
