package org.blora.app;

import org.apache.hadoop.conf.Configuration;
import org.blora.config.ConfigException;
import org.blora.io.MetricsCsv;
import org.blora.io.RunFolder;
import org.blora.io.RunOutputs;

/** The plot job: redraws convergence.png of a run folder from its metrics.csv, without Spark. */
public final class PlotJob {
    private PlotJob() {
    }

    public static void run(String run) {
        RunFolder folder = new RunFolder(run, new Configuration());
        if (!folder.exists("metrics.csv")) {
            throw new ConfigException("--run: " + run + " has no metrics.csv (give the folder of a train run)");
        }
        folder.write("convergence.png", RunOutputs.plot(folder.name(), MetricsCsv.parse(folder.readText("metrics.csv")), false));
        System.out.println("[plot] wrote " + run + "/convergence.png");
    }
}
