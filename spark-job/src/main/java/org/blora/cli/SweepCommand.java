package org.blora.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.blora.app.SweepJob;
import org.blora.config.SweepSpec;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "sweep", mixinStandardHelpOptions = true,
        description = {"Run a grid of training runs (cases x sweep.grid.* x sweep.seeds) in one SparkSession over one",
                "cached copy of the data, and write one run folder per point under --out/runs/, sweep.csv (one row",
                "per run) and comparison plots (median over seeds with a min-max band, against rounds and epochs).",
                "",
                "Sweep keys: sweep.seeds=1,2,3; sweep.grid.KEY=v1,v2 (any train key); sweep.cases=a,b with",
                "sweep.case.a=KEY=v; KEY=v1,v2 (a list is a grid local to the case); sweep.figure.NAME=a,b.",
                "Every other key is the base configuration of 'train --help'. A run folder that already holds a",
                "finished run is reused, so an interrupted sweep continues where it stopped."},
        footer = {"", "Example: submit/local.sh sweep --conf conf/experiments/paper-linreg-sweep.properties --out runs/sweep"})
final class SweepCommand implements Callable<Integer> {
    @Option(names = "--conf", description = "a .properties file: base keys plus sweep.* keys")
    String conf;

    @Option(names = "--set", description = "key=value, overrides --conf (repeatable; sweep.* keys too)")
    List<String> sets = new ArrayList<>();

    @Option(names = "--out", required = true, description = "sweep folder (any Hadoop URI)")
    String out;

    @Override
    public Integer call() {
        SweepJob.run(SweepSpec.load(conf, sets), out);
        return 0;
    }
}
