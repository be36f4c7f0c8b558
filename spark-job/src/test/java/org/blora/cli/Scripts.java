package org.blora.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/** The submit/ scripts of the repository (or of an unpacked release) run as child processes by the ITs. */
final class Scripts {
    static final Path REPO = Path.of(System.getProperty("blora.repo.root", "..")).toAbsolutePath().normalize();

    record Result(int code, String output) {
    }

    private Scripts() {
    }

    /** Starts {@code cmd} with {@code env} added, stdout and stderr into {@code log}; Maven built the jars already. */
    static Process start(List<String> cmd, Map<String, String> env, Path log) throws IOException {
        return start(cmd, env, log, REPO);
    }

    /** {@link #start} in the working directory {@code dir}. */
    static Process start(List<String> cmd, Map<String, String> env, Path log, Path dir) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile())
                .directory(dir.toFile());
        pb.environment().put("BLORA_SKIP_BUILD", "1");
        pb.environment().putAll(env);
        return pb.start();
    }

    /** Runs {@code cmd} to its end (killed after {@code timeoutMinutes}, a bound for a loaded machine only). */
    static Result run(List<String> cmd, Map<String, String> env, Path log, long timeoutMinutes) throws Exception {
        return run(cmd, env, log, timeoutMinutes, REPO);
    }

    static Result run(List<String> cmd, Map<String, String> env, Path log, long timeoutMinutes, Path dir) throws Exception {
        Process p = start(cmd, env, log, dir);
        if (!p.waitFor(timeoutMinutes, TimeUnit.MINUTES)) {
            p.destroyForcibly().waitFor();
            return new Result(-1, tail(log) + "\n(killed after " + timeoutMinutes + " min)");
        }
        return new Result(p.exitValue(), Files.readString(log));
    }

    static String tail(Path log) throws IOException {
        List<String> lines = Files.readAllLines(log);
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 60), lines.size()));
    }

    /**
     * Unpacks the release archive {@code mvn package} built into {@code into} and returns its one top folder,
     * blora-spark-VERSION.
     */
    static Path unpackRelease(Path into) throws Exception {
        Path archive = Path.of(System.getProperty("blora.release.archive", "target/blora-spark-0.1.0-SNAPSHOT-bin.tar.gz"));
        if (!Files.isRegularFile(archive)) {
            throw new IllegalStateException("mvn package builds " + archive);
        }
        Files.createDirectories(into);
        Result tar = run(List.of("tar", "xzf", archive.toString(), "-C", into.toString()), Map.of(),
                into.resolveSibling(into.getFileName() + "-tar.log"), 5);
        if (tar.code() != 0) {
            throw new IllegalStateException("tar xzf " + archive + ": " + tar.output());
        }
        try (Stream<Path> top = Files.list(into)) {
            List<Path> dirs = top.toList();
            if (dirs.size() != 1) {
                throw new IllegalStateException("the release has one top folder, not " + dirs);
            }
            return dirs.get(0);
        }
    }

    /** The error line a job prints ("error: ..."), or "" if none. */
    static String errorLine(String output) {
        return output.lines().filter(l -> l.startsWith("error: ")).findFirst().orElse("");
    }
}
