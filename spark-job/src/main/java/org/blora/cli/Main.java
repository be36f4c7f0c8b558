package org.blora.cli;

import org.blora.config.ConfigException;
import org.blora.config.ConfigKeys;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * Entry point of every job: {@code train}, {@code score}, {@code apply}, {@code sweep}, {@code plot}, {@code prep-regression},
 * {@code prep-mnist}.
 */
@Command(name = "blora-spark", mixinStandardHelpOptions = true, version = "blora-spark 0.1.0",
        description = {"Bernoulli-LoRA low-rank fine-tuning as an Apache Spark job.",
                "Each data partition is a federated client; one Spark stage per round,",
                "or every round in one barrier stage (run.rounds=persistent)."},
        subcommands = {TrainCommand.class, ScoreCommand.class, ApplyCommand.class, SweepCommand.class, PlotCommand.class,
                PrepRegressionCommand.class, PrepMnistCommand.class})
public final class Main implements Runnable {
    /** Bad configuration or data. */
    public static final int EXIT_BAD_INPUT = 2;
    /** The run diverged (non-finite loss). */
    public static final int EXIT_DIVERGED = 3;

    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
    }

    public static int execute(String... args) {
        System.setProperty("blora.keys", ConfigKeys.table());
        CommandLine cl = new CommandLine(new Main());
        cl.setExecutionExceptionHandler((e, cmd, parsed) -> {
            System.err.println("error: " + Errors.oneLine(e));
            return e instanceof ConfigException || Errors.isBadInput(e) ? EXIT_BAD_INPUT : 1;
        });
        return cl.execute(args);
    }

    public static void main(String[] args) {
        int code = execute(args);
        // In YARN's cluster deploy mode this runs inside the application master (which sets spark.yarn.app.id),
        // and it reports the application's final status when main returns: System.exit(0) would end the JVM
        // first and the application would be marked FAILED ("Shutdown hook called before final status was
        // reported") and attempted again. A failure still exits with its code.
        if (code != 0 || System.getProperty("spark.yarn.app.id") == null) {
            System.exit(code);
        }
    }
}
