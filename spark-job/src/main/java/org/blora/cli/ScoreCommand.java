package org.blora.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.blora.app.ScoreJob;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "score", mixinStandardHelpOptions = true,
        description = {"Score a finished run's fine-tuned model on data, distributed over Spark like training:",
                "the loss (with the run's regulariser), ||grad f||^2 and, for a classifier, the accuracy, as one JSON",
                "object. The run's configuration is reused; --set overrides it (e.g. the data: data.path=...,",
                "data.classes=..., clients=...). On the run's own training data it reproduces its final loss.",
                "--adapter scores another adapter folder of the same model, in either format: a run's adapter/ or",
                "a PEFT export (adapter/peft; export it as F64 for full precision)."},
        footer = {"", "Exit codes: 0 scored, 2 bad input (no finished run, no adapter, shapes that do not match the data).",
                "Examples: submit/local.sh score --run runs/demo --set data.seed=7",
                "          submit/local.sh score --run runs/demo --adapter runs/demo/adapter/peft",
                "          submit/local.sh score --run runs/mnist-bernoulli --split test"})
final class ScoreCommand implements Callable<Integer> {
    @Option(names = "--run", required = true, description = "a train job's --out folder (any Hadoop URI)")
    String run;

    @Option(names = "--set", description = "key=value, overrides the run's configuration (repeatable)")
    List<String> sets = new ArrayList<>();

    @Option(names = "--adapter",
            description = "the model to score: a run's adapter/ folder or a PEFT export (default: the run's adapter/)")
    String adapter;

    @Option(names = "--split", defaultValue = "train", description = "train (default), or val / test of data.source=mnist")
    String split;

    @Option(names = "--master", description = "Spark master (default: spark-submit's, else local[*])")
    String master;

    @Override
    public Integer call() {
        ScoreJob.run(run, adapter, split, sets, master, System.out);
        return 0;
    }
}
