package org.blora.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.blora.app.TrainJob;
import org.blora.config.RunConfig;
import org.blora.config.TrainSpec;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "train", mixinStandardHelpOptions = true,
        description = {"Fine-tune W = W0 + sum_t B_t A_t with Bernoulli-LoRA on Spark and write a run folder:",
                "config.properties, metrics.csv, summary.json, adapter/, convergence.png.",
                "",
                "Configuration = defaults < --conf FILE < --set key=value. Keys (default, meaning):",
                "${sys:blora.keys}"},
        footer = {"", "Exit codes: 0 finished (converged or budget), 2 bad configuration or data, 3 diverged.",
                "Checkpoints: --set run.checkpoint.every=K writes --out/checkpoints every K rounds; after a crash,",
                "rerun the same command with --set run.resume=true to continue from the newest valid one.",
                "Example: submit/local.sh train --set lora.rank=2 --set optim.tol=1e-10 --out runs/r2"})
final class TrainCommand implements Callable<Integer> {
    @Option(names = "--conf", description = "a .properties file of configuration keys")
    String conf;

    @Option(names = "--set", description = "key=value, overrides --conf (repeatable)")
    List<String> sets = new ArrayList<>();

    @Option(names = "--out", required = true, description = "run folder (any Hadoop URI)")
    String out;

    @Option(names = "--overwrite", description = "replace a finished run already in --out")
    boolean overwrite;

    @Override
    public Integer call() {
        return TrainJob.run(new TrainSpec(RunConfig.load(conf, sets)), out, overwrite) ? Main.EXIT_DIVERGED : 0;
    }
}
