package org.blora.cli;

import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import org.blora.app.Sessions;
import org.blora.config.ConfigException;
import org.blora.data.mnist.PrepMnist;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "prep-mnist", mixinStandardHelpOptions = true,
        description = {"Turn the four MNIST IDX files into Parquet for the Bernoulli-LoRA paper's MNIST experiment:",
                "columns id, label, features (pixels as (x/255 - 0.1307)/0.3081), split (train, val, test).",
                "The training file is split into train and val by a seeded random permutation (55,000/5,000 by",
                "default, as the paper's code); train runs then pick a split and classes (data.classes, e.g. 0-4).",
                "Get the files with data-prep/fetch-mnist.sh (MNIST is CC BY-SA 3.0; never commit it)."})
final class PrepMnistCommand implements Callable<Integer> {
    @Option(names = "--in", required = true,
            description = "folder (any Hadoop URI) with train-images-idx3-ubyte, train-labels-idx1-ubyte,"
                    + " t10k-images-idx3-ubyte, t10k-labels-idx1-ubyte, each plain or .gz")
    String in;

    @Option(names = "--out", required = true, description = "output folder (any Hadoop URI)")
    String out;

    @Option(names = "--val", defaultValue = "" + PrepMnist.DEFAULT_VAL,
            description = "images of the training file kept for validation (default: ${DEFAULT-VALUE})")
    int val;

    @Option(names = "--seed", defaultValue = "" + PrepMnist.DEFAULT_SEED,
            description = "seed of the train/val permutation (default: ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--overwrite", description = "replace an existing output")
    boolean overwrite;

    @Option(names = "--master", description = "Spark master (default: spark-submit's, else local[*])")
    String master;

    @Override
    public Integer call() {
        if (val < 0) {
            throw new ConfigException("--val must be >= 0 (images of the training file kept for validation), got " + val);
        }
        SparkSession spark = Sessions.start("blora-spark prep-mnist", master, 5);
        try {
            PrepMnist.Result r = PrepMnist.write(spark, in, out, val, seed, overwrite);
            r.warnings().forEach(w -> System.out.println("[prep-mnist] warning: " + w));
            Map<String, String> p = r.properties();
            System.out.printf("[prep-mnist] wrote %s: train %s, val %s, test %s images (seed %d)%n", out,
                    p.get("train.rows"), p.get("val.rows"), p.get("test.rows"), seed);
            return 0;
        } catch (IllegalArgumentException e) {
            throw new ConfigException(e.getMessage());
        } finally {
            spark.stop();
        }
    }
}
