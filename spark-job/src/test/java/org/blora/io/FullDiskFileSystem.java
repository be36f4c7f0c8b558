package org.blora.io;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.net.URI;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RawLocalFileSystem;
import org.apache.hadoop.fs.permission.FsPermission;
import org.apache.hadoop.util.Progressable;

/**
 * A small disk: the local file system under the scheme {@code blora-full://} (registered with
 * {@code fs.blora-full.impl}, for example as {@code spark.hadoop.fs.blora-full.impl}) that holds at most
 * {@code fs.blora-full.capacity} bytes in the files written through it. A write past that fails as a full disk
 * does, with {@code IOException("No space left on device")}, after the bytes that fit; deleting a file frees its
 * bytes. The bytes in use are counted per JVM ({@link #reset} starts an empty disk).
 */
public final class FullDiskFileSystem extends RawLocalFileSystem {
    public static final String CAPACITY = "fs.blora-full.capacity";
    /** Bytes of every file written through the scheme, by path: the disk's contents. */
    private static final Map<String, Long> FILES = new ConcurrentHashMap<>();
    private long capacity = Long.MAX_VALUE;

    /** An empty disk. */
    public static void reset() {
        FILES.clear();
    }

    /** Bytes in use. */
    public static long used() {
        return FILES.values().stream().mapToLong(Long::longValue).sum();
    }

    @Override
    public void initialize(URI uri, Configuration conf) throws IOException {
        super.initialize(uri, conf);
        capacity = conf.getLong(CAPACITY, Long.MAX_VALUE);
    }

    @Override
    public URI getUri() {
        return URI.create("blora-full:///");
    }

    @Override
    public String getScheme() {
        return "blora-full";
    }

    private static String key(Path p) {
        return p.toUri().getPath();
    }

    @Override
    public FSDataOutputStream create(Path f, FsPermission permission, boolean overwrite, int bufferSize,
                                     short replication, long blockSize, Progressable progress) throws IOException {
        return limited(f, super.create(f, permission, overwrite, bufferSize, replication, blockSize, progress));
    }

    @Override
    public FSDataOutputStream create(Path f, boolean overwrite, int bufferSize, short replication, long blockSize,
                                     Progressable progress) throws IOException {
        return limited(f, super.create(f, overwrite, bufferSize, replication, blockSize, progress));
    }

    private FSDataOutputStream limited(Path f, FSDataOutputStream inner) {
        String k = key(f);
        FILES.put(k, 0L);
        long limit = capacity;
        return new FSDataOutputStream(new FilterOutputStream(inner) {
            @Override
            public void write(int b) throws IOException {
                write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                long room = Math.max(0, limit - used());
                int fits = (int) Math.min(len, room);
                out.write(b, off, fits);
                FILES.merge(k, (long) fits, Long::sum);
                if (fits < len) {
                    throw new IOException("No space left on device");
                }
            }
        }, null);
    }

    @Override
    public boolean delete(Path p, boolean recursive) throws IOException {
        String k = key(p);
        FILES.keySet().removeIf(name -> name.equals(k) || name.startsWith(k + "/"));
        return super.delete(p, recursive);
    }

    @Override
    public boolean rename(Path src, Path dst) throws IOException {
        boolean ok = super.rename(src, dst);
        Long size = FILES.remove(key(src));
        if (ok && size != null) {
            FILES.put(key(dst), size);
        }
        return ok;
    }
}
