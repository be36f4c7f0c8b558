package org.blora.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.IntStream;
import org.blora.spark.SparkTestBase;
import org.junit.jupiter.api.Test;

/** Long stages report tasks done and an estimate; short ones (every training round) stay silent. */
class StageProgressTest extends SparkTestBase {
    @Test
    void longStagesPrintProgressShortOnesDoNot() throws Exception {
        List<Integer> six = IntStream.range(0, 6).boxed().toList();
        sc.parallelize(six, 6).map(i -> i + 1).collect(); // warm-up: the first job of a JVM is slow
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        PrintStream printed = new PrintStream(buf, true, StandardCharsets.UTF_8);
        StageProgress listener = new StageProgress(() -> printed, 1);
        spark.sparkContext().addSparkListener(listener);
        try {
            sc.setJobDescription("quick");
            sc.parallelize(six, 6).map(i -> i + 1).collect();
            sc.setJobDescription("slow load");
            sc.parallelize(six, 6).map(i -> {
                Thread.sleep(700);
                return i;
            }).collect();
            Thread.sleep(300); // the listener bus delivers asynchronously
        } finally {
            spark.sparkContext().removeSparkListener(listener);
        }
        String out = buf.toString(StandardCharsets.UTF_8);
        assertTrue(out.contains("[spark] slow load: "), out);
        assertTrue(out.matches("(?s).*slow load: \\d/6 tasks, \\d+s elapsed, eta \\d+s.*"), out);
        assertTrue(out.contains("[spark] slow load: 6/6 tasks, done in"), out);
        assertEquals(-1, out.indexOf("quick"), out);
    }
}
