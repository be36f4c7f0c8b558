package org.blora.data;

import java.util.Iterator;
import java.util.List;
import java.util.stream.IntStream;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.blora.core.objective.DataBlock;
import org.blora.data.regression.MarginLabels;
import org.blora.data.regression.RegressionGenerator;
import org.blora.data.regression.RegressionRows;
import org.blora.data.regression.RegressionSpec;

/**
 * The synthetic-regression source: each client generates its own rows on its executor from (seed, shard), so
 * the driver never holds data. Partition c is client c; its shards (one for an iid split, a Dirichlet-sized run
 * of them otherwise) are generated one after another and packed into bounded blocks, lazily. With
 * {@link MarginLabels} the labels are -1/+1 (the hinge loss's separable data) and the target shift is not used.
 */
public final class SyntheticClients {
    private SyntheticClients() {
    }

    public static JavaRDD<DataBlock> generate(JavaSparkContext sc, RegressionSpec spec, int clients, int maxBlockRows) {
        return generate(sc, spec, clients, maxBlockRows, ClientSplit.IID);
    }

    public static JavaRDD<DataBlock> generate(JavaSparkContext sc, RegressionSpec spec, int clients, int maxBlockRows,
                                              ClientSplit split) {
        return generate(sc, spec, clients, maxBlockRows, split, null);
    }

    /** With {@code labels} non-null, rows get -1/+1 labels separable with a margin instead of regression targets. */
    public static JavaRDD<DataBlock> generate(JavaSparkContext sc, RegressionSpec spec, int clients, int maxBlockRows,
                                              ClientSplit split, MarginLabels labels) {
        int shards = split.shards(clients);
        ClientDataReader.checkEnoughRows(spec.rows(), shards);
        int[] bounds = split.shardBounds(clients, spec.seed());
        List<Integer> ids = IntStream.range(0, clients).boxed().toList();
        return sc.parallelize(ids, clients).mapPartitionsWithIndex((c, it) -> {
            long first = RegressionGenerator.firstRowOf(spec, bounds[c], shards);
            long rows = 0;
            for (int s = bounds[c]; s < bounds[c + 1]; s++) {
                rows += RegressionGenerator.rowsOf(spec, s, shards);
            }
            long total = rows;
            double shift = split.shiftOf(spec.seed(), c);
            int d = spec.features();
            return new Iterator<DataBlock>() {
                private long done;
                private int shard = bounds[c];
                private RegressionRows source = RegressionGenerator.rows(spec, shard, shards);

                @Override
                public boolean hasNext() {
                    return done < total;
                }

                @Override
                public DataBlock next() {
                    int n = (int) Math.min(maxBlockRows, total - done);
                    double[] x = new double[n * d];
                    double[] y = new double[n];
                    double[] row = new double[d];
                    for (int i = 0; i < n; i++) {
                        while (!source.hasNext()) {
                            source = RegressionGenerator.rows(spec, ++shard, shards);
                        }
                        double target = source.next(row);
                        y[i] = labels == null ? target + shift : labels.label(row);
                        System.arraycopy(row, 0, x, i * d, d);
                    }
                    DataBlock b = new DataBlock(c, first + done, n, d, x, y);
                    done += n;
                    return b;
                }
            };
        }, true);
    }
}
