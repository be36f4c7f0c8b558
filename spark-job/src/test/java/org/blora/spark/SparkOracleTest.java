package org.blora.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.apache.spark.api.java.JavaRDD;
import org.blora.core.estimator.Minibatch;
import org.blora.core.linalg.Shape;
import org.blora.core.objective.DataBlock;
import org.blora.core.objective.LeastSquares;
import org.blora.core.sketch.GaussianSketch;
import org.blora.core.sketch.Link;
import org.blora.core.sketch.Projection;
import org.blora.core.train.Iterate;
import org.blora.core.train.LocalOracle;
import org.blora.core.train.OracleRequest;
import org.blora.core.train.OracleResult;
import org.junit.jupiter.api.Test;

/** The distributed round equals the local fold over the same clients, to the last bit. */
class SparkOracleTest extends SparkTestBase {
    static List<List<DataBlock>> clients(int m, int rowsPerClient, int d, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        List<List<DataBlock>> out = new ArrayList<>();
        long first = 0;
        for (int c = 0; c < m; c++) {
            List<DataBlock> blocks = new ArrayList<>();
            // Two blocks per client, of different sizes, to exercise multi-block partitions.
            for (int k = 0; k < 2; k++) {
                int n = rowsPerClient / 2 + k;
                blocks.add(new DataBlock(c, first, n, d, rng.doubles((long) n * d, -1, 1).toArray(),
                        rng.doubles(n, -3, 3).toArray()));
                first += n;
            }
            out.add(blocks);
        }
        return out;
    }

    JavaRDD<DataBlock> rdd(List<List<DataBlock>> clients) {
        List<DataBlock> flat = new ArrayList<>();
        clients.forEach(flat::addAll);
        // parallelize slices a list evenly: 2 blocks per client -> partition c holds client c's blocks.
        return sc.parallelize(flat, clients.size()).cache();
    }

    @Test
    void distributedEqualsLocalFoldBitForBit() {
        int d = 36;
        Shape shape = new Shape(6, 6);
        List<List<DataBlock>> data = clients(3, 40, d, 4);
        LocalOracle local = new LocalOracle(data, new LeastSquares());
        try (SparkOracle dist = new SparkOracle(sc, rdd(data), new LeastSquares(), d, local.rows(), 3)) {
            double[] w = new double[d];
            double[] wPrev = null;
            Link last = null;
            SplittableRandom rng = new SplittableRandom(2);
            for (int t = 0; t < 8; t++) {
                Iterate at = new Iterate(t, w, wPrev, last);
                long[] batch = t > 0 ? Minibatch.draw(1, t, local.rows(), 10) : null;
                OracleRequest req = new OracleRequest(t, true, batch, batch != null);
                OracleResult a = local.evaluate(req, at);
                if (t == 5) {
                    ExecutorIterates.clear(); // as if the task landed on a fresh executor: rebuild from snapshot + links
                }
                OracleResult b = dist.evaluate(req, at);
                assertEquals(a.lossSum, b.lossSum, 0.0);
                assertArrayEquals(a.gradSum, b.gradSum, 0.0);
                if (batch != null) {
                    assertArrayEquals(a.batchGradSum, b.batchGradSum, 0.0);
                    assertArrayEquals(a.batchPrevGradSum, b.batchPrevGradSum, 0.0);
                }
                // Move to the next iterate with a real chain link, as the trainer would.
                last = Projection.leftStep(a.gradSum, shape, new GaussianSketch().sampleLeft(6, 2, rng), 2, 1e-3);
                wPrev = w.clone();
                w = w.clone();
                last.addTo(w);
            }
            assertArrayEquals(local.gramTimes(w), dist.gramTimes(w), 0.0);
            // Downlink: W at round 0, at round 3 (snapshot every 3 rounds) and after the lost cache at round 5;
            // rounds 1, 2, 4, 5 (first attempt), 6, 7 ship only their link, inside the tasks.
            assertEquals(3, dist.snapshots());
            assertEquals(d + 2L * d + 2L * d, dist.broadcastNumbers());
            assertEquals(6L * 2 * (6 + 6), dist.linkNumbers());
        }
    }
}
