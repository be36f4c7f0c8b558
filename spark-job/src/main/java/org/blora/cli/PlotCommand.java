package org.blora.cli;

import java.util.concurrent.Callable;
import org.apache.hadoop.conf.Configuration;
import org.blora.config.ConfigException;
import org.blora.io.MetricsCsv;
import org.blora.io.RunFolder;
import org.blora.io.RunOutputs;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "plot", mixinStandardHelpOptions = true,
        description = "Redraw convergence.png of a run folder from its metrics.csv (no Spark needed).")
final class PlotCommand implements Callable<Integer> {
    @Option(names = "--run", required = true, description = "a run folder (any Hadoop URI)")
    String run;

    @Override
    public Integer call() {
        RunFolder folder = new RunFolder(run, new Configuration());
        if (!folder.exists("metrics.csv")) {
            throw new ConfigException("--run: " + run + " has no metrics.csv (give the folder of a train run)");
        }
        folder.write("convergence.png", RunOutputs.plot(folder.name(), MetricsCsv.parse(folder.readText("metrics.csv")), false));
        System.out.println("[plot] wrote " + run + "/convergence.png");
        return 0;
    }
}
