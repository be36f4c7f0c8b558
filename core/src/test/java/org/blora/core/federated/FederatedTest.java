package org.blora.core.federated;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.blora.core.chain.BernoulliLoRA;
import org.blora.core.chain.LowRankChain;
import org.blora.core.chain.Method;
import org.blora.core.compress.Compressors;
import org.blora.core.compress.Identity;
import org.blora.core.estimator.FederatedEstimator;
import org.blora.core.estimator.Gd;
import org.blora.core.estimator.GradientEstimator;
import org.blora.core.linalg.Shape;
import org.blora.core.objective.DataBlock;
import org.blora.core.objective.LeastSquares;
import org.blora.core.objective.NonConvexRegularizer;
import org.blora.core.optim.StepRule;
import org.blora.core.oracle.LocalOracle;
import org.blora.core.sketch.GaussianSketch;
import org.blora.core.train.RoundListener;
import org.blora.core.train.RoundRecord;
import org.blora.core.train.SmoothnessEstimate;
import org.blora.core.train.TestProblems;
import org.blora.core.train.TrainResult;
import org.blora.core.train.Trainer;
import org.junit.jupiter.api.Test;

class FederatedTest {
    private static final Shape SHAPE = new Shape(16, 16);
    private static final int D = 256;

    record Run(TrainResult result, LowRankChain chain, List<RoundRecord> rows) {
    }

    static Run train(List<List<DataBlock>> data, GradientEstimator est, int rounds, double tol, boolean sketchFirst,
                     double c) {
        LocalOracle oracle = new LocalOracle(data, new LeastSquares());
        double l = SmoothnessEstimate.gramNorm(oracle, D, 1, 1e-8, 10_000).value();
        double lambda = 0.1 * l;
        BernoulliLoRA bl = new BernoulliLoRA(Method.BERNOULLI, SHAPE, 4, 0.5, new GaussianSketch(), 9);
        Trainer tr = new Trainer(bl, est, StepRule.constant(c / (l + 2 * lambda)), new NonConvexRegularizer(lambda), 1,
                rounds, Double.POSITIVE_INFINITY, tol, sketchFirst);
        LowRankChain chain = new LowRankChain(SHAPE, new double[D]);
        List<RoundRecord> rows = new ArrayList<>();
        TrainResult res = tr.run(oracle, chain, new RoundListener() {
            @Override
            public void onRound(RoundRecord record, LowRankChain ch) {
                rows.add(record);
            }
        });
        return new Run(res, chain, rows);
    }

    static List<List<DataBlock>> data() {
        return TestProblems.heterogeneous(1600, D, 8, 21, 1.0, 2.0);
    }

    static FederatedEstimator fed(Protocol p) {
        return new FederatedEstimator(p, 5, 8, D);
    }

    @Test
    void qgdWithIdentityIsGdBitForBit() {
        Run gd = train(data(), new Gd(), 60, 0, false, 1.0);
        Run qgd = train(data(), fed(new Qgd(new Identity(), 1.0)), 60, 0, false, 1.0);
        assertArrayEquals(gd.chain().w(), qgd.chain().w());
        for (int i = 0; i < gd.rows().size(); i++) {
            assertEquals(gd.rows().get(i).gradNormSq(), qgd.rows().get(i).gradNormSq(), 0.0);
        }
    }

    /** MARINA and EF21 with the identity send differences; the sums agree with GD's up to rounding (1e-12 relative). */
    @Test
    void marinaAndEf21WithIdentityFollowGd() {
        Run gd = train(data(), new Gd(), 60, 0, false, 1.0);
        for (Protocol p : new Protocol[] {new Marina(new Identity(), 0.2, 1.0), new Ef21(new Identity(), 1.0)}) {
            Run r = train(data(), fed(p), 60, 0, false, 1.0);
            double scale = Math.sqrt(org.blora.core.linalg.Dense.normSq(gd.chain().w()));
            for (int j = 0; j < D; j++) {
                assertEquals(gd.chain().w()[j], r.chain().w()[j], 1e-12 * scale, p.name() + " entry " + j);
            }
        }
    }

    @Test
    void ef21WithTopOnePercentReachesTolerance() {
        Run r = train(data(), fed(new Ef21(
                (org.blora.core.compress.ContractiveCompressor) Compressors.parse("topk", 0.01, 0), 1.0)),
                60_000, 1e-10, false, 1.0);
        assertTrue(r.result().converged(), "EF21+Top-1%: " + r.result().stopReason() + " at " + r.result().gradNormSq());
        // Top-K (k = 3 of 256) sends 3 values and 3 indices per client per round: 8 clients x 3 x (64 + 8) bits.
        assertEquals(8L * 3 * (64 + 8), r.rows().get(5).uplinkBits());
    }

    @Test
    void marinaWithRandKReachesTolerance() {
        Run r = train(data(), fed(new Marina(
                (org.blora.core.compress.UnbiasedCompressor) Compressors.parse("randk", 0.1, 0), 0.1, 1.0)),
                60_000, 1e-10, false, 0.5);
        assertTrue(r.result().converged(), "MARINA+Rand-10%: " + r.result().stopReason() + " at " + r.result().gradNormSq());
    }

    /**
     * QGD with natural compression converges to a neighbourhood whose size is set by the heterogeneity (the
     * compression noise does not vanish at the optimum): it makes progress by orders of magnitude, then stalls.
     */
    @Test
    void qgdWithNaturalCompressionReachesItsNoiseFloor() {
        Run r = train(data(), fed(new Qgd((org.blora.core.compress.UnbiasedCompressor) Compressors.parse("natural", 0, 0), 1.0)),
                3000, 0, false, 0.5);
        double first = r.rows().get(0).gradNormSq();
        double lastValue = r.rows().get(r.rows().size() - 1).gradNormSq();
        double mid = r.rows().get(1500).gradNormSq();
        assertTrue(lastValue < 1e-3 * first, "progress: " + first + " -> " + lastValue);
        assertTrue(lastValue > 1e-20, "a noise floor is expected, got " + lastValue);
        assertTrue(lastValue > 1e-3 * mid, "stalled at the floor: " + mid + " -> " + lastValue);
    }

    @Test
    void partialParticipationStillConverges() {
        Run r = train(data(), fed(new Ef21(new Identity(), 0.5)), 60_000, 1e-10, false, 1.0);
        assertTrue(r.result().converged(), "EF21 half participation: " + r.result().gradNormSq());
        assertEquals(4L * 64 * D, r.rows().get(3).uplinkBits(), "4 of 8 clients send a dense vector");
    }

    @Test
    void sketchFirstFollowsTheDefaultWithFewerBits() {
        Run a = train(data(), new Gd(), 200, 0, false, 1.0);
        Run b = train(data(), new Gd(), 200, 0, true, 1.0);
        for (int i = 0; i < a.rows().size(); i++) {
            double x = a.rows().get(i).gradNormSq();
            assertEquals(x, b.rows().get(i).gradNormSq(), 1e-9 * x + 1e-300, "round " + i);
            assertEquals(a.rows().get(i).side(), b.rows().get(i).side());
        }
        // Default: 8 clients x 256 values; sketch-first: 8 x rank 4 x 16 values.
        assertEquals(8L * 64 * 256, a.rows().get(1).uplinkBits());
        assertEquals(8L * 64 * 64, b.rows().get(1).uplinkBits());
    }

    @Test
    void wrongPairingsAreRejected() {
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> ProtocolKind.EF21.build(Compressors.parse("randk", 0.1, 0), 0.1, 1)).getMessage().contains("scaled-randk"));
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> ProtocolKind.QGD.build(Compressors.parse("topk", 0.1, 0), 0.1, 1)).getMessage().contains("unbiased"));
        assertTrue(ProtocolKind.EF21.build(Compressors.parse("scaled-randk", 0.1, 0), 0.1, 1) instanceof Ef21);
    }
}
