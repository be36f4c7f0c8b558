package org.blora.data.mnist;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.blora.core.objective.DataBlock;
import org.blora.data.ClientKey;
import org.blora.data.ClientPartitioner;
import org.blora.data.DataException;
import org.blora.data.LabeledRow;
import scala.Tuple2;

/**
 * One split of a data set written by {@link PrepMnist}, restricted to some classes, as federated clients: the
 * layout every reader of data-prep produces. Exactly M partitions, partition c = client c; the N kept rows in
 * {@code id} order, row i (0-based after filtering) on client ⌊i M / N⌋ with global row number i, packed into
 * blocks of at most {@code blockBytes} of features. Labels are doubles (the class, or its rank among the kept
 * classes when relabelling).
 *
 * @param blocks  the clients' blocks
 * @param rows    N, the rows kept
 * @param classes the classifier's output count: K kept classes when relabelling, else the largest kept class + 1
 */
public record MnistClients(JavaRDD<DataBlock> blocks, long rows, int classes) {

    /**
     * @param split   {@code train}, {@code val} or {@code test}
     * @param filter  the classes to keep ({@code data.classes})
     * @param relabel map the kept classes in increasing order to 0..K−1
     */
    public static MnistClients read(SparkSession spark, String path, String split, ClassFilter filter, boolean relabel,
                                    int clients, long blockBytes) {
        if (!PrepMnist.SPLITS.contains(split)) {
            throw new IllegalArgumentException("split must be one of " + PrepMnist.SPLITS + ", got '" + split + "'");
        }
        if (clients < 1) {
            throw new IllegalArgumentException("clients must be >= 1, got " + clients);
        }
        checkExists(spark, path);
        Dataset<Row> data = spark.read().parquet(path);
        checkSchema(data.schema(), path);
        Dataset<Row> inSplit = data.filter(functions.col("split").equalTo(split));

        // The ids and labels of the split (a few hundred KB) decide the layout on the driver.
        TreeMap<Long, Integer> labelOf = new TreeMap<>();
        for (Row r : inSplit.select(functions.col("id").cast(DataTypes.LongType), functions.col("label")).collectAsList()) {
            if (labelOf.put(r.getLong(0), r.getInt(1)) != null) {
                throw new DataException("data.path: id " + r.getLong(0) + " appears twice in split '" + split + "' of "
                        + path + " (ids must be unique; write the data again with prep-mnist)");
            }
        }
        TreeSet<Integer> present = new TreeSet<>(labelOf.values());
        int[] classes = filter.classes(present);
        List<Long> kept = new ArrayList<>();
        labelOf.forEach((id, label) -> {
            if (filter.keeps(label)) {
                kept.add(id);
            }
        });
        long n = kept.size();
        if (n == 0) {
            throw new DataException("data.classes=" + filter + " leaves no rows in split '" + split + "' of " + path
                    + " (classes present: " + (present.isEmpty() ? "none" : joined(present))
                    + "); choose classes among them");
        }
        if (n < clients) {
            throw new DataException("data.classes=" + filter + " leaves " + n + " rows in split '" + split + "' of " + path
                    + " but clients=" + clients + " (every client needs at least one row; lower clients)");
        }
        long[] ids = kept.stream().mapToLong(Long::longValue).toArray();
        int[] newLabel = new int[classes[classes.length - 1] + 1];
        for (int k = 0; k < classes.length; k++) {
            newLabel[classes[k]] = relabel ? k : classes[k];
        }
        String origin = path + ": id ";
        Object[] keep = Arrays.stream(classes).boxed().toArray();
        JavaRDD<Row> rows = inSplit.filter(functions.col("label").isin(keep))
                .select(functions.col("id").cast(DataTypes.LongType), functions.col("label"),
                        functions.col("features")).javaRDD();
        JavaPairRDD<ClientKey, LabeledRow> keyed = rows.mapToPair(r -> {
                    long id = r.getLong(0);
                    long i = Arrays.binarySearch(ids, id);
                    List<Double> f = r.getList(2);
                    double[] x = new double[f.size()];
                    for (int j = 0; j < x.length; j++) {
                        x[j] = f.get(j);
                    }
                    return new Tuple2<>(new ClientKey((int) (i * clients / n), i),
                            new LabeledRow(newLabel[r.getInt(1)], x, origin + id));
                });
        JavaRDD<DataBlock> blocks = ClientPartitioner.sortAndPack(keyed, clients,
                ClientPartitioner.evenFirstRows(n, clients), -1, blockBytes);
        return new MnistClients(blocks, n, relabel ? classes.length : classes[classes.length - 1] + 1);
    }

    private static void checkExists(SparkSession spark, String path) {
        try {
            Path p = new Path(path);
            if (!p.getFileSystem(spark.sparkContext().hadoopConfiguration()).exists(p)) {
                throw new DataException("data.path: " + path + " does not exist (write it with prep-mnist --out)");
            }
        } catch (IOException e) {
            throw new DataException("data.path: cannot read " + path + ": " + e.getMessage()
                    + " (check the URI and permissions)");
        }
    }

    /** Columns as prep-mnist writes them: id, label (integers), features (array of doubles), split (string). */
    private static void checkSchema(StructType schema, String path) {
        List<String> names = Arrays.asList(schema.fieldNames());
        boolean ok = names.containsAll(List.of("id", "label", "features", "split"));
        if (ok) {
            DataType id = schema.apply("id").dataType();
            ok = (id.equals(DataTypes.LongType) || id.equals(DataTypes.IntegerType))
                    && schema.apply("label").dataType().equals(DataTypes.IntegerType)
                    && schema.apply("features").dataType() instanceof ArrayType a
                    && a.elementType().equals(DataTypes.DoubleType)
                    && schema.apply("split").dataType().equals(DataTypes.StringType);
        }
        if (!ok) {
            StringBuilder has = new StringBuilder();
            for (StructField f : schema.fields()) {
                has.append(has.length() == 0 ? "" : ", ").append(f.name()).append(':').append(f.dataType().simpleString());
            }
            throw new DataException("data.path: " + path + " has columns [" + has + "], needs id:bigint, label:int,"
                    + " features:array<double>, split:string (write it with prep-mnist)");
        }
    }

    private static String joined(TreeSet<Integer> classes) {
        StringBuilder s = new StringBuilder();
        for (int c : classes) {
            s.append(s.length() == 0 ? "" : ", ").append(c);
        }
        return s.toString();
    }
}
