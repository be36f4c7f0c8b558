package org.blora.bench;

import java.io.Serializable;
import java.util.Collections;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.blora.core.objective.DataBlock;
import scala.Function1;
import scala.reflect.ClassTag$;

/**
 * Spark's fixed cost of one round with no arithmetic, per primitive that returns per-partition results in a
 * fixed order: mapPartitions + collect (what SparkOracle uses), SparkContext.runJob, treeAggregate, and
 * mapPartitions + collect with one small broadcast created and destroyed per round (the old link channel).
 */
final class StageCosts {
    private StageCosts() {
    }

    static void measure(JavaSparkContext sc, JavaRDD<DataBlock> blocks, int reps, int payload, Report rep) {
        double[] link = new double[payload];
        Samples collect = new Samples();
        Samples runJob = new Samples();
        Samples tree = new Samples();
        Samples bcast = new Samples();
        Function1<scala.collection.Iterator<DataBlock>, double[]> f =
                (Function1<scala.collection.Iterator<DataBlock>, double[]> & Serializable) it -> new double[]{1.0};
        for (int r = -reps / 4; r < reps; r++) {
            long t = System.nanoTime();
            blocks.mapPartitions(it -> Collections.singletonList(link.length).iterator(), true).collect();
            long a = System.nanoTime();
            sc.sc().runJob(blocks.rdd(), f, ClassTag$.MODULE$.apply(double[].class));
            long b = System.nanoTime();
            blocks.treeAggregate(0.0, (acc, x) -> acc + x.rows, Double::sum);
            long c = System.nanoTime();
            Broadcast<double[]> bc = sc.broadcast(link);
            blocks.mapPartitions(it -> Collections.singletonList(bc.value().length).iterator(), true).collect();
            bc.destroy();
            long e = System.nanoTime();
            if (r >= 0) {
                collect.addNanos(a - t);
                runJob.addNanos(b - a);
                tree.addNanos(c - b);
                bcast.addNanos(e - c);
            }
        }
        rep.row("empty stage: mapPartitions + collect", collect);
        rep.row("empty stage: SparkContext.runJob", runJob);
        rep.row("empty stage: treeAggregate", tree);
        rep.row("empty stage: broadcast + mapPartitions + collect + destroy", bcast);
    }
}
