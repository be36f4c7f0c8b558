package org.blora.bench;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.blora.core.linalg.Shape;
import org.blora.core.objective.DataBlock;

/**
 * NumPy in one process on the very rows the executors cache: writes them to target/bench-numpy as little-endian
 * float64 files, runs bench/numpy_round.py with 2 BLAS threads and reads its median round times. Returns null,
 * with a note saying why, where python3 or NumPy is missing.
 */
record NumpyRounds(double gdRoundMs, double pageRoundMs) {
    private static final Path DIR = Path.of("target", "bench-numpy");
    private static final Path SCRIPT = Path.of("bench", "numpy_round.py");

    static NumpyRounds run(List<List<DataBlock>> clients, long rows, int features, Shape shape, Report rep)
            throws IOException, InterruptedException {
        return run(clients, rows, features, shape, rep, "");
    }

    /** Same, the table rows' labels ending in {@code suffix}. */
    static NumpyRounds run(List<List<DataBlock>> clients, long rows, int features, Shape shape, Report rep,
                           String suffix) throws IOException, InterruptedException {
        if (!Files.isRegularFile(SCRIPT)) {
            rep.note("numpy skipped: %s not found (run from the repository root, as bench/run.sh does)", SCRIPT);
            return null;
        }
        Files.createDirectories(DIR);
        Path x = DIR.resolve("x.f64");
        Path y = DIR.resolve("y.f64");
        write(clients, x, y);
        List<String> cmd = List.of("python3", SCRIPT.toString(), "--x", x.toString(), "--y", y.toString(),
                "--rows", Long.toString(rows), "--features", Integer.toString(features),
                "--m", Integer.toString(shape.m()), "--n", Integer.toString(shape.n()), "--threads", "2");
        Process p;
        try {
            p = withoutForcedKernel(new ProcessBuilder(cmd)).redirectErrorStream(true).start();
        } catch (IOException e) {
            rep.note("numpy skipped: python3 could not be started (%s)", e.getMessage());
            return null;
        }
        List<String> lines = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).lines().toList();
        if (!p.waitFor(30, TimeUnit.MINUTES) || p.exitValue() != 0) {
            rep.note("numpy skipped: bench/numpy_round.py failed: %s", String.join(" | ", lines));
            return null;
        }
        Files.deleteIfExists(x);
        Files.deleteIfExists(y);
        double gd = Double.NaN;
        double page = Double.NaN;
        for (String l : lines) {
            String[] f = l.split(" ");
            if (l.startsWith("numpy skipped")) {
                rep.note("%s", l);
                return null;
            } else if (l.startsWith("numpy gd_round_ms ")) {
                gd = Double.parseDouble(f[2]);
                row(rep, "NumPy full-gradient round (1 process, 2 BLAS threads)" + suffix, f);
            } else if (l.startsWith("numpy page_round_ms ")) {
                page = Double.parseDouble(f[2]);
                row(rep, "NumPy PAGE minibatch round, b = 100 (1 process, 2 BLAS threads)" + suffix, f);
            } else if (l.startsWith("numpy version")) {
                rep.note("%s", l);
            }
        }
        if (Double.isNaN(gd) || Double.isNaN(page)) {
            rep.note("numpy skipped: unexpected output of bench/numpy_round.py: %s", String.join(" | ", lines));
            return null;
        }
        return new NumpyRounds(gd, page);
    }

    /**
     * NumPy at its best: OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE, which a machine's environment may set to force
     * an OpenBLAS kernel, are removed for this command alone (as {@code env -u OPENBLAS_CORETYPE -u
     * OPENBLAS_L2_SIZE python3 ...}), so OpenBLAS picks its kernel for this CPU; the script reports which it ran.
     */
    static ProcessBuilder withoutForcedKernel(ProcessBuilder pb) {
        pb.environment().remove("OPENBLAS_CORETYPE");
        pb.environment().remove("OPENBLAS_L2_SIZE");
        return pb;
    }

    /** A line "numpy name median min max n" as a table row. */
    private static void row(Report rep, String what, String[] f) {
        rep.row(what, Double.parseDouble(f[2]), Double.parseDouble(f[3]), Double.parseDouble(f[4]),
                Integer.parseInt(f[5]));
    }

    /** All clients' rows in order, row-major, then the labels. */
    static void write(List<List<DataBlock>> clients, Path x, Path y) throws IOException {
        List<DataBlock> all = new ArrayList<>();
        clients.forEach(all::addAll);
        try (FileChannel fx = FileChannel.open(x, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING);
             FileChannel fy = FileChannel.open(y, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                     StandardOpenOption.TRUNCATE_EXISTING)) {
            for (DataBlock b : all) {
                writeAll(fx, b.x);
                writeAll(fy, b.y);
            }
        }
    }

    private static void writeAll(FileChannel ch, double[] v) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate(1 << 20).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < v.length; ) {
            int n = Math.min(v.length - i, buf.capacity() / 8);
            buf.clear();
            buf.asDoubleBuffer().put(v, i, n);
            buf.limit(n * 8);
            while (buf.hasRemaining()) {
                ch.write(buf);
            }
            i += n;
        }
    }
}
