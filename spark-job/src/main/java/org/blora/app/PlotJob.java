package org.blora.app;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.blora.config.ConfigException;
import org.blora.core.objective.FStar;
import org.blora.core.theory.Measure;
import org.blora.core.train.RoundRecord;
import org.blora.io.JsonFiles;
import org.blora.io.MetricsCsv;
import org.blora.io.RunFolder;
import org.blora.io.RunOutputs;

/** The plot job: redraws convergence.png of a run folder from its metrics.csv, without Spark. */
public final class PlotJob {
    private PlotJob() {
    }

    public static void run(String run) {
        RunFolder folder = new RunFolder(run, new Configuration());
        if (!folder.exists("metrics.csv")) {
            throw new ConfigException("--run: " + run + " has no metrics.csv (give the folder of a train run)");
        }
        String metrics = folder.readText("metrics.csv");
        List<RoundRecord> rows = MetricsCsv.parse(metrics);
        folder.write("convergence.png", RunOutputs.plot(folder.name(), rows, false, bound(folder, metrics, rows)));
        System.out.println("[plot] wrote " + run + "/convergence.png");
    }

    /**
     * The run's bound as metrics.csv holds it, with its measure (summary.json's bound_measure) recomputed from the
     * rows as the live check computed it, against the same f*; NONE for a run without a bound.
     */
    static RunOutputs.BoundColumn bound(RunFolder folder, String metrics, List<RoundRecord> rows) {
        double[] values = MetricsCsv.boundColumn(metrics);
        if (values == null || !folder.exists(RunFolder.SUMMARY)) {
            return RunOutputs.BoundColumn.NONE;
        }
        JsonNode summary = JsonFiles.read(folder.readText(RunFolder.SUMMARY), RunFolder.SUMMARY);
        Measure measure = Measure.described(summary.path("bound_measure").asText());
        FStar fStar = summary.has("f_star")
                ? new FStar(summary.get("f_star").asDouble(), summary.path("f_star_accuracy").asDouble(0),
                        null, RunFolder.SUMMARY)
                : null;
        return new RunOutputs.BoundColumn(values, MetricsCsv.boundName(metrics), measure,
                measure.observed(rows, TheoryCheck.fLow(fStar)));
    }
}
