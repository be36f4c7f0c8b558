package org.blora.bench;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.blora.app.SweepJob;
import org.blora.config.RunSection;
import org.blora.config.SweepKeys;
import org.blora.config.SweepSpec;

/**
 * A sweep run one point after another against the same sweep with {@code sweep.parallel=K}, in the benchmark's
 * SparkSession: 8 points at reduced size (synthetic regression 4,000 x 256, W 16x16, r = 1), half GD and half
 * PAGE (b = 100), 4 seeds each. Each repetition runs the sequential sweep, the parallel one with
 * {@code sweep.fuse=false} (every round its own stage) and the parallel one with shared stages (the
 * default) back to back, then the sequential one with run.rounds=persistent
 * (after one warm-up round of the four), and every point's metrics.csv is checked equal in all three
 * (all columns but wall_ms), so the speed-ups are for the very same results. On 2 cores the gain of running
 * points concurrently is overlap: a round is mostly Spark's fixed cost of one stage (scheduling, task
 * (de)serialisation, result return) and the driver's work between stages, which concurrent points fill with each
 * other's stages; sharing stages removes them: concurrent points in step need one stage per round together.
 */
final class ParallelSweep {
    private ParallelSweep() {
    }

    static final List<String> SETS = List.of("data.rows=4000", "data.features=256", "model.shape=16x16",
            "lora.rank=1", "optim.rounds=80", "optim.tol=1e-30", "run.progress.seconds=600", "spark.master=local[2]",
            "sweep.seeds=1,2,3,4", "sweep.cases=gd,page", "sweep.case.gd=optim.estimator=gd",
            "sweep.case.page=optim.estimator=page; optim.batch=100");
    private static final Pattern SHARED = Pattern.compile("\\[sweep\\] (\\d+) stages shared by (\\d+) requests");

    /**
     * Ratios of median wall times: sequential / shared, sequential / unshared, unshared / shared (all parallel),
     * persistent sequential / shared, sequential / persistent sequential.
     */
    record Ratios(double sequentialVsParallel, double sequentialVsUnfused, double unfusedVsFused,
                  double persistentVsParallel, double sequentialVsPersistent) {
    }

    /** Runs the three sweeps {@code reps} times; adds the rows and notes to {@code rep}. */
    static Ratios measure(Report rep, int parallel, int reps) throws IOException {
        Path root = Path.of("target/bench-sweep");
        Samples seq = new Samples();
        Samples unfused = new Samples();
        Samples fused = new Samples();
        Samples persistent = new Samples();
        String shared = "";
        for (int r = -1; r < reps; r++) {
            double s = sweep(root.resolve("seq"), 1, true, "stage").ms;
            double u = sweep(root.resolve("unfused"), parallel, false, "stage").ms;
            Run f = sweep(root.resolve("par"), parallel, true, "stage");
            double p = sweep(root.resolve("persistent"), 1, true, "persistent").ms;
            sameResults(root.resolve("seq"), root.resolve("unfused"));
            sameResults(root.resolve("seq"), root.resolve("par"));
            sameResults(root.resolve("seq"), root.resolve("persistent"));
            if (r >= 0) {
                seq.add(s);
                unfused.add(u);
                fused.add(f.ms);
                persistent.add(p);
                Matcher m = SHARED.matcher(f.console);
                shared += (shared.isEmpty() ? "" : "; ") + (m.find() ? m.group(1) + " shared stages served "
                        + m.group(2) + " requests" : "no shared stage");
            }
        }
        rep.row("sweep of 8 points (4 GD, 4 PAGE; 4000 x 256, 80 rounds each), one after another", seq);
        rep.row("the same sweep with sweep.parallel=" + parallel + " and sweep.fuse=false (same metrics.csv checked)",
                unfused);
        rep.row("the same sweep with sweep.parallel=" + parallel + ", shared stages (same metrics.csv "
                + "checked)", fused);
        rep.row("the same sweep one point after another with run.rounds=persistent (same metrics.csv checked)",
                persistent);
        rep.note("sweep: 8 points, every metrics.csv equal in the four modes (all columns but wall_ms); %d "
                + "repetitions after one warm-up round of the four; per repetition %s", reps, shared);
        return new Ratios(seq.median() / fused.median(), seq.median() / unfused.median(),
                unfused.median() / fused.median(), persistent.median() / fused.median(),
                seq.median() / persistent.median());
    }

    /** One sweep's wall time (ms) and its console lines. */
    private record Run(double ms, String console) {
    }

    /** One sweep into a fresh folder, its console lines kept aside; {@code rounds} is run.rounds. */
    private static Run sweep(Path out, int parallel, boolean fuse, String rounds) throws IOException {
        delete(out);
        List<String> sets = new ArrayList<>(SETS);
        sets.add(RunSection.ROUNDS.name() + "=" + rounds);
        sets.add(SweepKeys.PARALLEL.name() + "=" + parallel);
        sets.add(SweepKeys.FUSE.name() + "=" + fuse);
        SweepSpec spec = SweepSpec.load(null, sets);
        PrintStream console = System.out;
        ByteArrayOutputStream lines = new ByteArrayOutputStream();
        System.setOut(new PrintStream(lines, true, StandardCharsets.UTF_8));
        long t = System.nanoTime();
        try {
            SweepJob.run(spec, out.toAbsolutePath().toUri().toString());
        } finally {
            System.setOut(console);
        }
        return new Run((System.nanoTime() - t) / 1e6, lines.toString(StandardCharsets.UTF_8));
    }

    private static void sameResults(Path a, Path b) throws IOException {
        List<Path> runs;
        try (Stream<Path> s = Files.list(a.resolve("runs"))) {
            runs = s.sorted().toList();
        }
        if (runs.size() != 8) {
            throw new IllegalStateException("expected 8 run folders in " + a + ", found " + runs.size());
        }
        for (Path run : runs) {
            Path other = b.resolve("runs").resolve(run.getFileName());
            if (!deterministic(run.resolve("metrics.csv")).equals(deterministic(other.resolve("metrics.csv")))) {
                throw new IllegalStateException("sweep.parallel changed the results of " + b + "/" + run.getFileName());
            }
        }
    }

    private static List<String> deterministic(Path metrics) throws IOException {
        return Files.readAllLines(metrics).stream().map(l -> {
            String[] f = l.split(",", -1);
            f[2] = "";
            return String.join(",", f);
        }).collect(Collectors.toList());
    }

    private static void delete(Path p) throws IOException {
        if (!Files.exists(p)) {
            return;
        }
        try (Stream<Path> s = Files.walk(p)) {
            for (Path q : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(q);
            }
        }
    }
}
