package org.blora.io;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * A run's output folder on any Hadoop FileSystem (local, HDFS, S3A). Every file is written under a temporary
 * name and renamed into place, so a reader never sees half a file; summary.json is written last and marks a
 * finished run.
 */
public final class RunFolder {
    public static final String SUMMARY = "summary.json";

    private final FileSystem fs;
    private final Path root;

    public RunFolder(String uri, Configuration conf) {
        try {
            this.root = new Path(uri);
            this.fs = root.getFileSystem(conf);
        } catch (IOException e) {
            throw new UncheckedIOException("--out: cannot open " + uri + ": " + e.getMessage(), e);
        }
    }

    public String uri() {
        return root.toString();
    }

    /** The file system and path of {@code relative}, for writers that manage their own files (PEFT export). */
    public FileSystem fileSystem() {
        return fs;
    }

    public Path path(String relative) {
        return relative.isEmpty() ? root : new Path(root, relative);
    }

    /** The folder's own name (the last path segment): what a run or sweep is called in plot titles. */
    public String name() {
        return root.getName();
    }

    /** True when the folder holds a finished run (its summary.json). */
    public boolean holdsFinishedRun() {
        try {
            return fs.exists(new Path(root, SUMMARY));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public boolean exists(String relative) {
        try {
            return fs.exists(new Path(root, relative));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Removes the files of an earlier run (for --overwrite), keeping nothing. */
    public void clear() {
        try {
            if (fs.exists(root)) {
                fs.delete(root, true);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Names of the entries directly under a sub-folder (empty when it does not exist), unsorted. */
    public java.util.List<String> list(String relative) {
        Path dir = new Path(root, relative);
        java.util.List<String> names = new java.util.ArrayList<>();
        try {
            if (fs.exists(dir)) {
                for (org.apache.hadoop.fs.FileStatus s : fs.listStatus(dir)) {
                    names.add(s.getPath().getName());
                }
            }
            return names;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir + ": " + e.getMessage(), e);
        }
    }

    /** Deletes a file or a sub-folder with its contents; absent is fine. */
    public void delete(String relative) {
        Path p = new Path(root, relative);
        try {
            if (fs.exists(p)) {
                fs.delete(p, true);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + p + ": " + e.getMessage(), e);
        }
    }

    public void mkdirs(String relative) {
        try {
            fs.mkdirs(relative.isEmpty() ? root : new Path(root, relative));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public void writeText(String relative, String text) {
        write(relative, text.getBytes(StandardCharsets.UTF_8));
    }

    public void write(String relative, byte[] bytes) {
        write(relative, out -> out.write(bytes));
    }

    /** Streams into a temporary file next to the target, then renames it over the target. */
    public void write(String relative, Writer body) {
        Path target = new Path(root, relative);
        Path tmp = new Path(target.getParent(), "." + target.getName() + ".tmp-" + UUID.randomUUID());
        try {
            fs.mkdirs(target.getParent());
            try (OutputStream out = fs.create(tmp, true)) {
                body.writeTo(out);
            }
            if (fs.exists(target)) {
                fs.delete(target, false);
            }
            if (!fs.rename(tmp, target)) {
                throw new IOException("rename " + tmp + " -> " + target + " failed");
            }
        } catch (IOException e) {
            try {
                fs.delete(tmp, false);
            } catch (IOException ignored) {
                // best effort: the temporary name never shadows a real output
            }
            throw new UncheckedIOException("cannot write " + target + ": " + e.getMessage() + " (free space in "
                    + root + " or choose another folder)", e);
        }
    }

    public byte[] read(String relative) {
        Path p = new Path(root, relative);
        try (FSDataInputStream in = fs.open(p)) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + p + ": " + e.getMessage(), e);
        }
    }

    public String readText(String relative) {
        return new String(read(relative), StandardCharsets.UTF_8);
    }

    @FunctionalInterface
    public interface Writer {
        void writeTo(OutputStream out) throws IOException;
    }
}
