package org.blora.data.mnist;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;
import org.apache.hadoop.conf.Configuration;
import org.blora.data.DataException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reading IDX files, plain and gzipped, and the one-line errors for files that are not what they claim. */
class IdxFileTest {
    private static final Configuration CONF = new Configuration();
    @TempDir
    Path dir;

    private static IdxFile read(Path file, int magic) {
        return IdxFile.read(CONF, file.toUri().toString(), magic);
    }

    /** The error for reading {@code content} stored as {@code name}: one line that names the file. */
    private DataException error(String name, byte[] content, boolean gz, int magic) throws Exception {
        Path file = dir.resolve(name);
        TinyMnist.write(file, content, gz);
        DataException e = assertThrows(DataException.class, () -> read(file, magic));
        assertTrue(e.getMessage().startsWith(file.toUri().toString() + ": "), e.getMessage());
        assertFalse(e.getMessage().contains("\n"), e.getMessage());
        return e;
    }

    @Test
    void plainAndGzippedCopiesReadTheSame() throws Exception {
        byte[] content = TinyMnist.images(0, TinyMnist.TRAIN);
        Path plain = dir.resolve(PrepMnist.TRAIN_IMAGES);
        Path gz = dir.resolve(PrepMnist.TRAIN_IMAGES + ".gz");
        TinyMnist.write(plain, content, false);
        TinyMnist.write(gz, content, true);
        IdxFile a = read(plain, IdxFile.IMAGES);
        IdxFile b = read(gz, IdxFile.IMAGES);
        for (IdxFile f : new IdxFile[] {a, b}) {
            assertEquals(TinyMnist.TRAIN, f.count());
            assertEquals(TinyMnist.ROWS, f.rows());
            assertEquals(TinyMnist.COLS, f.cols());
            assertArrayEquals(Arrays.copyOfRange(content, 16, content.length), f.data());
            assertEquals(PrepMnist.TRAIN_IMAGES, f.baseName());
        }
        assertEquals(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content)), a.sha256(),
                "SHA-256 of the content");
        assertEquals(a.sha256(), b.sha256(), "a gzipped copy hashes as its uncompressed content");
        assertTrue(Files.size(gz) != Files.size(plain));

        IdxFile labels = read(write("labels", TinyMnist.labels(0, TinyMnist.TRAIN)), IdxFile.LABELS);
        assertEquals(TinyMnist.TRAIN, labels.count());
        assertEquals(1, labels.itemBytes());
        assertEquals(TinyMnist.label(3), labels.data()[3]);
        IdxFile.checkSameCount(a, labels);
    }

    private Path write(String name, byte[] content) throws Exception {
        Path file = dir.resolve(name);
        TinyMnist.write(file, content, false);
        return file;
    }

    @Test
    void aCopyThatDiffersFromTheOriginalFileIsAWarningNotAnError() throws Exception {
        IdxFile tiny = read(write(PrepMnist.TEST_LABELS, TinyMnist.labels(0, 5)), IdxFile.LABELS);
        String warning = tiny.canonicalMismatch().orElseThrow();
        assertTrue(warning.contains(tiny.sha256()) && warning.contains(IdxFile.CANONICAL_SHA256.get(PrepMnist.TEST_LABELS)),
                warning);
        assertTrue(warning.startsWith(tiny.file() + ": "), warning);
        assertTrue(read(write("other-labels", TinyMnist.labels(0, 5)), IdxFile.LABELS).canonicalMismatch().isEmpty(),
                "a file of another name has no canonical value");
    }

    @Test
    void truncatedData() throws Exception {
        byte[] full = TinyMnist.images(0, 10);
        for (boolean gz : new boolean[] {false, true}) {
            DataException e = error("short" + (gz ? ".gz" : ""), Arrays.copyOf(full, full.length - 3), gz, IdxFile.IMAGES);
            assertTrue(e.getMessage().contains("truncated: the header promises 10 images of 4 x 4 = 160 bytes of data,"
                    + " the file has 157"), e.getMessage());
        }
    }

    @Test
    void truncatedHeader() throws Exception {
        DataException e = error("header", Arrays.copyOf(TinyMnist.images(0, 10), 10), false, IdxFile.IMAGES);
        assertTrue(e.getMessage().contains("truncated header"), e.getMessage());
    }

    @Test
    void oversizedData() throws Exception {
        byte[] full = TinyMnist.labels(0, 10);
        DataException e = error("long", Arrays.copyOf(full, full.length + 5), false, IdxFile.LABELS);
        assertTrue(e.getMessage().contains("oversized: 5 bytes after the 10 the header promises (10 labels)"),
                e.getMessage());
    }

    @Test
    void wrongMagicNumber() throws Exception {
        DataException e = error("labels-as-images", TinyMnist.labels(0, 10), false, IdxFile.IMAGES);
        assertTrue(e.getMessage().contains("magic number 2049, expected 2051 (an IDX file of images)"), e.getMessage());
    }

    @Test
    void gzippedFileWithoutTheSuffixIsNamed() throws Exception {
        DataException e = error(PrepMnist.TRAIN_LABELS, TinyMnist.labels(0, 10), true, IdxFile.LABELS);
        assertTrue(e.getMessage().contains("the file is gzip-compressed, name it " + PrepMnist.TRAIN_LABELS + ".gz"),
                e.getMessage());
    }

    @Test
    void impossibleDimensions() throws Exception {
        byte[] content = TinyMnist.images(0, 2);
        content[11] = 0; // rows = 0
        DataException e = error("zero-rows", content, false, IdxFile.IMAGES);
        assertTrue(e.getMessage().contains("header promises 2 x 0 x 4 images, which is not a valid size"), e.getMessage());
    }

    @Test
    void missingFile() {
        Path file = dir.resolve("nothing-here");
        DataException e = assertThrows(DataException.class, () -> read(file, IdxFile.LABELS));
        assertEquals(file.toUri() + ": does not exist (run data-prep/fetch-mnist.sh or check the folder)", e.getMessage());
    }

    @Test
    void imageAndLabelCountsMustAgree() throws Exception {
        IdxFile images = read(write("i", TinyMnist.images(0, 10)), IdxFile.IMAGES);
        IdxFile labels = read(write("l", TinyMnist.labels(0, 9)), IdxFile.LABELS);
        DataException e = assertThrows(DataException.class, () -> IdxFile.checkSameCount(images, labels));
        assertEquals(labels.file() + ": has 9 labels but " + images.file() + " has 10 images (the two files must come"
                + " from the same set)", e.getMessage());
    }
}
