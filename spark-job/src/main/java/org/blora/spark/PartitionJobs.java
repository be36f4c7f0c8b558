package org.blora.spark;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.blora.core.objective.DataBlock;
import scala.Function2;
import scala.reflect.ClassTag$;

/**
 * One stage over an RDD of one partition per client, with SparkContext.runJob: one result per partition in
 * partition order, without creating an RDD per round. The (TaskContext, Iterator) overload is used on purpose: the
 * Iterator-only one wraps the function in a Scala closure that Spark's ClosureCleaner analyses by reading and
 * parsing SparkContext's bytecode on every job (most of a round's driver time in a JFR profile, see
 * bench/README.md); a Java lambda is not analysed.
 */
final class PartitionJobs {
    /** What one partition computes in a stage. */
    interface PartitionTask<T, U> extends Function2<TaskContext, scala.collection.Iterator<T>, U>, Serializable {
    }

    private final JavaSparkContext sc;
    /** Every partition id, 0 .. clients - 1: what each job runs on. */
    private final scala.collection.immutable.Seq<Object> allPartitions;

    PartitionJobs(JavaSparkContext sc, int clients) {
        this.sc = sc;
        List<Object> ids = new ArrayList<>(clients);
        for (int i = 0; i < clients; i++) {
            ids.add(i);
        }
        this.allPartitions = scala.jdk.javaapi.CollectionConverters.asScala(ids).toSeq();
    }

    <T, U> List<U> run(JavaRDD<T> rdd, PartitionTask<T, U> task, Class<?> resultClass) {
        @SuppressWarnings("unchecked")
        U[] out = (U[]) sc.sc().runJob(rdd.rdd(), task, allPartitions, ClassTag$.MODULE$.apply(resultClass));
        return Arrays.asList(out);
    }

    /**
     * The partition's blocks for ClientCompute's single pass, streamed: a client larger than memory comes off
     * disk one block at a time instead of being collected first.
     */
    static Iterable<DataBlock> once(scala.collection.Iterator<DataBlock> it) {
        return () -> scala.jdk.javaapi.CollectionConverters.asJava(it);
    }
}
