package org.blora.data.mnist;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.zip.GZIPInputStream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.blora.data.DataException;

/**
 * One IDX file of unsigned bytes as LeCun and Cortes distribute MNIST: a big-endian header (magic number
 * {@value #IMAGES} for images, {@value #LABELS} for labels, then the dimensions: count × rows × cols, or count),
 * then exactly the promised number of bytes. Read whole from any Hadoop URI; a name ending in {@code .gz} is
 * gunzipped on the fly, and every size below refers to the uncompressed content.
 *
 * <p>The SHA-256 is taken over the uncompressed content, so a plain and a gzipped copy of the same file agree
 * and can be compared with the canonical values of the four original files.
 */
public final class IdxFile {
    /** Magic number of an IDX file of unsigned bytes with three dimensions (images). */
    public static final int IMAGES = 0x0803;
    /** Magic number of an IDX file of unsigned bytes with one dimension (labels). */
    public static final int LABELS = 0x0801;

    /** SHA-256 of the uncompressed original MNIST files, by file name. */
    public static final Map<String, String> CANONICAL_SHA256 = Map.of(
            "train-images-idx3-ubyte", "ba891046e6505d7aadcbbe25680a0738ad16aec93bde7f9b65e87a2fc25776db",
            "train-labels-idx1-ubyte", "65a50cbbf4e906d70832878ad85ccda5333a97f0f4c3dd2ef09a8a9eef7101c5",
            "t10k-images-idx3-ubyte", "0fa7898d509279e482958e8ce81c8e77db3f2f8254e26661ceb7762c4d494ce7",
            "t10k-labels-idx1-ubyte", "ff7bcfd416de33731a308c3f266cc351222c34898ecbeaf847f06e48f7ec33f2");

    /** First two bytes of a gzip stream, as a big-endian magic number would show them. */
    private static final int GZIP_MAGIC = 0x1f8b;

    private final String file;
    private final int count;
    private final int rows;
    private final int cols;
    private final byte[] data;
    private final String sha256;

    private IdxFile(String file, int count, int rows, int cols, byte[] data, String sha256) {
        this.file = file;
        this.count = count;
        this.rows = rows;
        this.cols = cols;
        this.data = data;
        this.sha256 = sha256;
    }

    /**
     * Reads and checks one file.
     *
     * @param magic {@link #IMAGES} or {@link #LABELS}: what the file must hold
     * @throws DataException one line naming the file: missing, unreadable, wrong magic number, a bad dimension,
     *                       fewer or more bytes than the header promises
     */
    public static IdxFile read(Configuration conf, String uri, int magic) {
        if (magic != IMAGES && magic != LABELS) {
            throw new IllegalArgumentException("magic must be " + IMAGES + " (images) or " + LABELS + " (labels), got "
                    + magic);
        }
        Path p = new Path(uri);
        MessageDigest sha = newSha256();
        try (InputStream raw = p.getFileSystem(conf).open(p);
             DataInputStream in = new DataInputStream(new DigestInputStream(new BufferedInputStream(
                     uri.endsWith(".gz") ? new GZIPInputStream(raw, 1 << 16) : raw, 1 << 16), sha))) {
            return read(uri, in, magic, sha);
        } catch (FileNotFoundException e) {
            throw new DataException(uri + ": does not exist (run data-prep/fetch-mnist.sh or check the folder)");
        } catch (IOException e) {
            throw new DataException(uri + ": cannot be read (" + e.getClass().getSimpleName() + ": " + e.getMessage()
                    + "); fetch it again with data-prep/fetch-mnist.sh");
        }
    }

    private static IdxFile read(String uri, DataInputStream in, int magic, MessageDigest sha) throws IOException {
        String kind = magic == IMAGES ? "images" : "labels";
        int dims = magic == IMAGES ? 3 : 1;
        int[] dim = new int[3];
        int found;
        try {
            found = in.readInt();
            if (found != magic) {
                throw new DataException(uri + ": magic number " + found + ", expected " + magic + " (an IDX file of "
                        + kind + ")" + ((found >>> 16) == GZIP_MAGIC && !uri.endsWith(".gz")
                        ? "; the file is gzip-compressed, name it " + new Path(uri).getName() + ".gz"
                        : "; check that this is the right file"));
            }
            for (int i = 0; i < dims; i++) {
                dim[i] = in.readInt();
            }
        } catch (EOFException e) {
            throw new DataException(uri + ": truncated header (an IDX file of " + kind + " starts with " + 4 * (dims + 1)
                    + " bytes); fetch it again with data-prep/fetch-mnist.sh");
        }
        int count = dim[0];
        int rows = dims == 3 ? dim[1] : 1;
        int cols = dims == 3 ? dim[2] : 1;
        long bytes = (long) count * rows * cols;
        if (count < 0 || rows < 1 || cols < 1 || bytes > Integer.MAX_VALUE - 8) {
            throw new DataException(uri + ": header promises " + (dims == 3 ? count + " x " + rows + " x " + cols : count)
                    + " " + kind + ", which is not a valid size; fetch it again with data-prep/fetch-mnist.sh");
        }
        String promise = dims == 3 ? count + " images of " + rows + " x " + cols : count + " labels";
        byte[] data = new byte[(int) bytes];
        int got = in.readNBytes(data, 0, data.length);
        if (got < data.length) {
            throw new DataException(uri + ": truncated: the header promises " + promise + " = " + bytes
                    + " bytes of data, the file has " + got + "; fetch it again with data-prep/fetch-mnist.sh");
        }
        long extra = in.transferTo(OutputStream.nullOutputStream());
        if (extra > 0) {
            throw new DataException(uri + ": oversized: " + extra + " bytes after the " + bytes + " the header promises ("
                    + promise + "); fetch it again with data-prep/fetch-mnist.sh");
        }
        return new IdxFile(uri, count, rows, cols, data, HexFormat.of().formatHex(sha.digest()));
    }

    private static MessageDigest newSha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this JVM has no SHA-256", e);
        }
    }

    /** Image and label files describe the same examples only if their counts agree. */
    public static void checkSameCount(IdxFile images, IdxFile labels) {
        if (images.count != labels.count) {
            throw new DataException(labels.file + ": has " + labels.count + " labels but " + images.file + " has "
                    + images.count + " images (the two files must come from the same set)");
        }
    }

    /**
     * A warning line when this file's name is one of the four original files' and its content differs from the
     * canonical one (a different or modified copy: the counts in the paper may then not be reproduced).
     */
    public Optional<String> canonicalMismatch() {
        String want = CANONICAL_SHA256.get(baseName());
        if (want == null || want.equals(sha256)) {
            return Optional.empty();
        }
        return Optional.of(file + ": SHA-256 " + sha256 + " differs from the original MNIST file's " + want
                + " (a modified copy; results may differ from the paper's)");
    }

    /** The file name without folder and without {@code .gz}. */
    public String baseName() {
        String name = new Path(file).getName();
        return name.endsWith(".gz") ? name.substring(0, name.length() - 3) : name;
    }

    public String file() {
        return file;
    }

    public int count() {
        return count;
    }

    public int rows() {
        return rows;
    }

    public int cols() {
        return cols;
    }

    /** Bytes of one item: rows × cols pixels of an image, 1 for a label. */
    public int itemBytes() {
        return rows * cols;
    }

    /** The unsigned bytes after the header (the caller must not modify them). */
    public byte[] data() {
        return data;
    }

    /** SHA-256 of the uncompressed content, lower-case hex. */
    public String sha256() {
        return sha256;
    }
}
