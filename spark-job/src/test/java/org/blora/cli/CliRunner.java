package org.blora.cli;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.blora.spark.SharedSpark;

/**
 * Runs the command line in-process and captures what it prints. A job on the tests' master joins the shared
 * SparkSession; one that asks for another master (local[2,3] for retries) gets a session of its own.
 */
final class CliRunner {
    record Result(int exitCode, String out, String err) {
    }

    private CliRunner() {
    }

    static synchronized Result run(String... args) {
        for (String a : args) {
            if (a.startsWith("spark.master=")) {
                if (a.equals("spark.master=" + SharedSpark.MASTER)) {
                    SharedSpark.get();
                } else {
                    SharedSpark.stop();
                }
            }
        }
        PrintStream oldOut = System.out;
        PrintStream oldErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            int code = Main.execute(args);
            return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
    }
}
