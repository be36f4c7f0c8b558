package org.blora.spark;

import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;

/** A test class on the JVM's shared local SparkSession ({@link SharedSpark}: local[2], UI off). */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class SparkTestBase {
    protected SparkSession spark;
    protected JavaSparkContext sc;

    @BeforeAll
    void joinSpark() {
        spark = SharedSpark.get();
        sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    }
}
