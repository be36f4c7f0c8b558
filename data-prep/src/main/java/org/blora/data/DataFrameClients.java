package org.blora.data;

import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.blora.core.objective.DataBlock;
import org.blora.core.random.Purpose;
import org.blora.core.random.RandomStreams;
import scala.Tuple2;

/**
 * A Spark ML DataFrame (a vector column of features, a numeric label column) as federated clients, the layout
 * every reader produces: exactly M partitions, the N rows in the DataFrame's order, row i on client floor(i M / N)
 * with global row number i. The order is the DataFrame's partition order, so a DataFrame computed the same way
 * gives the same clients.
 */
public final class DataFrameClients {
    private DataFrameClients() {
    }

    /** The clients' blocks and N. */
    public record Clients(JavaRDD<DataBlock> blocks, long rows) {
    }

    public static Clients of(Dataset<Row> df, String featuresCol, String labelCol, int clients, long blockBytes) {
        return of(df.select(featuresCol, labelCol).javaRDD(), featuresCol, labelCol, clients, blockBytes);
    }

    /**
     * The rows of {@code df} split in the DataFrame's order into training and held-out rows: row i is held out when
     * the draw of (seed, HOLD_OUT, i) falls below {@code fraction}; each part as clients, in its rows' order.
     */
    public static Clients[] split(Dataset<Row> df, String featuresCol, String labelCol, double fraction, long seed,
                                  int clients, long blockBytes) {
        JavaPairRDD<Row, Long> indexed = df.select(featuresCol, labelCol).javaRDD().zipWithIndex();
        JavaRDD<Row> train = indexed.filter(t -> !heldOut(seed, t._2(), fraction)).keys();
        JavaRDD<Row> held = indexed.filter(t -> heldOut(seed, t._2(), fraction)).keys();
        return new Clients[] {of(train, featuresCol, labelCol, clients, blockBytes),
                of(held, featuresCol, labelCol, clients, blockBytes)};
    }

    static boolean heldOut(long seed, long row, double fraction) {
        return RandomStreams.of(seed, 0, RandomStreams.DRIVER, Purpose.HOLD_OUT, row).nextDouble() < fraction;
    }

    /** Rows of (features vector, numeric label) as clients, in the RDD's order. */
    public static Clients of(JavaRDD<Row> rows, String featuresCol, String labelCol, int clients, long blockBytes) {
        long n = rows.count();
        if (n < clients) {
            throw new DataException("the DataFrame has " + n + " rows but clients=" + clients
                    + " (every client needs at least one row; lower clients)");
        }
        JavaPairRDD<ClientKey, LabeledRow> keyed = rows.zipWithIndex().mapToPair(t -> {
                    Row r = t._1();
                    long i = t._2();
                    if (r.isNullAt(0) || r.isNullAt(1)) {
                        throw new DataException(featuresCol + "/" + labelCol + ": row " + i + " has a null value");
                    }
                    double[] x = ((Vector) r.get(0)).toArray();
                    double y = ((Number) r.get(1)).doubleValue();
                    return new Tuple2<>(new ClientKey((int) (i * clients / n), i), new LabeledRow(y, x, "row " + i));
                });
        JavaRDD<DataBlock> blocks = ClientPartitioner.sortAndPack(keyed, clients,
                ClientPartitioner.evenFirstRows(n, clients), -1, blockBytes);
        return new Clients(blocks, n);
    }
}
