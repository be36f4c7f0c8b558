package org.blora.spark.persistent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.blora.core.objective.DataBlock;
import org.blora.core.objective.LeastSquares;
import org.blora.spark.SparkTestBase;
import org.junit.jupiter.api.Test;

/** A persistent stage that needs more task slots than the cluster has is refused before it starts, in one line. */
class StageSlotsTest extends SparkTestBase {
    @Test
    void moreTasksThanSlotsIsRefusedInOneLine() {
        List<DataBlock> blocks = new ArrayList<>();
        for (int c = 0; c < 3; c++) {
            blocks.add(new DataBlock(c, c * 2L, 2, 2, new double[4], new double[2]));
        }
        JavaRDD<DataBlock> rdd = sc.parallelize(blocks, 3);
        PersistentRounds.Refused e = assertThrows(PersistentRounds.Refused.class, () -> new PersistentRounds(sc,
                List.of(rdd), new LeastSquares(), 2, null, 3, 600, System.out));
        assertEquals("run.rounds=persistent needs 3 task slots at once for its barrier stage and the cluster offers 2: "
                + "give the job more executor cores (spark.executor.instances, spark.cores.max, local[N]), or use "
                + "run.rounds=stage", e.getMessage());
    }
}
