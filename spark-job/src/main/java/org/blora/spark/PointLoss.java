package org.blora.spark;

import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.blora.core.objective.DataBlock;
import org.blora.core.objective.DataLoss;

/**
 * f(theta) = (1/N) sum_i f_i(theta) at a point that is not an iterate of the chain (the average iterate of the
 * convex theorem): one stage, theta shipped in the tasks, each client's loss summed in block order and the
 * clients in client order, so the value has the same bits whatever the task timing.
 */
public final class PointLoss {
    private PointLoss() {
    }

    public static double mean(JavaRDD<DataBlock> blocks, DataLoss loss, double[] theta, long rows) {
        List<Double> parts = blocks.mapPartitions(it -> {
            double sum = 0.0;
            double[] scratch = new double[theta.length];
            while (it.hasNext()) {
                sum += loss.accumulate(it.next(), theta, scratch);
            }
            return List.of(sum).iterator();
        }, true).collect();
        double sum = 0.0;
        for (double p : parts) {
            sum += p;
        }
        return sum / rows;
    }
}
