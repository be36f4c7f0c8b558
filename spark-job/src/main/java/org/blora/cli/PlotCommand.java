package org.blora.cli;

import java.util.concurrent.Callable;
import org.blora.app.PlotJob;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "plot", mixinStandardHelpOptions = true,
        description = "Redraw convergence.png of a run folder from its metrics.csv (no Spark needed).")
final class PlotCommand implements Callable<Integer> {
    @Option(names = "--run", required = true, description = "a run folder (any Hadoop URI)")
    String run;

    @Override
    public Integer call() {
        PlotJob.run(run);
        return 0;
    }
}
