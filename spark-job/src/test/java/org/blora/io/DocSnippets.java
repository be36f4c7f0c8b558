package org.blora.io;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The code blocks of the repository's Markdown files, so that tests run the snippets users copy. */
public final class DocSnippets {
    private DocSnippets() {
    }

    /**
     * The first fenced block of {@code language} after the line {@code heading} in the Markdown file, with every
     * {@code from} replaced by {@code to}.
     */
    public static String block(Path markdown, String heading, String language, String from, String to) throws IOException {
        String text = "\n" + Files.readString(markdown);
        int h = text.indexOf("\n" + heading + "\n");
        if (h < 0) {
            throw new IllegalStateException(markdown + " has no heading '" + heading + "'");
        }
        String fence = "```" + language + "\n";
        int begin = text.indexOf(fence, h);
        int end = text.indexOf("\n```", begin + fence.length());
        if (begin < 0 || end < 0) {
            throw new IllegalStateException(markdown + " has no " + language + " block after '" + heading + "'");
        }
        String block = text.substring(begin + fence.length(), end + 1);
        if (!block.contains(from)) {
            throw new IllegalStateException("the " + language + " block after '" + heading + "' no longer mentions " + from);
        }
        return block.replace(from, to);
    }
}
