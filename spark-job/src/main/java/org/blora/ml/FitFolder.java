package org.blora.ml;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.blora.io.Checkpoints;
import org.blora.io.RunFolder;

/**
 * Where fit's run writes: the outputPath Param's folder, kept (it must not hold another run), or a temporary
 * local folder deleted when fit returns.
 */
final class FitFolder implements AutoCloseable {
    private final RunFolder run;
    private final String kept;
    private final Path temporary;

    private FitFolder(RunFolder run, String kept, Path temporary) {
        this.run = run;
        this.kept = kept;
        this.temporary = temporary;
    }

    static FitFolder open(String outputPath, Configuration conf) {
        if (!outputPath.isEmpty()) {
            RunFolder kept = new RunFolder(outputPath, conf);
            if (kept.holdsFinishedRun() || Checkpoints.any(kept)) {
                throw new IllegalArgumentException("outputPath: " + outputPath + " already holds a run; choose another "
                        + "outputPath (or delete that folder)");
            }
            return new FitFolder(kept, outputPath, null);
        }
        try {
            Path dir = Files.createTempDirectory("blora-fit-");
            return new FitFolder(new RunFolder(dir.toUri().toString(), conf), null, dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    RunFolder run() {
        return run;
    }

    /** The kept folder as outputPath gives it, or null for a temporary one. */
    String kept() {
        return kept;
    }

    @Override
    public void close() {
        if (temporary == null) {
            return;
        }
        try (Stream<Path> files = Files.walk(temporary)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // a leftover temporary folder is harmless
        }
    }
}
