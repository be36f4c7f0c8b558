package org.blora.data;

import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.blora.core.objective.DataBlock;
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
        JavaRDD<Row> rows = df.select(featuresCol, labelCol).javaRDD();
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
