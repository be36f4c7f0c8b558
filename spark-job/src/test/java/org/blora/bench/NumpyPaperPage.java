package org.blora.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.blora.core.linalg.Shape;
import org.blora.core.objective.DataBlock;

/**
 * The paper's PAGE run in NumPy on the very rows the executors cache (bench/numpy_paper_page.py, same settings,
 * its own random draws), NumPy at its best (see {@link NumpyRounds#withoutForcedKernel}). Returns null, with a
 * note saying why, where python3 or NumPy is missing or the script fails.
 */
record NumpyPaperPage(double seconds, int rounds, double gradNormSq, boolean converged) {
    private static final Path DIR = Path.of("target", "bench-numpy");
    private static final Path SCRIPT = Path.of("bench", "numpy_paper_page.py");

    static NumpyPaperPage run(List<List<DataBlock>> clients, long rows, int features, Shape shape, int metricsEvery,
                              double tol, int maxRounds, Report rep) throws IOException, InterruptedException {
        if (!Files.isRegularFile(SCRIPT)) {
            rep.note("numpy paper PAGE skipped: %s not found (run from the repository root, as bench/run.sh does)",
                    SCRIPT);
            return null;
        }
        Files.createDirectories(DIR);
        Path x = DIR.resolve("x.f64");
        Path y = DIR.resolve("y.f64");
        NumpyRounds.write(clients, x, y);
        List<String> cmd = List.of("python3", SCRIPT.toString(), "--x", x.toString(), "--y", y.toString(),
                "--rows", Long.toString(rows), "--features", Integer.toString(features),
                "--m", Integer.toString(shape.m()), "--n", Integer.toString(shape.n()),
                "--metrics-every", Integer.toString(metricsEvery), "--tol", Double.toString(tol),
                "--max-rounds", Integer.toString(maxRounds), "--threads", "2");
        rep.note("numpy paper PAGE: env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE %s", String.join(" ", cmd));
        Process p;
        try {
            p = NumpyRounds.withoutForcedKernel(new ProcessBuilder(cmd)).redirectErrorStream(true).start();
        } catch (IOException e) {
            rep.note("numpy paper PAGE skipped: python3 could not be started (%s)", e.getMessage());
            return null;
        }
        List<String> lines = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).lines().toList();
        boolean done = p.waitFor(2, TimeUnit.HOURS);
        Files.deleteIfExists(x);
        Files.deleteIfExists(y);
        if (!done || p.exitValue() != 0) {
            rep.note("numpy paper PAGE skipped: bench/numpy_paper_page.py failed: %s", String.join(" | ", lines));
            return null;
        }
        NumpyPaperPage result = null;
        for (String l : lines) {
            String[] f = l.split(" ");
            if (l.startsWith("numpy skipped")) {
                rep.note("%s", l);
                return null;
            } else if (l.startsWith("numpy paper_page ")) {
                result = new NumpyPaperPage(Double.parseDouble(f[2]), Integer.parseInt(f[3]),
                        Double.parseDouble(f[4]), f[5].equals("converged"));
            } else if (l.startsWith("numpy ")) {
                rep.note("%s", l);
            }
        }
        if (result == null) {
            rep.note("numpy paper PAGE skipped: unexpected output: %s", String.join(" | ", lines));
        }
        return result;
    }
}
