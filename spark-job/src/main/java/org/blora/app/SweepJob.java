package org.blora.app;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.SparkSession;
import org.blora.config.SweepGrid;
import org.blora.config.SweepSpec;
import org.blora.config.TrainSpec;
import org.blora.io.RunFolder;

/**
 * The sweep job: every grid point in one SparkSession over one cached copy of the data, one run folder each
 * under {@code --out/runs/}; a folder that already holds a finished run is read back instead of rerun, so an
 * interrupted sweep continues where it stopped. Ends with sweep.csv and the comparison plots.
 */
public final class SweepJob {
    private SweepJob() {
    }

    public static void run(SweepSpec sweep, String out) {
        TrainSpec first = sweep.base();
        SparkSession spark = Sessions.start("blora-spark sweep", first.master(), first.progressSeconds());
        try (DataSession data = new DataSession(spark, System.out)) {
            RunFolder root = new RunFolder(out, spark.sparkContext().hadoopConfiguration());
            root.mkdirs("");
            List<SweepReport.Run> runs = new ArrayList<>();
            List<TrainSpec> specs = sweep.points();
            for (int i = 0; i < specs.size(); i++) {
                SweepGrid.Point pt = sweep.grid().points().get(i);
                TrainSpec spec = specs.get(i);
                String rel = "runs/" + pt.folder();
                RunFolder folder = new RunFolder(out + "/" + rel, spark.sparkContext().hadoopConfiguration());
                System.out.printf("[sweep] run %d/%d: %s%n", i + 1, specs.size(), pt.folder());
                if (folder.holdsFinishedRun()) {
                    System.out.println("[sweep] reusing the finished run in " + folder.uri());
                } else {
                    folder.clear();
                    TrainRun.run(new TrainRun.Context(data, spec, folder, System.out, null));
                }
                runs.add(SweepReport.Run.of(pt, rel, spec.tol(), folder));
            }
            SweepReport.write(root, sweep.grid(), runs);
            System.out.println("[sweep] wrote " + root.uri() + "/sweep.csv and the comparison plots");
        } finally {
            Sessions.release(spark);
        }
    }
}
