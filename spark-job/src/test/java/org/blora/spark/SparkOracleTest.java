package org.blora.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.apache.spark.api.java.JavaRDD;
import org.blora.core.chain.BernoulliLoRA;
import org.blora.core.chain.ChainMethod;
import org.blora.core.chain.ChainSpec;
import org.blora.core.chain.CoinMode;
import org.blora.core.chain.LowRankChain;
import org.blora.core.chain.Method;
import org.blora.core.chain.Step;
import org.blora.core.compress.Compressors;
import org.blora.core.estimator.FederatedEstimator;
import org.blora.core.estimator.Minibatch;
import org.blora.core.estimator.Sgd;
import org.blora.core.federated.Protocol;
import org.blora.core.federated.ProtocolKind;
import org.blora.core.linalg.Shape;
import org.blora.core.model.Mlp;
import org.blora.core.model.ModelLayout;
import org.blora.core.objective.DataBlock;
import org.blora.core.objective.LeastSquares;
import org.blora.core.objective.NonConvexRegularizer;
import org.blora.core.optim.AdamW;
import org.blora.core.optim.StepRule;
import org.blora.core.oracle.Evaluator;
import org.blora.core.oracle.GradientOracle;
import org.blora.core.oracle.Iterate;
import org.blora.core.oracle.LocalOracle;
import org.blora.core.oracle.OracleRequest;
import org.blora.core.oracle.OracleResult;
import org.blora.core.sketch.GaussianSketch;
import org.blora.core.sketch.Link;
import org.blora.core.sketch.Side;
import org.blora.core.sketch.Sketch;
import org.blora.core.train.Trainer;
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
            Step last = null;
            ModelLayout layout = ModelLayout.single("W", 6, 6);
            SplittableRandom rng = new SplittableRandom(2);
            for (int t = 0; t < 8; t++) {
                Iterate at = new Iterate(t, w, wPrev, last);
                long[] batch = t > 0 ? Minibatch.draw(1, t, local.rows(), 10) : null;
                OracleRequest req = new OracleRequest(t, true, true, batch, batch != null, null, null);
                OracleResult a = OracleResult.sumInOrder(local.evaluate(req, at));
                if (t == 5) {
                    ExecutorIterates.clear(); // as if the task landed on a fresh executor: rebuild from snapshot + links
                }
                OracleResult b = OracleResult.sumInOrder(dist.evaluate(req, at));
                assertEquals(a.lossSum(), b.lossSum(), 0.0);
                assertArrayEquals(a.gradSum(), b.gradSum(), 0.0);
                if (batch != null) {
                    assertArrayEquals(a.batchGradSum(), b.batchGradSum(), 0.0);
                    assertArrayEquals(a.batchPrevGradSum(), b.batchPrevGradSum(), 0.0);
                }
                // Move to the next iterate with a real chain link, as the trainer would.
                last = Step.of(t, new Link[] {Sketch.left(shape, new GaussianSketch().sampleLeft(6, 2, rng), 2)
                        .step(a.gradSum(), 1e-3)}, layout);
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

    /**
     * EF21 keeps per-client state in an RDD zipped with the data (checkpointed every round) and MARINA
     * keeps each client's last gradient: the trained iterates equal the local oracle's bit for bit.
     */
    @Test
    void federatedProtocolsWithClientStateEqualTheLocalFold() {
        int d = 36;
        Shape shape = new Shape(6, 6);
        List<List<DataBlock>> data = clients(4, 30, d, 9);
        for (String protocol : new String[] {"ef21", "marina"}) {
            Protocol pl = ProtocolKind.valueOf(protocol.toUpperCase(java.util.Locale.ROOT))
                    .build(Compressors.parse(protocol.equals("ef21") ? "topk" : "randk", 0.2, 0),
                    0.3, 0.75);
            Protocol pd = ProtocolKind.valueOf(protocol.toUpperCase(java.util.Locale.ROOT))
                    .build(Compressors.parse(protocol.equals("ef21") ? "topk" : "randk", 0.2, 0),
                    0.3, 0.75);
            LocalOracle local = new LocalOracle(data, new LeastSquares());
            LowRankChain cl = train(local, pl, shape, d);
            try (SparkOracle dist = new SparkOracle(sc, rdd(data), new LeastSquares(), d, local.rows(), 4)) {
                LowRankChain cd = train(dist, pd, shape, d);
                assertArrayEquals(cl.w(), cd.w(), protocol);
                assertEquals(25, cd.length());
            }
        }
    }

    /**
     * The MLP of the MNIST experiment in miniature, fine-tuned with AdamW on rank-1 chains of every layer, links of
     * three steps, dropout in the minibatches: the Spark run equals the local fold bit for bit, every round.
     */
    @Test
    void mlpFineTuningEqualsTheLocalFoldBitForBit() {
        int[] layers = {6, 5, 4, 3};
        ModelLayout net = Mlp.layout(layers);
        Mlp mlp = new Mlp(layers, 0.1, 3);
        List<List<DataBlock>> data = labelled(clients(3, 40, 6, 5), 3);
        LocalOracle local = new LocalOracle(data, mlp);
        LowRankChain cl = trainMlp(local, net);
        try (SparkOracle dist = new SparkOracle(sc, rdd(data), mlp, net.size(), local.rows(), 0)) {
            LowRankChain cd = trainMlp(dist, net);
            assertArrayEquals(cl.w(), cd.w());
            assertEquals(cl.length(), cd.length());
        }
    }

    /** The same rows with class labels 0..k-1 (a function of the features, so there is something to learn). */
    private static List<List<DataBlock>> labelled(List<List<DataBlock>> clients, int k) {
        List<List<DataBlock>> out = new ArrayList<>();
        for (List<DataBlock> c : clients) {
            List<DataBlock> blocks = new ArrayList<>();
            for (DataBlock b : c) {
                double[] y = new double[b.rows];
                for (int i = 0; i < b.rows; i++) {
                    y[i] = Math.floorMod((int) Math.floor(3 * (b.x[i * b.cols] + b.x[i * b.cols + 1])), k);
                }
                blocks.add(new DataBlock(b.client, b.firstRow, b.rows, b.cols, b.x, y));
            }
            out.add(blocks);
        }
        return out;
    }

    private static LowRankChain trainMlp(GradientOracle oracle, ModelLayout net) {
        ChainMethod m = ChainMethod.of(new ChainSpec(Method.BERNOULLI, 1, 0.5, 1, List.of(), CoinMode.PER_MODULE, 3,
                null, Side.A, AdamW.withLr(0.01), new GaussianSketch(), 7), net);
        Trainer t = new Trainer(m, new Sgd(7, oracle.rows(), 16), StepRule.constant(0.01), new NonConvexRegularizer(0),
                5, 20, Double.POSITIVE_INFINITY, 0)
                .withHeldOut(new Trainer.HeldOut(true, Evaluator.of(oracle, true), null, 0, 0));
        LowRankChain chain = new LowRankChain(net, Mlp.init(net, new SplittableRandom(1)));
        t.run(oracle, chain, (record, c) -> { });
        return chain;
    }

    private static LowRankChain train(GradientOracle oracle, Protocol p, Shape shape, int d) {
        BernoulliLoRA bl = new BernoulliLoRA(Method.BERNOULLI, shape, 2, 0.5, new GaussianSketch(), 3);
        Trainer t = new Trainer(bl, new FederatedEstimator(p, 3, oracle.clients(), d), StepRule.constant(0.05),
                new NonConvexRegularizer(0.1), 1, 25, Double.POSITIVE_INFINITY, 0);
        LowRankChain chain = new LowRankChain(shape, new double[d]);
        t.run(oracle, chain, (record, c) -> { });
        return chain;
    }
    /**
     * Three runs on the same cached blocks, each on its own thread, in step: their Gram passes and rounds (GD,
     * metric-only and PAGE requests) share stages, and every run's every round equals the local fold bit for bit,
     * also after a lost executor cache in the middle (each run rebuilds in its own stage).
     */
    @Test
    void sharedStagesEqualTheLocalFoldForEveryRun() throws Exception {
        int d = 36;
        Shape shape = new Shape(6, 6);
        ModelLayout layout = ModelLayout.single("W", 6, 6);
        List<List<DataBlock>> data = clients(3, 40, d, 5);
        LocalOracle local = new LocalOracle(data, new LeastSquares());
        JavaRDD<DataBlock> blocks = rdd(data);
        SharedPasses passes = new SharedPasses();
        int runs = 3;
        java.util.concurrent.CyclicBarrier inStep = new java.util.concurrent.CyclicBarrier(runs,
                () -> ExecutorIterates.clear());
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(runs);
        try {
            List<java.util.concurrent.Future<Integer>> done = new ArrayList<>();
            for (int run = 0; run < runs; run++) {
                int r = run;
                done.add(pool.submit(() -> {
                    int rounds = 0;
                    try (SparkOracle dist = new SparkOracle(sc, blocks, new LeastSquares(), d, local.rows(), 0, passes)) {
                        double[] w = new SplittableRandom(r).doubles(d, -1, 1).toArray();
                        List<double[]> gram = dist.gramTimesPerClient(w);
                        List<double[]> localGram = local.gramTimesPerClient(w);
                        for (int c = 0; c < localGram.size(); c++) {
                            assertArrayEquals(localGram.get(c), gram.get(c), 0.0);
                        }
                        double[] wPrev = null;
                        Step last = null;
                        SplittableRandom rng = new SplittableRandom(10 + r);
                        for (int t = 0; t < 8; t++) {
                            Iterate at = new Iterate(t, w, wPrev, last);
                            long[] batch = Minibatch.draw(r, t, local.rows(), 10);
                            OracleRequest req = switch ((t + r) % 3) {
                                case 0 -> new OracleRequest(t, true, true, null, false, null, null);
                                case 1 -> OracleRequest.fullOnly(t);
                                default -> new OracleRequest(t, t % 2 == 0, false, batch, wPrev != null, null, null);
                            };
                            OracleResult a = OracleResult.sumInOrder(local.evaluate(req, at));
                            if (t == 5) {
                                inStep.await(); // the last run to arrive clears every executor copy of W
                            }
                            OracleResult b = OracleResult.sumInOrder(dist.evaluate(req, at));
                            assertEquals(a.lossSum(), b.lossSum(), 0.0);
                            assertArrayEquals(a.gradSum(), b.gradSum(), 0.0);
                            assertArrayEquals(a.batchGradSum(), b.batchGradSum(), 0.0);
                            assertArrayEquals(a.batchPrevGradSum(), b.batchPrevGradSum(), 0.0);
                            assertEquals(a.uplinkBits(), b.uplinkBits());
                            last = Step.of(t, new Link[] {Sketch.left(shape, new GaussianSketch().sampleLeft(6, 2, rng), 2)
                                    .step(a.gradSum() != null ? a.gradSum() : a.batchGradSum(), 1e-3)}, layout);
                            wPrev = w.clone();
                            w = w.clone();
                            last.addTo(w);
                            rounds++;
                        }
                    }
                    return rounds;
                }));
            }
            for (java.util.concurrent.Future<Integer> f : done) {
                assertEquals(8, f.get());
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals(true, passes.sharedStages() > 0, "no stage was shared");
    }
}
