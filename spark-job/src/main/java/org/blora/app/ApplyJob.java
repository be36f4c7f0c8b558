package org.blora.app;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.UUID;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.blora.config.ConfigException;
import org.blora.config.DataSection;
import org.blora.config.RunConfig;
import org.blora.config.RunSection;
import org.blora.io.AdapterFiles;
import org.blora.spark.Predictions;

/**
 * The apply job: a fine-tuned model (a run's adapter/ or its PEFT export) on the rows of a Parquet data set,
 * distributed over Spark, written as Parquet: every input column but the features, plus {@code prediction} (the
 * linear model's x . vec(W), or the MLP's class) and, for the MLP, {@code probability} (a vector). The output is
 * written into a temporary folder beside --out and renamed into place, so --out either holds a finished output
 * (with Spark's _SUCCESS marker) or nothing; a finished output is replaced only with --overwrite.
 */
public final class ApplyJob {
    /** What was applied, and where it went. */
    public record Result(AdapterFiles.Adapter model, long rows, String out) {
    }

    private ApplyJob() {
    }

    public static Result run(String adapterDir, String dataPath, String out, String featuresCol, RunConfig config,
                             boolean overwrite, String master, PrintStream log) {
        if (!"parquet".equals(config.text(DataSection.FORMAT))) {
            throw new ConfigException(DataSection.FORMAT.is(config.text(DataSection.FORMAT))
                    + ": apply reads Parquet (a vector or "
                    + "array<double> features column); write the data as Parquet first");
        }
        SparkSession spark = Sessions.start("blora-spark apply", master == null ? config.text(RunSection.MASTER) : master, 5);
        try {
            org.apache.hadoop.conf.Configuration conf = spark.sparkContext().hadoopConfiguration();
            Path target = new Path(out);
            FileSystem fs = fileSystem(target, conf);
            if (exists(fs, target) && !overwrite) {
                throw new ConfigException("--out: " + out + (exists(fs, new Path(target, "_SUCCESS"))
                        ? " already holds a finished output" : " exists") + "; choose another --out or pass --overwrite");
            }
            AdapterFiles.Adapter model;
            try {
                model = AdapterFiles.read(adapterDir, conf);
            } catch (IllegalArgumentException e) {
                throw new ConfigException("--adapter: " + e.getMessage());
            }
            Dataset<Row> data = read(spark, dataPath, conf);
            data = asVectors(data, featuresCol, dataPath);
            int width = model.model().features();
            Row first = data.select(featuresCol).head();
            int have = ((Vector) first.get(0)).size();
            if (have != width) {
                throw new ConfigException("--adapter: " + adapterDir + " holds a model of " + width + " input features ("
                        + model.layout() + ") but the rows of " + dataPath + " have " + have
                        + " (apply it to data of the width it was trained on)");
            }
            Dataset<Row> predicted = Predictions.of(data, featuresCol,
                    new Predictions.ClassifierColumns("prediction", "probability", ""), model.model(), model.theta());
            Path tmp = new Path(target.getParent(), "." + target.getName() + ".tmp-" + UUID.randomUUID());
            try {
                spark.sparkContext().setJobDescription("apply the " + model.format().text + " to " + dataPath);
                predicted.drop(featuresCol).write().parquet(tmp.toString());
                if (exists(fs, target) && !fs.delete(target, true)) {
                    throw new IOException("cannot remove the earlier output " + target);
                }
                if (!fs.rename(tmp, target)) {
                    throw new IOException("rename " + tmp + " -> " + target + " failed");
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write " + out + ": " + e.getMessage(), e);
            } finally {
                try {
                    fs.delete(tmp, true);
                } catch (IOException ignored) {
                    // best effort: the temporary name never shadows a real output
                }
            }
            long rows = spark.read().parquet(target.toString()).count();
            log.printf("[apply] %d rows of %s through the %s (%s %s) -> %s%n", rows, dataPath,
                    model.model().name(),
                    model.format().text, adapterDir, target);
            return new Result(model, rows, target.toString());
        } finally {
            Sessions.release(spark);
        }
    }

    private static Dataset<Row> read(SparkSession spark, String dataPath, org.apache.hadoop.conf.Configuration conf) {
        Path p = new Path(dataPath);
        if (!exists(fileSystem(p, conf), p)) {
            throw new ConfigException("--data: " + dataPath + " does not exist (give a Parquet file or folder)");
        }
        return spark.read().parquet(dataPath);
    }

    /** The features column as Spark ML vectors (prep-mnist and the readers write array<double>). */
    private static Dataset<Row> asVectors(Dataset<Row> data, String featuresCol, String dataPath) {
        StructField field = List.of(data.schema().fields()).stream().filter(f -> f.name().equals(featuresCol)).findFirst()
                .orElseThrow(() -> new ConfigException("--features-col: " + dataPath + " has no column " + featuresCol
                        + " (its columns: " + String.join(", ", data.columns()) + ")"));
        DataType t = field.dataType();
        if (t.equals(SQLDataTypes.VectorType())) {
            return data;
        }
        if (t instanceof ArrayType a && (a.elementType().equals(DataTypes.DoubleType)
                || a.elementType().equals(DataTypes.FloatType))) {
            return data.withColumn(featuresCol, org.apache.spark.ml.functions.array_to_vector(data.col(featuresCol)));
        }
        throw new ConfigException("--features-col: column " + featuresCol + " of " + dataPath + " is " + t.simpleString()
                + ", expected a vector or array<double>");
    }

    private static FileSystem fileSystem(Path p, org.apache.hadoop.conf.Configuration conf) {
        try {
            return p.getFileSystem(conf);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open " + p + ": " + e.getMessage(), e);
        }
    }

    private static boolean exists(FileSystem fs, Path p) {
        try {
            return fs.exists(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
