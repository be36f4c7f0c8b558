package org.blora.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.blora.app.ApplyJob;
import org.blora.config.RunConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "apply", mixinStandardHelpOptions = true,
        description = {"Apply a fine-tuned model to the rows of a Parquet data set, distributed over Spark, and write",
                "the predictions as Parquet: every input column but the features, plus prediction (the linear model's",
                "x . vec(W), or the MLP's class) and, for the MLP, probability (a vector of class probabilities).",
                "--adapter is a run folder, its adapter/ folder, or a PEFT export (adapter/peft). The output is written",
                "under a temporary name and renamed into --out; a finished output is replaced only with --overwrite."},
        footer = {"", "Exit codes: 0 written, 2 bad input "
                + "(no adapter, a model whose width does not match the data, --out taken).",
                "Example: submit/local.sh apply --adapter runs/mnist-bernoulli/adapter/peft \\",
                "           --data data/mnist-prepared --out runs/mnist-bernoulli/predictions"})
final class ApplyCommand implements Callable<Integer> {
    @Option(names = "--adapter", required = true,
            description = "a run folder, its adapter/ folder or a PEFT export (any Hadoop URI)")
    String adapter;

    @Option(names = "--data", required = true, description = "Parquet rows with a features column (vector or array<double>)")
    String data;

    @Option(names = "--out", required = true, description = "output Parquet folder (any Hadoop URI)")
    String out;

    @Option(names = "--features-col", defaultValue = "features", description = "the features column (default: features)")
    String featuresCol;

    @Option(names = "--conf", description = "a .properties file of configuration keys (spark.master, data.format)")
    String conf;

    @Option(names = "--set", description = "key=value, overrides --conf (repeatable)")
    List<String> sets = new ArrayList<>();

    @Option(names = "--overwrite", description = "replace a finished output already in --out")
    boolean overwrite;

    @Option(names = "--master", description = "Spark master (default: spark-submit's, else spark.master, else local[*])")
    String master;

    @Override
    public Integer call() {
        ApplyJob.run(adapter, data, out, featuresCol, RunConfig.load(conf, sets), overwrite, master, System.out);
        return 0;
    }
}
