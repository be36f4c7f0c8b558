package org.blora.data;

import java.util.Iterator;
import java.util.List;
import java.util.stream.IntStream;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.blora.core.objective.DataBlock;
import org.blora.data.regression.RegressionGenerator;
import org.blora.data.regression.RegressionRows;
import org.blora.data.regression.RegressionSpec;

/**
 * The synthetic-regression source: each client generates its own rows on its executor from (seed, client), so
 * the driver never holds data. Partition c is client c, packed into bounded blocks.
 */
public final class SyntheticClients {
    private SyntheticClients() {
    }

    public static JavaRDD<DataBlock> generate(JavaSparkContext sc, RegressionSpec spec, int clients, int maxBlockRows) {
        ClientDataReader.checkEnoughRows(spec.rows(), clients);
        List<Integer> ids = IntStream.range(0, clients).boxed().toList();
        return sc.parallelize(ids, clients).mapPartitionsWithIndex((p, it) -> {
            long rows = RegressionGenerator.rowsOf(spec, p, clients);
            long first = RegressionGenerator.firstRowOf(spec, p, clients);
            RegressionRows source = RegressionGenerator.rows(spec, p, clients);
            int d = spec.features();
            // Lazy: one block is generated at a time, so a cache with MEMORY_AND_DISK can spill the previous ones.
            return new Iterator<DataBlock>() {
                private long done;

                @Override
                public boolean hasNext() {
                    return done < rows;
                }

                @Override
                public DataBlock next() {
                    int n = (int) Math.min(maxBlockRows, rows - done);
                    double[] x = new double[n * d];
                    double[] y = new double[n];
                    double[] row = new double[d];
                    for (int i = 0; i < n; i++) {
                        y[i] = source.next(row);
                        System.arraycopy(row, 0, x, i * d, d);
                    }
                    DataBlock b = new DataBlock(p, first + done, n, d, x, y);
                    done += n;
                    return b;
                }
            };
        }, true);
    }
}
