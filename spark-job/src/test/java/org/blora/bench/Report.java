package org.blora.bench;

import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import org.blora.core.linalg.Dense;
import org.blora.core.linalg.Kernels;
import org.blora.core.linalg.Shape;

/** The benchmark's table, notes and ratio lines, printed and written as Markdown. */
final class Report {
    private final List<String[]> rows = new ArrayList<>();
    private final List<String> notes = new ArrayList<>();
    private final List<String> ratios = new ArrayList<>();
    private final String header;
    String pageLine;
    String bytes;
    /** A further Markdown table (the crossover of {@link Crossover}), printed after the ratio lines. */
    String table;

    Report(long n, int d, Shape shape, String sparkVersion) {
        header = String.format("data %d x %d doubles (%.0f MB), W %s, 2 clients, local[2]; %s, %d cores, "
                        + "max heap %d MB; Java %s; Spark %s; netlib BLAS %s; %s",
                n, d, n * d * 8 / 1e6, shape, System.getProperty("os.name") + " " + System.getProperty("os.arch"),
                Runtime.getRuntime().availableProcessors(), Runtime.getRuntime().maxMemory() >> 20,
                System.getProperty("java.version"), sparkVersion, Dense.blas().getClass().getSimpleName(),
                Kernels.describe());
        String cpu = cpuModel();
        if (cpu != null) {
            notes.add("cpu: " + cpu);
        }
        try {
            notes.add("load average at start (1/5/15 min): "
                    + java.nio.file.Files.readString(java.nio.file.Path.of("/proc/loadavg")).trim());
        } catch (Exception e) {
            // not Linux: no load figure
        }
        notes.add("jvm args: " + String.join(" ", ManagementFactory.getRuntimeMXBean().getInputArguments())
                .replaceAll("--add-opens=\\S+ ?", "").trim());
    }

    private static String cpuModel() {
        try {
            for (String l : java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc/cpuinfo"))) {
                if (l.startsWith("model name")) {
                    return l.substring(l.indexOf(':') + 1).trim();
                }
            }
        } catch (Exception e) {
            return null;
        }
        return null;
    }

    void row(String what, Samples s) {
        row(what, s.median(), s.min(), s.max(), s.count());
    }

    void row(String what, double median, double min, double max, int n) {
        rows.add(new String[]{what, String.format("%.2f", median), String.format("%.2f", min),
                String.format("%.2f", max), Integer.toString(n)});
        System.out.printf("[bench] %-66s %.2f [%.2f-%.2f] n=%d ms%n", what, median, min, max, n);
    }

    void note(String fmt, Object... args) {
        String t = String.format(fmt, args);
        notes.add(t);
        System.out.println("[bench] " + t);
    }

    void ratio(String name, double v) {
        ratios.add(String.format("ratio %s %.3f", name, v));
    }

    void print(PrintStream out) {
        out.println();
        out.println(header);
        out.printf("%-70s %10s %10s %10s %6s%n", "measurement (ms)", "median", "min", "max", "n");
        for (String[] r : rows) {
            out.printf("%-70s %10s %10s %10s %6s%n", (Object[]) r);
        }
        if (bytes != null) {
            out.println(bytes);
        }
        if (pageLine != null) {
            out.println(pageLine);
        }
        for (String r : ratios) {
            out.println(r);
        }
        if (table != null) {
            out.println();
            out.print(table);
        }
    }

    String markdown() {
        StringBuilder b = new StringBuilder("# Benchmark results\n\n");
        b.append("Written by `bench/run.sh` (org.blora.bench.RoundBenchmark).\n\n").append(header).append("\n\n");
        b.append("| measurement | median ms | min ms | max ms | n |\n|---|---:|---:|---:|---:|\n");
        for (String[] r : rows) {
            b.append("| ").append(String.join(" | ", r)).append(" |\n");
        }
        b.append('\n');
        if (bytes != null) {
            b.append("- ").append(bytes).append('\n');
        }
        if (pageLine != null) {
            b.append("- ").append(pageLine).append('\n');
        }
        for (String n : notes) {
            b.append("- ").append(n).append('\n');
        }
        b.append("\n```\n");
        for (String r : ratios) {
            b.append(r).append('\n');
        }
        b.append("```\n");
        if (table != null) {
            b.append('\n').append(table);
        }
        return b.toString();
    }
}
