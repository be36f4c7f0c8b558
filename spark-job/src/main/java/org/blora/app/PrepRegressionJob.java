package org.blora.app;

import org.apache.spark.sql.SparkSession;
import org.blora.config.ConfigException;
import org.blora.config.PostProcess;
import org.blora.config.TrainSpec;
import org.blora.data.regression.PrepRegression;

/** The prep-regression job: generates the spec's synthetic data set on the executors and writes it as Parquet. */
public final class PrepRegressionJob {
    private PrepRegressionJob() {
    }

    public static void run(TrainSpec spec, PostProcess post, String out, boolean overwrite) {
        SparkSession spark = Sessions.start("blora-spark prep-regression", spec.run().master(), spec.run().progressSeconds());
        try {
            PrepRegression.write(spark, spec.data().synthetic(), spec.fed().clients(), post.key(), out, overwrite);
            System.out.println("[prep-regression] wrote " + out);
        } catch (IllegalArgumentException | IllegalStateException e) {
            throw new ConfigException(e.getMessage());
        } finally {
            Sessions.release(spark);
        }
    }
}
