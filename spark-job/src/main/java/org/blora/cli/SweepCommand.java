package org.blora.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import org.blora.core.train.RoundRecord;
import org.blora.io.MetricsCsv;
import org.blora.io.RunFolder;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "sweep", mixinStandardHelpOptions = true,
        description = {"Run a grid of training runs (cases x sweep.grid.* x sweep.seeds) in one SparkSession over one",
                "cached copy of the data, and write one run folder per point under --out/runs/, sweep.csv (one row",
                "per run) and comparison plots (median over seeds with a min-max band, against rounds and epochs).",
                "",
                "Sweep keys: sweep.seeds=1,2,3; sweep.grid.KEY=v1,v2 (any train key); sweep.cases=a,b with",
                "sweep.case.a=KEY=v; KEY=v1,v2 (a list is a grid local to the case); sweep.figure.NAME=a,b.",
                "Every other key is the base configuration of 'train --help'. A run folder that already holds a",
                "finished run is reused, so an interrupted sweep continues where it stopped."},
        footer = {"", "Example: submit/local.sh sweep --conf conf/experiments/paper-linreg-sweep.properties --out runs/sweep"})
final class SweepCommand implements Callable<Integer> {
    @Option(names = "--conf", description = "a .properties file: base keys plus sweep.* keys")
    Path conf;

    @Option(names = "--set", description = "key=value, overrides --conf (repeatable; sweep.* keys too)")
    List<String> sets = new ArrayList<>();

    @Option(names = "--out", required = true, description = "sweep folder (any Hadoop URI)")
    String out;

    @Override
    public Integer call() {
        Map<String, String> base = new LinkedHashMap<>();
        Map<String, String> sweep = new LinkedHashMap<>();
        for (RunConfig.Setting st : RunConfig.read(conf, sets)) {
            (st.key().startsWith("sweep.") ? sweep : base).put(st.key(), st.value());
        }
        RunConfig baseConfig = RunConfig.of(base);
        SweepGrid grid = new SweepGrid(sweep, baseConfig.get("run.seed"));
        // Validate every point before Spark starts.
        List<TrainSpec> specs = new ArrayList<>();
        for (SweepGrid.Point pt : grid.points()) {
            RunConfig c = baseConfig;
            for (Map.Entry<String, String> e : pt.overrides().entrySet()) {
                try {
                    c = c.with(e.getKey(), e.getValue());
                } catch (ConfigException ex) {
                    throw new ConfigException("sweep point '" + pt.folder() + "': " + ex.getMessage());
                }
            }
            try {
                specs.add(new TrainSpec(c));
            } catch (ConfigException ex) {
                throw new ConfigException("sweep point '" + pt.folder() + "': " + ex.getMessage());
            }
        }
        TrainSpec first = new TrainSpec(baseConfig);
        SparkSession spark = Sessions.start("blora-spark sweep", first.master, first.progressSeconds);
        try (DataSession data = new DataSession(spark, System.out)) {
            RunFolder root = new RunFolder(out, spark.sparkContext().hadoopConfiguration());
            root.mkdirs("");
            List<SweepReport.Run> runs = new ArrayList<>();
            for (int i = 0; i < specs.size(); i++) {
                SweepGrid.Point pt = grid.points().get(i);
                TrainSpec spec = specs.get(i);
                String rel = "runs/" + pt.folder();
                RunFolder folder = new RunFolder(out + "/" + rel, spark.sparkContext().hadoopConfiguration());
                System.out.printf("[sweep] run %d/%d: %s%n", i + 1, specs.size(), pt.folder());
                List<RoundRecord> rows;
                String stop;
                if (folder.holdsFinishedRun()) {
                    System.out.println("[sweep] reusing the finished run in " + folder.uri());
                    rows = MetricsCsv.parse(folder.readText("metrics.csv"));
                    stop = SweepReport.stopReason(folder.readText(RunFolder.SUMMARY));
                } else {
                    folder.clear();
                    TrainRun.Outcome o = TrainRun.run(data, spec, folder, System.out);
                    rows = o.rows();
                    stop = o.result().stopReason().text;
                }
                runs.add(new SweepReport.Run(pt, rel, rows, spec.tol, stop));
            }
            SweepReport.write(root, grid, runs);
            System.out.println("[sweep] wrote " + root.uri() + "/sweep.csv and the comparison plots");
            return 0;
        } finally {
            spark.stop();
        }
    }
}
