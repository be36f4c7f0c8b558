package org.blora.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.blora.io.JsonFiles;

/** Reads the files of a finished run folder the way a user's tool would. */
final class RunFiles {
    private RunFiles() {
    }

    static JsonNode summary(Path runFolder) throws IOException {
        return JsonFiles.read(Files.readString(runFolder.resolve("summary.json")), "summary.json");
    }
}
