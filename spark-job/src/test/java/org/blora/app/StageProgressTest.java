package org.blora.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;
import org.blora.spark.SparkTestBase;
import org.junit.jupiter.api.Test;

/**
 * Long stages report tasks done and an estimate; short ones (every training round) stay silent. The listener reads
 * a clock the test owns: the tasks (threads of this JVM in local mode) advance it by 700 ms each, so how busy the
 * machine is does not decide which stage counts as long.
 */
class StageProgressTest extends SparkTestBase {
    static final AtomicLong NOW = new AtomicLong();

    @Test
    void longStagesPrintProgressShortOnesDoNot() throws Exception {
        List<Integer> six = IntStream.range(0, 6).boxed().toList();
        sc.parallelize(six, 6).map(i -> i + 1).collect(); // warm-up: the first job of a JVM is slow
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        PrintStream printed = new PrintStream(buf, true, StandardCharsets.UTF_8);
        StageProgress listener = new StageProgress(() -> printed, 1, NOW::get);
        spark.sparkContext().addSparkListener(listener);
        try {
            sc.setJobDescription("quick");
            sc.parallelize(six, 6).map(i -> i + 1).collect();
            sc.setJobDescription("slow load");
            sc.parallelize(six, 6).map(i -> {
                NOW.addAndGet(700_000_000L);
                Thread.sleep(100); // real time too, so the listener sees the stage start before its tasks end
                return i;
            }).collect();
            spark.sparkContext().listenerBus().waitUntilEmpty(); // it delivers asynchronously
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
