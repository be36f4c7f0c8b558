package org.blora.bench;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.blora.core.objective.DataBlock;
import scala.Function1;
import scala.Function2;
import scala.reflect.ClassTag$;

/**
 * Spark's fixed cost of one round with no arithmetic, per primitive that returns per-partition results in a
 * fixed order: mapPartitions + collect, SparkContext.runJob in its two forms (SparkOracle uses the second),
 * treeAggregate, and
 * mapPartitions + collect with one small broadcast created and destroyed per round (the old link channel).
 */
final class StageCosts {
    private StageCosts() {
    }

    /** Measures every primitive into the report; returns the samples of the one SparkOracle uses. */
    static Samples measure(JavaSparkContext sc, JavaRDD<DataBlock> blocks, int reps, int payload, Report rep) {
        double[] link = new double[payload];
        Samples collect = new Samples();
        Samples runJob = new Samples();
        Samples runJobCtx = new Samples();
        Samples tree = new Samples();
        Samples bcast = new Samples();
        Function1<scala.collection.Iterator<DataBlock>, double[]> f =
                (Function1<scala.collection.Iterator<DataBlock>, double[]> & Serializable) it -> new double[]{1.0};
        Function2<TaskContext, scala.collection.Iterator<DataBlock>, double[]> g =
                (Function2<TaskContext, scala.collection.Iterator<DataBlock>, double[]> & Serializable)
                        (ctx, it) -> new double[]{1.0};
        List<Object> ids = new ArrayList<>();
        for (int p = 0; p < blocks.getNumPartitions(); p++) {
            ids.add(p);
        }
        scala.collection.immutable.Seq<Object> all = scala.jdk.javaapi.CollectionConverters.asScala(ids).toSeq();
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
            sc.sc().runJob(blocks.rdd(), g, all, ClassTag$.MODULE$.apply(double[].class));
            long h = System.nanoTime();
            if (r >= 0) {
                runJobCtx.addNanos(h - e);
                collect.addNanos(a - t);
                runJob.addNanos(b - a);
                tree.addNanos(c - b);
                bcast.addNanos(e - c);
            }
        }
        rep.row("empty stage: mapPartitions + collect", collect);
        rep.row("empty stage: SparkContext.runJob(rdd, it -> ...) (Spark wraps it in a Scala closure)", runJob);
        rep.row("empty stage: SparkContext.runJob(rdd, (ctx, it) -> ..., partitions) (what SparkOracle uses)",
                runJobCtx);
        rep.row("empty stage: treeAggregate", tree);
        rep.row("empty stage: broadcast + mapPartitions + collect + destroy", bcast);
        return runJobCtx;
    }
}
