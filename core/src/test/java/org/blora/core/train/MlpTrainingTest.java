package org.blora.core.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Supplier;
import org.blora.core.chain.ChainMethod;
import org.blora.core.chain.ChainSpec;
import org.blora.core.chain.CoinMode;
import org.blora.core.chain.LowRankChain;
import org.blora.core.chain.Method;
import org.blora.core.estimator.Sgd;
import org.blora.core.model.Mlp;
import org.blora.core.model.ModelLayout;
import org.blora.core.objective.NonConvexRegularizer;
import org.blora.core.optim.AdamW;
import org.blora.core.optim.StepRule;
import org.blora.core.oracle.Evaluator;
import org.blora.core.oracle.LocalOracle;
import org.blora.core.sketch.GaussianSketch;
import org.blora.core.sketch.Link;
import org.blora.core.sketch.Side;
import org.junit.jupiter.api.Test;

/**
 * Fine-tuning an MLP classifier with chains on every layer through the trainer: AdamW on the trained factors,
 * links of several steps, validation and test scores, early stopping, and resuming mid-link bit for bit.
 */
class MlpTrainingTest {
    static final int[] LAYERS = {6, 8, 8, 3};
    static final ModelLayout NET = Mlp.layout(LAYERS);
    static final Mlp MLP = new Mlp(LAYERS, 0.1, 5);
    static final LocalOracle TRAIN = new LocalOracle(TestProblems.classification(240, 6, 3, 3, 0, 1), MLP);
    static final LocalOracle VAL = new LocalOracle(TestProblems.classification(90, 6, 3, 2, 0, 2), MLP);
    static final double[] THETA0 = Mlp.init(NET, new SplittableRandom(3));

    static ChainMethod method(Method m, double p) {
        return ChainMethod.of(new ChainSpec(m, 2, p, 2, List.of(), CoinMode.PER_MODULE, 7, null, Side.B,
                AdamW.withLr(0.05), new GaussianSketch(), 11), NET);
    }

    static Trainer trainer(ChainMethod m, int rounds, int patience) {
        return new Trainer(m, new Sgd(7, TRAIN.rows(), 16), StepRule.constant(0.05), new NonConvexRegularizer(0.0),
                15, rounds, Double.POSITIVE_INFINITY, 0.0)
                .withHeldOut(new Trainer.HeldOut(true, Evaluator.of(VAL, true), null, patience, patience > 0 ? 2 : 0));
    }

    /** Rows and the states to resume from, with the chain as a checkpoint would hold it. */
    static final class Capture implements RoundListener {
        final List<RoundRecord> rows = new ArrayList<>();
        final List<Object[]> states = new ArrayList<>();

        @Override
        public void onRound(RoundRecord record, LowRankChain chain) {
            rows.add(record);
        }

        @Override
        public void onState(TrainerState s, LowRankChain c) {
            List<Link[]> links = new ArrayList<>(c.links());
            states.add(new Object[] {copy(s), links, c.w().clone(), c.wPrev().clone(), c.steps()});
        }

        /** A deep copy, as a checkpoint written by serialisation is. */
        @SuppressWarnings("unchecked")
        static <T extends Serializable> T copy(T o) {
            try {
                var bytes = new java.io.ByteArrayOutputStream();
                try (var out = new java.io.ObjectOutputStream(bytes)) {
                    out.writeObject(o);
                }
                try (var in = new java.io.ObjectInputStream(new java.io.ByteArrayInputStream(bytes.toByteArray()))) {
                    return (T) in.readObject();
                }
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
    }

    static List<String> deterministic(List<RoundRecord> rows) {
        List<String> out = new ArrayList<>();
        for (RoundRecord r : rows) {
            out.add(r.round() + "," + r.loss() + "," + r.gradNormSq() + "," + r.stepSize() + "," + r.side() + ","
                    + r.scores());
        }
        return out;
    }

    @Test
    void fineTuningImprovesAccuracyAndScoresHeldOutData() {
        Capture c = new Capture();
        LowRankChain chain = new LowRankChain(NET, THETA0);
        TrainResult r = trainer(method(Method.BERNOULLI, 0.5), 300, 0).run(TRAIN, chain, c);
        RoundRecord first = c.rows.get(0);
        RoundRecord last = c.rows.get(c.rows.size() - 1);
        assertTrue(last.scores().accuracy() > first.scores().accuracy() + 0.2,
                "train accuracy " + first.scores().accuracy() + " -> " + last.scores().accuracy());
        assertTrue(last.scores().valAccuracy() > first.scores().valAccuracy() + 0.2,
                "validation accuracy " + first.scores().valAccuracy() + " -> " + last.scores().valAccuracy());
        assertTrue(last.scores().valLoss() < first.scores().valLoss());
        assertTrue(Double.isNaN(c.rows.get(1).scores().accuracy()), "round 1 is not a metric round");
        assertEquals(Double.NaN, last.scores().testLoss());
        assertEquals(300 / 7 + 1, chain.length(), "one link per 7 rounds");
        // Biases stay frozen under LoRA methods.
        for (var m : NET.modules()) {
            if (!m.adaptable()) {
                assertArrayEquals(Arrays.copyOfRange(THETA0, m.offset(), m.end()),
                        Arrays.copyOfRange(chain.w(), m.offset(), m.end()), 0.0, m.name());
            }
        }
        assertEquals(StopReason.ROUND_BUDGET, r.stopReason());
    }

    /**
     * The plateau schedule divides the learning rate by 10 after every second evaluation without improvement (patience 1)
     * and, as PyTorch's ReduceLROnPlateau, skips a reduction smaller than eps = 1e-8 in the learning rate itself:
     * from 1e-6 it goes to 1e-7 and 1e-8 and stays there (1e-8 - 1e-9 < 1e-8).
     */
    @Test
    void thePlateauEpsActsOnTheLearningRate() {
        ChainMethod frozen = ChainMethod.of(new ChainSpec(Method.BERNOULLI, 1, 0.5, 1, List.of(), CoinMode.SHARED, 7,
                null, Side.B, AdamW.withLr(0.05), new GaussianSketch(), 11), NET);
        Capture c = new Capture();
        new Trainer(frozen, new Sgd(7, TRAIN.rows(), 16), StepRule.constant(1e-6), new NonConvexRegularizer(0.0), 5,
                60, Double.POSITIVE_INFINITY, 0.0)
                .withHeldOut(new Trainer.HeldOut(true, Evaluator.of(VAL, true), null, 0, 1))
                .run(TRAIN, new LowRankChain(NET, THETA0), c);
        double smallest = c.rows.stream().mapToDouble(RoundRecord::stepSize).filter(x -> !Double.isNaN(x)).min()
                .orElseThrow();
        assertEquals(1e-8, smallest, 1e-22, "the learning rate after the last reduction PyTorch makes");
    }

    @Test
    void earlyStoppingEndsTheRunOnAValidationPlateau() {
        // With the smallest positive stepsize nothing changes, so the validation loss never improves after the
        // first check.
        ChainMethod frozen = ChainMethod.of(new ChainSpec(Method.BERNOULLI, 1, 0.5, 1, List.of(), CoinMode.SHARED, 7,
                null, Side.B, AdamW.withLr(0.05), new GaussianSketch(), 11), NET);
        Capture c = new Capture();
        TrainResult r = new Trainer(frozen, new Sgd(7, TRAIN.rows(), 16), StepRule.constant(Double.MIN_VALUE),
                new NonConvexRegularizer(0.0), 15, 1000, Double.POSITIVE_INFINITY, 0.0)
                .withHeldOut(new Trainer.HeldOut(true, Evaluator.of(VAL, true), null, 3, 0))
                .run(TRAIN, new LowRankChain(NET, THETA0), c);
        assertEquals(StopReason.EARLY_STOPPED, r.stopReason());
        assertEquals(4 * 15, r.rounds(), "checks at rounds 15 (best), 30, 45, 60: patience 3 runs out at 60");
    }

    void resumesExactly(Supplier<ChainMethod> method, boolean dropMoments) {
        Capture whole = new Capture();
        LowRankChain full = new LowRankChain(NET, THETA0);
        trainer(method.get(), 60, 20).run(TRAIN, full, whole);
        for (int k : new int[] {10, 31}) {
            Object[] at = whole.states.get(k - 1);
            TrainerState s = (TrainerState) at[0];
            assertEquals(k, s.round());
            if (dropMoments) {
                s = new TrainerState(s.round(), s.epochs(), s.cumUplinkBits(), s.trainedParams(), s.wallMs(), s.loss(),
                        s.gradNormSq(), s.estimatorState(), null, s.earlyStopping(), s.plateau());
            }
            @SuppressWarnings("unchecked")
            LowRankChain chain = LowRankChain.restore(NET, THETA0, (List<Link[]>) at[1], (double[]) at[2],
                    (double[]) at[3], (int) at[4]);
            Capture rest = new Capture();
            trainer(method.get(), 60, 20).run(TRAIN, chain, rest, s);
            List<RoundRecord> joined = new ArrayList<>(whole.rows.subList(0, k));
            joined.addAll(rest.rows);
            if (dropMoments) {
                assertFalse(Arrays.equals(full.w(), chain.w()), "resumed at " + k + " without the AdamW moments");
                return;
            }
            assertEquals(deterministic(whole.rows), deterministic(joined), "resumed at round " + k);
            assertArrayEquals(full.w(), chain.w(), 0.0, "theta, resumed at round " + k);
            assertEquals(full.length(), chain.length());
        }
    }

    @Test
    void bernoulliWithAdamwResumesMidLinkBitForBit() {
        resumesExactly(() -> method(Method.BERNOULLI, 0.5), false);
    }

    @Test
    void colaWithAdamwResumesMidLinkBitForBit() {
        resumesExactly(() -> method(Method.COLA, 0.5), false);
    }

    @Test
    void loraResumesBitForBit() {
        resumesExactly(() -> method(Method.LORA, 0.5), false);
    }

    @Test
    void fullFineTuningWithAdamwResumesBitForBit() {
        resumesExactly(() -> method(Method.FPFT, 0.5), false);
    }

    @Test
    void withoutTheMomentsTheResumedRunDiffers() {
        resumesExactly(() -> method(Method.BERNOULLI, 0.5), true);
    }
}
