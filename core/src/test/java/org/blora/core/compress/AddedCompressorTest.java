package org.blora.core.compress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.blora.core.chain.BernoulliLoRA;
import org.blora.core.chain.LowRankChain;
import org.blora.core.chain.Method;
import org.blora.core.estimator.FederatedEstimator;
import org.blora.core.federated.ProtocolKind;
import org.blora.core.linalg.Shape;
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

/**
 * Adding a compressor takes what docs/ARCHITECTURE.md says and nothing else: a class implementing
 * {@link UnbiasedCompressor} (here a fake one, each entry kept with probability 1/2 and doubled) and a constant
 * that builds it ({@link Added}, standing in for a new {@link CompressorKind} constant, which is a
 * {@link CompressorFactory} too). The contract tests run on it, the protocols accept or refuse it by its type, and
 * a federated run trains with it, all without a change to any other class.
 */
class AddedCompressorTest implements UnbiasedContract {

    /** The fake compressor: x_i / (1/2) with probability 1/2, else 0; omega = 1; a dense message. */
    static final class KeepHalf implements UnbiasedCompressor {
        private static final long serialVersionUID = 1L;

        @Override
        public CompressedMessage compress(double[] x, SplittableRandom rng) {
            Checks.requireNonEmpty(x);
            double[] out = new double[x.length];
            for (int i = 0; i < x.length; i++) {
                if (!Double.isFinite(x[i])) {
                    throw Checks.nonFinite(name(), i, x[i]);
                }
                out[i] = rng.nextBoolean() ? 2 * x[i] : 0.0;
            }
            return DenseMessage.copyOf(out);
        }

        @Override
        public double omega(int d) {
            return 1.0;
        }

        @Override
        public String name() {
            return "keep-half";
        }
    }

    /** The new constant, as it would be added to {@link CompressorKind}. */
    enum Added implements CompressorFactory {
        KEEP_HALF;

        @Override
        public Compressor build(double kFraction, int levels) {
            return new KeepHalf();
        }
    }

    @Override
    public UnbiasedCompressor compressor() {
        return (UnbiasedCompressor) Added.KEEP_HALF.build(0.01, 16);
    }

    @Override
    public long expectedBits(int d) {
        return 64L * d;
    }

    @Test
    void theProtocolsTakeItByItsType() {
        Compressor c = Added.KEEP_HALF.build(0.01, 16);
        assertTrue(ProtocolKind.QGD.build(c, 0.1, 1.0) != null);
        assertTrue(ProtocolKind.MARINA.build(c, 0.1, 1.0) != null);
        String why = assertThrows(IllegalArgumentException.class, () -> ProtocolKind.EF21.build(c, 0.1, 1.0))
                .getMessage();
        assertTrue(why.contains("keep-half is only unbiased"), why);
    }

    @Test
    void aFederatedRunTrainsWithIt() {
        Shape shape = new Shape(8, 8);
        int d = shape.size();
        LocalOracle oracle = new LocalOracle(TestProblems.heterogeneous(800, d, 4, 21, 1.0, 0.0), new LeastSquares());
        double l = SmoothnessEstimate.gramNorm(oracle, d, 1, 1e-8, 10_000).value();
        BernoulliLoRA method = new BernoulliLoRA(Method.BERNOULLI, shape, 2, 0.5, new GaussianSketch(), 9);
        FederatedEstimator qgd = new FederatedEstimator(ProtocolKind.QGD.build(Added.KEEP_HALF.build(0, 0), 0.1, 1.0),
                5, 4, d);
        Trainer trainer = new Trainer(method, qgd, StepRule.constant(0.5 / l), new NonConvexRegularizer(0.0), 1, 200,
                Double.POSITIVE_INFINITY, 0.0, false);
        List<RoundRecord> rows = new ArrayList<>();
        TrainResult r = trainer.run(oracle, new LowRankChain(shape, new double[d]), new RoundListener() {
            @Override
            public void onRound(RoundRecord record, LowRankChain chain) {
                rows.add(record);
            }
        });
        assertEquals(200, r.rounds());
        assertTrue(rows.get(rows.size() - 1).gradNormSq() < 1e-3 * rows.get(0).gradNormSq(),
                rows.get(0).gradNormSq() + " -> " + rows.get(rows.size() - 1).gradNormSq());
        assertEquals(64L * d * 4, rows.get(1).uplinkBits());
    }
}
