package org.blora.data.mnist;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;

/**
 * A miniature MNIST written by the tests themselves: {@value #TRAIN} training and {@value #TEST} test images of
 * {@value #ROWS} x {@value #COLS} pixels. Pixel values and labels are simple functions of the image's id, so a
 * test can recompute every expected value. Training labels run through all ten digits; test labels only 0-4.
 */
final class TinyMnist {
    static final int TRAIN = 40;
    static final int TEST = 20;
    static final int ROWS = 4;
    static final int COLS = 4;
    static final int PIXELS = ROWS * COLS;

    private TinyMnist() {
    }

    /** Pixel j of image {@code id} (ids: training images 0..TRAIN-1, then the test images), covering 0..255. */
    static int pixel(long id, int j) {
        return (int) ((id * 37 + j * 11 + (id == 0 && j == 0 ? 255 : 0)) % 256);
    }

    static int label(long id) {
        return id < TRAIN ? (int) (id * 7 % 10) : (int) (id % 5);
    }

    /** Writes the four files into {@code dir}, gzipped (with the .gz suffix) when {@code gz}. */
    static void write(Path dir, boolean gz) throws IOException {
        Files.createDirectories(dir);
        String suffix = gz ? ".gz" : "";
        write(dir.resolve(PrepMnist.TRAIN_IMAGES + suffix), images(0, TRAIN), gz);
        write(dir.resolve(PrepMnist.TRAIN_LABELS + suffix), labels(0, TRAIN), gz);
        write(dir.resolve(PrepMnist.TEST_IMAGES + suffix), images(TRAIN, TEST), gz);
        write(dir.resolve(PrepMnist.TEST_LABELS + suffix), labels(TRAIN, TEST), gz);
    }

    static void write(Path file, byte[] content, boolean gz) throws IOException {
        try (OutputStream os = gz ? new GZIPOutputStream(Files.newOutputStream(file)) : Files.newOutputStream(file)) {
            os.write(content);
        }
    }

    /** An IDX image file of ids first .. first+count-1. */
    static byte[] images(int first, int count) {
        ByteBuffer b = ByteBuffer.allocate(16 + count * PIXELS);
        b.putInt(IdxFile.IMAGES).putInt(count).putInt(ROWS).putInt(COLS);
        for (int i = 0; i < count; i++) {
            for (int j = 0; j < PIXELS; j++) {
                b.put((byte) pixel(first + i, j));
            }
        }
        return b.array();
    }

    static byte[] labels(int first, int count) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(ByteBuffer.allocate(8).putInt(IdxFile.LABELS).putInt(count).array());
        for (int i = 0; i < count; i++) {
            out.write(label(first + i));
        }
        return out.toByteArray();
    }
}
