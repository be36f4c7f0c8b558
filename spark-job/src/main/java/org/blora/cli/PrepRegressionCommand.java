package org.blora.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.blora.app.PrepRegressionJob;
import org.blora.config.Choice;
import org.blora.config.DataPresets;
import org.blora.config.DataSection;
import org.blora.config.DataSource;
import org.blora.config.PostProcess;
import org.blora.config.RunConfig;
import org.blora.config.TrainSpec;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "prep-regression", mixinStandardHelpOptions = true,
        description = {"Generate a synthetic regression data set (make_regression semantics) on the executors,",
                "seeded per client, and write it as Parquet (client, label, features) to --out.",
                "Uses the data.* keys and clients of 'train --help'; --postprocess applies the paper's scaling."})
final class PrepRegressionCommand implements Callable<Integer> {
    @Option(names = "--conf", description = "a .properties file with data.* keys")
    String conf;

    @Option(names = "--set", description = "key=value (repeatable)")
    List<String> sets = new ArrayList<>();

    @Option(names = "--postprocess",
            description = "none, standardize (pre-training data) or rescale (fine-tuning data: mean 1, std 2);"
                    + " default: data.postprocess of the configuration (set by data.preset), else none")
    String postprocess;

    @Option(names = "--out", required = true, description = "output folder (any Hadoop URI)")
    String out;

    @Option(names = "--overwrite", description = "replace an existing output")
    boolean overwrite;

    @Override
    public Integer call() {
        RunConfig c = DataPresets.apply(RunConfig.load(conf, sets));
        PostProcess post = postprocess != null ? Choice.parse("--postprocess", postprocess, PostProcess.class)
                : c.get(DataSection.POSTPROCESS);
        // The post-processing is this command's to apply: the spec describes the raw generator.
        TrainSpec spec = new TrainSpec(c.with(DataSection.SOURCE, DataSource.SYNTHETIC_REGRESSION.key())
                .with(DataSection.POSTPROCESS, PostProcess.NONE.key()));
        PrepRegressionJob.run(spec, post, out, overwrite);
        return 0;
    }
}
