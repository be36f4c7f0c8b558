package org.blora.core.oracle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.blora.core.chain.BernoulliLoRA;
import org.blora.core.chain.LowRankChain;
import org.blora.core.chain.Method;
import org.blora.core.compress.Identity;
import org.blora.core.estimator.FederatedEstimator;
import org.blora.core.estimator.Gd;
import org.blora.core.estimator.GradientEstimator;
import org.blora.core.federated.Qgd;
import org.blora.core.linalg.Dense;
import org.blora.core.linalg.Shape;
import org.blora.core.objective.DataBlock;
import org.blora.core.objective.LeastSquares;
import org.blora.core.objective.NonConvexRegularizer;
import org.blora.core.optim.StepRule;
import org.blora.core.sketch.GaussianSketch;
import org.blora.core.train.RoundListener;
import org.blora.core.train.RoundRecord;
import org.blora.core.train.SmoothnessEstimate;
import org.blora.core.train.Trainer;
import org.junit.jupiter.api.Test;

/**
 * fed.weighting on clients of 3, 7 and 22 rows with different label offsets: each weighting's loss, gradient,
 * minibatch expectation and smoothness equal a direct computation of its definition, row by row, and the two differ.
 */
class ClientWeightingTest {
    private static final int D = 9;
    private static final Shape SHAPE = new Shape(3, 3);
    private static final int[] SIZES = {3, 7, 22};
    private static final double TOL = 1e-12;

    static List<List<DataBlock>> clients() {
        SplittableRandom rng = new SplittableRandom(17);
        List<List<DataBlock>> out = new ArrayList<>();
        long first = 0;
        for (int c = 0; c < SIZES.length; c++) {
            int n = SIZES[c];
            double[] x = new double[n * D];
            double[] y = new double[n];
            for (int i = 0; i < n; i++) {
                double dot = 0;
                for (int j = 0; j < D; j++) {
                    x[i * D + j] = rng.nextGaussian() * (1 + c);
                    dot += x[i * D + j] * 0.1 * (j + 1);
                }
                y[i] = dot + 3.0 * c + 0.1 * rng.nextGaussian();
            }
            out.add(List.of(new DataBlock(c, first, n, D, x, y)));
            first += n;
        }
        return out;
    }

    /** f_i and ∇f_i of every row, from one-row blocks: the definition's building blocks. */
    record Row(int client, double f, double[] g) {
    }

    static List<Row> rows(List<List<DataBlock>> data, double[] w) {
        List<Row> out = new ArrayList<>();
        for (List<DataBlock> c : data) {
            DataBlock b = c.get(0);
            for (int i = 0; i < b.rows; i++) {
                DataBlock one = new DataBlock(b.client, b.firstRow + i, 1, D,
                        java.util.Arrays.copyOfRange(b.x, i * D, (i + 1) * D), new double[] {b.y[i]});
                double[] g = new double[D];
                double f = new LeastSquares().accumulate(one, w, g);
                out.add(new Row(b.client, f, g));
            }
        }
        return out;
    }

    /** (f, ∇f) by the definition: rows: (1/N) Σ_i; uniform: (1/M) Σ_l (1/N_l) Σ_{i at l}. */
    static double[] definition(ClientWeighting weighting, List<Row> rows) {
        double[] out = new double[1 + D];
        int n = rows.size();
        for (Row r : rows) {
            double weight = weighting == ClientWeighting.ROWS ? 1.0 / n : 1.0 / (SIZES.length * SIZES[r.client()]);
            out[0] += weight * r.f();
            for (int j = 0; j < D; j++) {
                out[1 + j] += weight * r.g()[j];
            }
        }
        return out;
    }

    static double[] w() {
        double[] w = new double[D];
        for (int j = 0; j < D; j++) {
            w[j] = 0.05 * j - 0.2;
        }
        return w;
    }

    /** The first metrics row of a GD run (loss and ||∇f||², λ = 0) and its first step. */
    static List<RoundRecord> run(ClientWeighting weighting, GradientEstimator est, double[] w0, int rounds) {
        LocalOracle local = new LocalOracle(clients(), new LeastSquares());
        GradientOracle oracle = weighting.apply(local, local.clientRows());
        Trainer tr = new Trainer(new BernoulliLoRA(Method.BERNOULLI, SHAPE, 1, 0.5, new GaussianSketch(), 9), est,
                StepRule.constant(0.01), new NonConvexRegularizer(0.0), 1, rounds, Double.POSITIVE_INFINITY, 0, false);
        List<RoundRecord> out = new ArrayList<>();
        tr.run(oracle, new LowRankChain(SHAPE, w0.clone()), new RoundListener() {
            @Override
            public void onRound(RoundRecord record, LowRankChain ch) {
                out.add(record);
            }
        });
        return out;
    }

    @Test
    void eachWeightingsLossAndGradientEqualItsDefinition() {
        double[] w = w();
        List<Row> rows = rows(clients(), w);
        for (ClientWeighting weighting : ClientWeighting.values()) {
            double[] want = definition(weighting, rows);
            LocalOracle local = new LocalOracle(clients(), new LeastSquares());
            GradientOracle oracle = weighting.apply(local, local.clientRows());
            OracleResult sum = OracleResult.sumInOrder(oracle.evaluate(OracleRequest.fullOnly(0), new Iterate(0, w, null, null)));
            assertEquals(want[0], sum.lossSum() / oracle.rows(), TOL * Math.abs(want[0]), weighting + " loss");
            double[] g = sum.gradSum().clone();
            Dense.scale(1.0 / oracle.rows(), g);
            for (int j = 0; j < D; j++) {
                assertEquals(want[1 + j], g[j], TOL * Math.sqrt(Dense.normSq(g)), weighting + " gradient " + j);
            }
            // Through the trainer: round 0's metrics row.
            RoundRecord first = run(weighting, new Gd(), w, 1).get(0);
            assertEquals(want[0], first.loss(), TOL * Math.abs(want[0]), weighting + " trainer loss");
            double gn2 = 0;
            for (int j = 0; j < D; j++) {
                gn2 += want[1 + j] * want[1 + j];
            }
            assertEquals(gn2, first.gradNormSq(), 1e-10 * gn2, weighting + " trainer ||grad f||^2");
        }
        double rowsLoss = definition(ClientWeighting.ROWS, rows)[0];
        double uniformLoss = definition(ClientWeighting.UNIFORM, rows)[0];
        assertTrue(Math.abs(rowsLoss - uniformLoss) > 0.1 * Math.abs(rowsLoss),
                "the clients are unequal, so the objectives differ: " + rowsLoss + " vs " + uniformLoss);
    }

    @Test
    void rowsLeavesTheOracleUntouched() {
        LocalOracle local = new LocalOracle(clients(), new LeastSquares());
        assertSame(local, ClientWeighting.ROWS.apply(local, local.clientRows()));
        double[] f = ClientWeighting.UNIFORM.factors(new long[] {3, 7, 22});
        assertEquals(32.0 / 9, f[0], 0.0);
        assertEquals(32.0 / 66, f[2], 0.0);
    }

    /** Averaging the one-row minibatch gradient over all N rows (its expectation) gives the weighting's gradient. */
    @Test
    void aUniformMinibatchIsUnbiasedForEitherObjective() {
        double[] w = w();
        List<Row> rows = rows(clients(), w);
        for (ClientWeighting weighting : ClientWeighting.values()) {
            LocalOracle local = new LocalOracle(clients(), new LeastSquares());
            GradientOracle oracle = weighting.apply(local, local.clientRows());
            double[] mean = new double[D];
            for (long i = 0; i < oracle.rows(); i++) {
                OracleRequest req = new OracleRequest(0, false, false, new long[] {i}, false, null, null);
                OracleResult sum = OracleResult.sumInOrder(oracle.evaluate(req, new Iterate(0, w, null, null)));
                Dense.axpy(1.0 / oracle.rows(), sum.batchGradSum(), mean);
            }
            double[] want = definition(weighting, rows);
            for (int j = 0; j < D; j++) {
                assertEquals(want[1 + j], mean[j], TOL * Math.sqrt(Dense.normSq(mean)), weighting + " E[minibatch] " + j);
            }
        }
    }

    /** Lanczos on the weighted oracle equals the top eigenvalue of Σ_l ω_l X_l^T X_l / N by power iteration. */
    @Test
    void smoothnessIsTheWeightedGramNorm() {
        List<List<DataBlock>> data = clients();
        for (ClientWeighting weighting : ClientWeighting.values()) {
            LocalOracle local = new LocalOracle(data, new LeastSquares());
            double[] omega = weighting.factors(local.clientRows());
            double[][] h = new double[D][D];
            for (List<DataBlock> c : data) {
                DataBlock b = c.get(0);
                double s = omega[b.client] / local.rows();
                for (int i = 0; i < b.rows; i++) {
                    for (int j = 0; j < D; j++) {
                        for (int k = 0; k < D; k++) {
                            h[j][k] += s * b.x[i * D + j] * b.x[i * D + k];
                        }
                    }
                }
            }
            double[] v = new double[D];
            java.util.Arrays.fill(v, 1.0);
            double lambda = 0;
            for (int it = 0; it < 5000; it++) {
                double[] u = new double[D];
                for (int j = 0; j < D; j++) {
                    for (int k = 0; k < D; k++) {
                        u[j] += h[j][k] * v[k];
                    }
                }
                lambda = Dense.dot(v, u) / Dense.dot(v, v);
                Dense.scale(1.0 / Math.sqrt(Dense.normSq(u)), u);
                v = u;
            }
            double got = SmoothnessEstimate.lanczos(weighting.apply(local, local.clientRows()), D, 3, 1e-13, 100).value();
            assertEquals(lambda, got, 1e-9 * lambda, weighting.toString());
        }
    }

    /** The server scales each message by ω_l: QGD with the identity compressor follows GD under uniform weighting. */
    @Test
    void federatedAggregationCarriesTheWeighting() {
        double[] w = w();
        List<RoundRecord> gd = run(ClientWeighting.UNIFORM, new Gd(), w, 5);
        List<RoundRecord> qgd = run(ClientWeighting.UNIFORM,
                new FederatedEstimator(new Qgd(new Identity(), 1.0), 5, SIZES.length, D), w, 5);
        assertEquals(gd.size(), qgd.size());
        for (int i = 0; i < gd.size(); i++) {
            assertEquals(gd.get(i).loss(), qgd.get(i).loss(), 1e-12 * Math.abs(gd.get(i).loss()), "round " + i);
        }
        List<RoundRecord> rows = run(ClientWeighting.ROWS,
                new FederatedEstimator(new Qgd(new Identity(), 1.0), 5, SIZES.length, D), w, 5);
        assertTrue(Math.abs(rows.get(4).loss() - qgd.get(4).loss()) > 1e-3 * Math.abs(qgd.get(4).loss()));
    }
}
