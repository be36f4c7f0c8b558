package org.blora.app;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.spark.sql.SparkSession;
import org.blora.config.DataSource;
import org.blora.config.DataSplit;
import org.blora.config.SweepGrid;
import org.blora.config.SweepSpec;
import org.blora.config.TrainSpec;
import org.blora.core.federated.ProtocolKind;
import org.blora.io.RunFolder;

/**
 * The sweep job: every grid point in one SparkSession over one cached copy of the data, one run folder each
 * under {@code --out/runs/}; a folder that already holds a finished run is read back instead of rerun, so an
 * interrupted sweep continues where it stopped. Ends with sweep.csv and the comparison plots.
 *
 * <p>With {@code sweep.parallel=K > 1}, up to K points train at the same time, each on its own driver thread
 * with its own {@link TrainRun} (its own oracle, iterate channel and executor-side copy of W, keyed per run):
 * while one point's driver samples its sketch or its stage waits on a task, another point's stage runs, which
 * overlaps Spark's fixed per-stage latency. Every point computes exactly what it computes alone (all of its
 * randomness comes from its own seed's streams, all reductions run in client order), so its metrics.csv equals
 * the sequential run's in every column but wall_ms. Consecutive points on the same data form a group: the
 * group's pre-training and data loading run first, one at a time, then its points run concurrently over the
 * shared cached blocks. A federated point on a cluster sets the context's checkpoint directory for its client
 * state, so it runs alone. With {@code sweep.fuse} (the default), the rounds of concurrent points on the same
 * data share stages ({@code SharedPasses}): one pass over the blocks serves every point whose request is waiting
 * (full-gradient rounds read each row block once for all of them), with each point's bits unchanged.
 */
public final class SweepJob {
    private SweepJob() {
    }

    public static void run(SweepSpec sweep, String out) {
        TrainSpec first = sweep.base();
        SparkSession spark = Sessions.start("blora-spark sweep", first.run().master(), first.run().progressSeconds());
        try (DataSession data = new DataSession(spark, System.out)) {
            RunFolder root = new RunFolder(out, spark.sparkContext().hadoopConfiguration());
            root.mkdirs("");
            List<TrainSpec> specs = sweep.points();
            List<Point> points = new ArrayList<>();
            for (int i = 0; i < specs.size(); i++) {
                SweepGrid.Point pt = sweep.grid().points().get(i);
                String rel = "runs/" + pt.folder();
                points.add(new Point(i, pt, specs.get(i), rel,
                        new RunFolder(out + "/" + rel, spark.sparkContext().hadoopConfiguration())));
            }
            if (sweep.parallel() <= 1 || points.size() <= 1) {
                for (Point p : points) {
                    System.out.printf("[sweep] run %d/%d: %s%n", p.index + 1, points.size(), p.pt.folder());
                    runPoint(data, p, System.out);
                }
            } else {
                if (sweep.fuse()) {
                    data.shareStages();
                }
                runConcurrently(data, points, sweep.parallel());
                if (sweep.fuse()) {
                    System.out.printf("[sweep] %d stages shared by %d requests of concurrent points%n",
                            data.sharedPasses().sharedStages(), data.sharedPasses().sharedRequests());
                }
            }
            List<SweepReport.Run> runs = new ArrayList<>();
            for (Point p : points) {
                runs.add(SweepReport.Run.of(p.pt, p.rel, p.spec.optim().tol(), p.folder));
            }
            SweepReport.write(root, sweep.grid(), runs);
            System.out.println("[sweep] wrote " + root.uri() + "/sweep.csv and the comparison plots");
        } finally {
            Sessions.release(spark);
        }
    }

    /** One grid point: its index, its place in the grid, its specification and its run folder. */
    private record Point(int index, SweepGrid.Point pt, TrainSpec spec, String rel, RunFolder folder) {
    }

    private static void runPoint(DataSession data, Point p, PrintStream log) {
        if (p.folder.holdsFinishedRun()) {
            log.println("[sweep] reusing the finished run in " + p.folder.uri());
        } else {
            p.folder.clear();
            TrainRun.run(new TrainRun.Context(data, p.spec, p.folder, log, null));
        }
    }

    /** Groups of consecutive points on the same data, each prepared one point at a time, then run K at a time. */
    private static void runConcurrently(DataSession data, List<Point> points, int parallel) {
        ExecutorService pool = Executors.newFixedThreadPool(parallel, r -> {
            Thread t = new Thread(r, "sweep-point");
            t.setDaemon(true);
            return t;
        });
        AtomicInteger started = new AtomicInteger();
        try {
            int i = 0;
            while (i < points.size()) {
                String key = DataSession.dataKey(points.get(i).spec);
                int end = i;
                while (end < points.size() && DataSession.dataKey(points.get(end).spec).equals(key)) {
                    end++;
                }
                List<Point> group = points.subList(i, end);
                for (Point p : group) {
                    prepare(data, p);
                }
                List<Future<?>> running = new ArrayList<>();
                for (Point p : group) {
                    if (runsAlone(data, p)) {
                        await(running);
                        running.clear();
                        announce(p, points.size(), started);
                        runPoint(data, p, PointLog.of(System.out, p.pt.folder()));
                    } else {
                        running.add(pool.submit(() -> {
                            announce(p, points.size(), started);
                            try (PrintStream log = PointLog.of(System.out, p.pt.folder())) {
                                runPoint(data, p, log);
                            }
                        }));
                    }
                }
                await(running);
                i = end;
            }
        } finally {
            pool.shutdownNow();
        }
    }

    private static void announce(Point p, int total, AtomicInteger started) {
        System.out.printf("[sweep] run %d/%d (%d started): %s%n", p.index + 1, total, started.incrementAndGet(),
                p.pt.folder());
    }

    /**
     * What must not run concurrently with other points: pre-training (its cached result is shared by the
     * points, and its data replace the session's) and loading the point's data (and held-out splits).
     */
    private static void prepare(DataSession data, Point p) {
        if (p.folder.holdsFinishedRun()) {
            return;
        }
        TrainSpec spec = p.spec;
        PrintStream log = PointLog.of(System.out, p.pt.folder());
        if (spec.pretrain().enabled()) {
            Pretraining.ensure(data, spec, log);
        }
        if (spec.data().source() == DataSource.COUNTEREXAMPLE) {
            return;
        }
        data.blocks(spec);
        if (spec.data().source() == DataSource.MNIST) {
            data.heldOut(spec, DataSplit.VAL);
            data.heldOut(spec, DataSplit.TEST);
        }
    }

    /** A federated point on a cluster sets the SparkContext's checkpoint directory to its own folder. */
    private static boolean runsAlone(DataSession data, Point p) {
        return p.spec.fed().protocol() != ProtocolKind.NONE && !data.sc().isLocal();
    }

    /** Waits for every future in order; the first failure (in grid order) is thrown as the point threw it. */
    private static void await(List<Future<?>> running) {
        for (Future<?> f : running) {
            try {
                f.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for a sweep point", e);
            } catch (ExecutionException e) {
                for (Future<?> other : running) {
                    other.cancel(true);
                }
                Throwable cause = e.getCause();
                if (cause instanceof RuntimeException re) {
                    throw re;
                }
                if (cause instanceof Error err) {
                    throw err;
                }
                throw new IllegalStateException(cause);
            }
        }
    }
}
