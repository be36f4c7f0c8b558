package org.blora.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.apache.spark.SparkConf;
import org.junit.jupiter.api.Test;

class ExecutorCoresTest {
    private static SparkConf conf(String... kv) {
        SparkConf c = new SparkConf(false);
        for (int i = 0; i < kv.length; i += 2) {
            c.set(kv[i], kv[i + 1]);
        }
        return c;
    }

    private static int total(SparkConf c) {
        return ExecutorCores.total(c, 8).orElseThrow().cores();
    }

    @Test
    void totalFromTheMasterAndTheExecutorSettings() {
        assertEquals(1, total(conf("spark.master", "local")));
        assertEquals(8, total(conf("spark.master", "local[*]")));
        assertEquals(3, total(conf("spark.master", "local[3]")));
        assertEquals(2, total(conf("spark.master", "local[2,3]")));
        assertEquals(6, total(conf("spark.master", "local-cluster[3,2,1024]")));
        assertEquals(2, total(conf("spark.master", "yarn")), "YARN's default: 2 executors of 1 core");
        assertEquals(12, total(conf("spark.master", "yarn", "spark.executor.instances", "4", "spark.executor.cores", "3")));
        assertEquals(20, total(conf("spark.master", "k8s://https://api:6443", "spark.dynamicAllocation.enabled", "true",
                "spark.dynamicAllocation.maxExecutors", "10", "spark.executor.cores", "2")));
        assertEquals(5, total(conf("spark.master", "spark://h:7077", "spark.cores.max", "5")));
        assertEquals(Optional.empty(), ExecutorCores.total(conf("spark.master", "spark://h:7077"), 8),
                "a standalone executor takes what its worker has: unknown from the settings");
        assertEquals(Optional.empty(), ExecutorCores.total(conf("spark.master", "yarn",
                "spark.dynamicAllocation.enabled", "true"), 8));
    }

    @Test
    void warnsOnlyWhenTheClientsCannotAllRunAtOnce() {
        SparkConf yarn = conf("spark.master", "yarn", "spark.executor.instances", "2", "spark.executor.cores", "2");
        assertEquals(Optional.empty(), ExecutorCores.clientsWarning(4, yarn, 8));
        String line = ExecutorCores.clientsWarning(9, yarn, 8).orElseThrow();
        assertTrue(line.contains("clients=9") && line.contains("4 tasks at once") && line.contains("3 waves")
                && line.contains("spark.executor.instances=2 x spark.executor.cores=2"), line);
        assertEquals(Optional.empty(), ExecutorCores.clientsWarning(64, conf("spark.master", "spark://h:7077"), 8));
    }
}
