package org.blora.core.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.blora.core.objective.DataBlock;
import org.blora.core.optim.AdamW;
import org.junit.jupiter.api.Test;

class MlpTest {
    private static final int[] SMALL = {7, 5, 4, 3};
    private static final double H = 1e-6;
    /**
     * Central differences with h = 1e-6 on losses of order 10 carry a rounding error of about 1e-16 * 10 / h =
     * 1e-9 and a truncation error of order h^2; 1e-6 relative (to max(1, |fd|)) leaves room for both and still
     * catches any wrong term.
     */
    private static final double FD_TOL = 1e-6;

    /** Loss and gradient at theta (grad accumulated into), the form every finite-difference check takes. */
    private interface Loss {
        double at(double[] theta, double[] grad);
    }

    @Test
    void paperNetHas54725ParametersInStateDictOrder() {
        ModelLayout l = Mlp.layout(new int[] {784, 64, 64, 5});
        assertEquals(54_725, l.size());
        assertEquals(List.of("l1", "l1.bias", "l2", "l2.bias", "l3", "l3.bias"), l.names());
        assertEquals(List.of("l1", "l2", "l3"), l.adaptableNames());
        Module l1 = l.module("l1");
        assertEquals(64, l1.rows());
        assertEquals(784, l1.cols());
        assertEquals(0, l1.offset());
        assertEquals(64 * 784, l.module("l1.bias").offset());
        assertEquals(1, l.module("l3.bias").cols());
        assertEquals(5, l.module("l3.bias").rows());
        assertEquals(l, new Mlp(new int[] {784, 64, 64, 5}, 0.1, 1).layout());
    }

    @Test
    void evaluationGradientMatchesFiniteDifferencesForEveryModule() {
        Mlp mlp = new Mlp(SMALL, 0.3, 11);
        DataBlock b = randomBlock(40, 0, 1);
        double[] theta = scaledInit(mlp, 2);
        double[] errors = fdErrors(mlp.layout(), theta, (t, g) -> mlp.accumulate(b, t, g));
        for (int m = 0; m < errors.length; m++) {
            assertTrue(errors[m] < FD_TOL, mlp.layout().modules().get(m).name() + " relative error " + errors[m]);
        }
    }

    /** Masks depend only on (seed, round, row), so the training loss at a fixed round is a smooth function. */
    @Test
    void trainingGradientWithDropoutMatchesFiniteDifferencesAtAFixedRound() {
        Mlp mlp = new Mlp(SMALL, 0.3, 11);
        DataBlock b = randomBlock(60, 500, 2);
        int[] local = {3, 59, 17, 0, 42, 8, 33, 21, 50, 12, 5, 27, 38, 44, 1, 56, 19, 30, 9, 47};
        double[] theta = scaledInit(mlp, 2);
        double[] errors = fdErrors(mlp.layout(), theta, (t, g) -> mlp.accumulateRows(b, local, 2, 18, t, g, 5));
        for (int m = 0; m < errors.length; m++) {
            assertTrue(errors[m] < FD_TOL, mlp.layout().modules().get(m).name() + " relative error " + errors[m]);
        }
        // Dropout is active: the same rows in evaluation mode give another loss.
        DataBlock sub = rowsOf(b, local, 2, 18);
        assertTrue(Math.abs(mlp.accumulate(sub, theta, null)
                - mlp.accumulateRows(b, local, 2, 18, theta, null, 5)) > 1e-3);
    }

    /** The finite-difference check is not vacuous: a gradient with one module's sign flipped fails it. */
    @Test
    void finiteDifferencesCatchAWrongSignInOneModule() {
        Mlp mlp = new Mlp(SMALL, 0.0, 11);
        DataBlock b = randomBlock(40, 0, 1);
        double[] theta = scaledInit(mlp, 2);
        Module broken = mlp.layout().module("l2.bias");
        Loss flipped = (t, g) -> {
            double[] own = new double[g.length];
            double loss = mlp.accumulate(b, t, own);
            for (int j = 0; j < g.length; j++) {
                g[j] += j >= broken.offset() && j < broken.end() ? -own[j] : own[j];
            }
            return loss;
        };
        double[] errors = fdErrors(mlp.layout(), theta, flipped);
        int at = mlp.layout().indexOf("l2.bias");
        for (int m = 0; m < errors.length; m++) {
            if (m == at) {
                assertTrue(errors[m] > 1e-2, "flipped module must fail, error " + errors[m]);
            } else {
                assertTrue(errors[m] < FD_TOL, "others still pass, error " + errors[m]);
            }
        }
    }

    /** ... and masks drawn afresh at every call (not keyed by round) make the training check fail. */
    @Test
    void finiteDifferencesCatchMasksNotKeyedByRound() {
        Mlp mlp = new Mlp(SMALL, 0.3, 11);
        DataBlock b = randomBlock(60, 500, 2);
        int[] local = {3, 59, 17, 0, 42, 8, 33, 21, 50, 12, 5, 27};
        double[] theta = scaledInit(mlp, 2);
        long[] calls = {0};
        double[] errors = fdErrors(mlp.layout(), theta,
                (t, g) -> mlp.accumulateRows(b, local, 0, local.length, t, g, calls[0]++));
        double worst = 0;
        for (double e : errors) {
            worst = Math.max(worst, e);
        }
        assertTrue(worst > 1e-2, "unkeyed masks must fail the check, worst error " + worst);
    }

    /** 300 rows in one block or in three (with chunk boundaries elsewhere) give the same sums, both modes. */
    @Test
    void sumsDoNotDependOnHowRowsAreSplitIntoBlocks() {
        Mlp mlp = new Mlp(SMALL, 0.25, 3);
        int n = 300;
        DataBlock whole = randomBlock(n, 1000, 4);
        int[][] cuts = {{0, 100}, {100, 250}, {250, 300}};
        List<DataBlock> parts = new ArrayList<>();
        for (int[] c : cuts) {
            parts.add(slice(whole, c[0], c[1]));
        }
        double[] theta = scaledInit(mlp, 1.5);
        int p = theta.length;

        double[] g1 = new double[p];
        double l1 = mlp.accumulate(whole, theta, g1);
        double[] g2 = new double[p];
        double l2 = 0;
        for (DataBlock part : parts) {
            l2 += mlp.accumulate(part, theta, g2);
        }
        assertEquals(l1, l2, 1e-12 * Math.abs(l1));
        assertClose(g1, g2, 1e-12);

        // Training mode: two rows in three, listed out of order, at round 7.
        List<Integer> chosen = new ArrayList<>();
        for (int i = n - 1; i >= 0; i--) {
            if (i % 3 != 0) {
                chosen.add(i);
            }
        }
        int[] local = chosen.stream().mapToInt(Integer::intValue).toArray();
        double[] t1 = new double[p];
        double lt1 = mlp.accumulateRows(whole, local, 0, local.length, theta, t1, 7);
        double[] t2 = new double[p];
        double lt2 = 0;
        for (int k = 0; k < parts.size(); k++) {
            int lo = cuts[k][0];
            int hi = cuts[k][1];
            int[] own = chosen.stream().filter(i -> i >= lo && i < hi).mapToInt(i -> i - lo).toArray();
            lt2 += mlp.accumulateRows(parts.get(k), own, 0, own.length, theta, t2, 7);
        }
        assertEquals(lt1, lt2, 1e-12 * Math.abs(lt1));
        assertClose(t1, t2, 1e-12);
        // The masks of another round are others.
        assertTrue(Math.abs(lt1 - mlp.accumulateRows(whole, local, 0, local.length, theta, null, 8)) > 1e-6);
    }

    /** Without dropout the training path (gathered rows) is the evaluation path. */
    @Test
    void trainingModeWithoutDropoutIsEvaluation() {
        Mlp mlp = new Mlp(SMALL, 0.0, 3);
        DataBlock b = randomBlock(200, 0, 5);
        int[] all = new int[b.rows];
        for (int i = 0; i < all.length; i++) {
            all[i] = i;
        }
        double[] theta = scaledInit(mlp, 1.5);
        double[] g1 = new double[theta.length];
        double[] g2 = new double[theta.length];
        double l1 = mlp.accumulate(b, theta, g1);
        double l2 = mlp.accumulateRows(b, all, 0, all.length, theta, g2, 9);
        assertEquals(l1, l2, 1e-12 * l1);
        assertClose(g1, g2, 1e-12);
        assertEquals(l1, mlp.accumulate(b, theta, null), 0.0, "forward only gives the same loss");
    }

    /**
     * A 1 -> 16 -> 2 net whose hidden units all equal 1 before dropout and whose output is (sum of hidden, 0):
     * a row's loss for label 1 is log(1 + e^S), S = kept / (1 - p). Over 10,000 rows x 16 units the kept fraction
     * is Binomial(160000, 0.9) / 160000, sd 7.5e-4; we allow 5 sd. S (1 - p) must be an integer (inverted scaling).
     */
    @Test
    void dropoutKeepsAFractionOneMinusRateAndScalesTheKeptUnits() {
        double p = 0.1;
        int units = 16;
        int rows = 10_000;
        Mlp mlp = new Mlp(new int[] {1, units, 2}, p, 21);
        ModelLayout l = mlp.layout();
        double[] theta = new double[l.size()];
        for (int j = 0; j < units; j++) {
            theta[l.module("l1").offset() + j] = 1.0;
            theta[l.module("l2").offset() + j] = 1.0;
        }
        double[] x = new double[rows];
        double[] y = new double[rows];
        Arrays.fill(x, 1.0);
        Arrays.fill(y, 1.0);
        DataBlock b = new DataBlock(0, 0, rows, 1, x, y);
        long kept = 0;
        int fullRows = 0;
        for (int i = 0; i < rows; i++) {
            double loss = mlp.accumulateRows(b, new int[] {i}, 0, 1, theta, null, 3);
            double s = loss + Math.log(-Math.expm1(-loss));
            double k = s * (1 - p);
            assertEquals(Math.rint(k), k, 1e-9, "kept units are scaled by 1/(1-p)");
            kept += Math.round(k);
            fullRows += Math.round(k) == units ? 1 : 0;
        }
        double frac = kept / (double) (rows * units);
        double sd = Math.sqrt(p * (1 - p) / (rows * units));
        assertEquals(1 - p, frac, 5 * sd);
        // P(all 16 kept) = 0.9^16 = 0.185; Binomial(10000, 0.185) has sd 3.9, 5 sd allowed.
        assertEquals(rows * Math.pow(1 - p, units), fullRows, 5 * Math.sqrt(rows * 0.185 * 0.815));
        // Evaluation mode: no dropout and no scaling, S = 16.
        assertEquals(Math.log1p(Math.exp(units)), mlp.accumulate(new DataBlock(0, 0, 1, 1, new double[] {1},
                new double[] {1}), theta, null), 1e-12);
    }

    @Test
    void logProbabilitiesSumToOneEvenForHugeLogits() {
        Mlp mlp = new Mlp(SMALL, 0.1, 1);
        SplittableRandom rng = new SplittableRandom(6);
        for (double scale : new double[] {1, 1000}) {
            double[] theta = scaledInit(mlp, scale);
            for (int r = 0; r < 10; r++) {
                double[] x = rng.doubles(7, -1, 1).toArray();
                double[] lp = mlp.logProbabilities(theta, x);
                assertEquals(3, lp.length);
                double s = 0;
                for (double v : lp) {
                    assertTrue(v <= 0 && Double.isFinite(v), "log-probability " + v);
                    s += Math.exp(v);
                }
                assertEquals(1.0, s, 1e-12);
            }
        }
    }

    @Test
    void correctCountsArgmaxHits() {
        Mlp mlp = new Mlp(SMALL, 0.1, 1);
        DataBlock b = randomBlock(300, 0, 8);
        // All parameters zero but the output bias (0, 1, 0): every row is predicted class 1.
        double[] theta = new double[mlp.layout().size()];
        theta[mlp.layout().module("l3.bias").offset() + 1] = 1.0;
        long ones = 0;
        for (double v : b.y) {
            ones += v == 1.0 ? 1 : 0;
        }
        assertTrue(ones > 0 && ones < b.rows);
        assertEquals(ones, mlp.correct(b, theta));

        // Random weights: the count equals the argmax of the single-row log-probabilities.
        double[] t = scaledInit(mlp, 3);
        long hand = 0;
        for (int i = 0; i < b.rows; i++) {
            double[] lp = mlp.logProbabilities(t, Arrays.copyOfRange(b.x, i * 7, i * 7 + 7));
            int best = 0;
            for (int j = 1; j < lp.length; j++) {
                best = lp[j] > lp[best] ? j : best;
            }
            hand += best == (int) b.y[i] ? 1 : 0;
        }
        assertEquals(hand, mlp.correct(b, t));
    }

    @Test
    void labelsMustBeClassIndices() {
        Mlp mlp = new Mlp(SMALL, 0.1, 1);
        double[] theta = new double[mlp.layout().size()];
        for (double bad : new double[] {3, -1, 0.5, Double.NaN}) {
            DataBlock b = new DataBlock(0, 40, 1, 7, new double[7], new double[] {bad});
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> mlp.accumulate(b, theta, new double[theta.length]));
            assertTrue(e.getMessage().contains("not a class index 0..2") && e.getMessage().contains("row 40"),
                    e.getMessage());
        }
    }

    @Test
    void rejectsBadShapes() {
        assertThrows(IllegalArgumentException.class, () -> new Mlp(new int[] {5}, 0.1, 1));
        assertThrows(IllegalArgumentException.class, () -> new Mlp(new int[] {5, 0, 2}, 0.1, 1));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new Mlp(SMALL, 1.0, 1));
        assertTrue(e.getMessage().contains("[0, 1)"), e.getMessage());
        Mlp mlp = new Mlp(SMALL, 0.1, 1);
        DataBlock wide = randomBlock(3, 0, 1);
        e = assertThrows(IllegalArgumentException.class, () -> mlp.accumulate(wide, new double[5], null));
        assertTrue(e.getMessage().contains("79 parameters"), e.getMessage());
        DataBlock narrow = new DataBlock(0, 0, 1, 6, new double[6], new double[] {0});
        assertThrows(IllegalArgumentException.class,
                () -> mlp.accumulate(narrow, new double[mlp.layout().size()], null));
    }

    /** PyTorch's nn.Linear bounds 1/sqrt(fan_in) for weights and biases; U(-a, a) has variance a^2/3. */
    @Test
    void initIsPyTorchsUniformWithTheLayersFanIn() {
        ModelLayout l = Mlp.layout(new int[] {784, 64, 64, 5});
        double[] theta = Mlp.init(l, new SplittableRandom(4));
        for (Module m : l.modules()) {
            int fanIn = m.name().endsWith(".bias") ? l.module(m.name().replace(".bias", "")).cols() : m.cols();
            double a = 1 / Math.sqrt(fanIn);
            double max = 0;
            double sq = 0;
            for (int j = m.offset(); j < m.end(); j++) {
                max = Math.max(max, Math.abs(theta[j]));
                sq += theta[j] * theta[j];
            }
            assertTrue(max <= a, m.name() + " exceeds its bound");
            // With n >= 5 draws the largest |u| exceeds a/2 except with probability 2^-n (about 3% for 5).
            if (m.size() >= 64) {
                assertTrue(max > a / 2, m.name() + " spans its bound");
            }
            if (m.size() >= 4096) {
                // Var of the mean of u^2 is (a^4/5 - a^4/9)/n; 5 sd allowed.
                double sd = a * a * Math.sqrt((1 / 5.0 - 1 / 9.0) / m.size());
                assertEquals(a * a / 3, sq / m.size(), 5 * sd, m.name());
            }
        }
    }

    @Test
    void survivesJavaSerialization() throws Exception {
        Mlp mlp = new Mlp(SMALL, 0.2, 99);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(mlp);
        }
        Mlp back;
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            back = (Mlp) in.readObject();
        }
        DataBlock b = randomBlock(30, 0, 3);
        int[] local = {4, 2, 9, 11};
        double[] theta = scaledInit(mlp, 1);
        assertEquals(mlp.accumulateRows(b, local, 0, 4, theta, null, 2),
                back.accumulateRows(b, local, 0, 4, theta, null, 2), 0.0);
    }

    /** Three well separated Gaussian clusters in 4 dimensions: full-batch GD on the mean loss fits them. */
    @Test
    void gradientDescentFitsASeparableProblem() {
        Mlp mlp = new Mlp(new int[] {4, 16, 3}, 0.0, 1);
        DataBlock b = clusters(180, 12);
        double[] theta = Mlp.init(mlp.layout(), new SplittableRandom(5));
        double first = mlp.accumulate(b, theta, null) / b.rows;
        double last = first;
        for (int step = 0; step < 300; step++) {
            double[] g = new double[theta.length];
            last = mlp.accumulate(b, theta, g) / b.rows;
            for (int j = 0; j < theta.length; j++) {
                theta[j] -= 0.5 * g[j] / b.rows;
            }
        }
        assertTrue(last < 0.05 * first, "mean loss " + first + " -> " + last);
        assertEquals(b.rows, mlp.correct(b, theta));
    }

    /** AdamW on minibatches in training mode (dropout 0.1) reaches every training row in evaluation mode. */
    @Test
    void adamWWithDropoutFitsASeparableProblem() {
        Mlp mlp = new Mlp(new int[] {4, 16, 3}, 0.1, 1);
        DataBlock b = clusters(180, 13);
        double[] theta = Mlp.init(mlp.layout(), new SplittableRandom(6));
        double first = mlp.accumulate(b, theta, null) / b.rows;
        AdamW adam = AdamW.withLr(0.01);
        AdamW.State state = adam.newState(theta.length);
        int[] perm = new int[b.rows];
        for (int i = 0; i < perm.length; i++) {
            perm[i] = i;
        }
        SplittableRandom shuffle = new SplittableRandom(7);
        long round = 0;
        for (int epoch = 0; epoch < 30; epoch++) {
            for (int i = perm.length - 1; i > 0; i--) {
                int j = shuffle.nextInt(i + 1);
                int tmp = perm[i];
                perm[i] = perm[j];
                perm[j] = tmp;
            }
            for (int from = 0; from < perm.length; from += 30) {
                double[] g = new double[theta.length];
                mlp.accumulateRows(b, perm, from, from + 30, theta, g, round++);
                for (int j = 0; j < g.length; j++) {
                    g[j] /= 30;
                }
                adam.step(state, theta, g, adam.lr());
            }
        }
        double last = mlp.accumulate(b, theta, null) / b.rows;
        assertTrue(last < 0.1 * first, "mean loss " + first + " -> " + last);
        assertEquals(b.rows, mlp.correct(b, theta));
    }

    // ---- helpers ----

    /** Max over each module's entries of |fd - g| / max(1, |fd|), one number per module. */
    private static double[] fdErrors(ModelLayout layout, double[] theta, Loss loss) {
        double[] g = new double[theta.length];
        loss.at(theta, g);
        double[] errors = new double[layout.modules().size()];
        for (int m = 0; m < errors.length; m++) {
            Module mod = layout.modules().get(m);
            for (int j = mod.offset(); j < mod.end(); j++) {
                double[] tp = theta.clone();
                double[] tm = theta.clone();
                tp[j] += H;
                tm[j] -= H;
                double fd = (loss.at(tp, new double[theta.length]) - loss.at(tm, new double[theta.length])) / (2 * H);
                errors[m] = Math.max(errors[m], Math.abs(fd - g[j]) / Math.max(1, Math.abs(fd)));
            }
        }
        return errors;
    }

    private static double[] scaledInit(Mlp mlp, double scale) {
        double[] t = Mlp.init(mlp.layout(), new SplittableRandom(17));
        for (int j = 0; j < t.length; j++) {
            t[j] *= scale;
        }
        return t;
    }

    /** Features uniform in [-1, 1], labels uniform over the 3 classes of SMALL. */
    private static DataBlock randomBlock(int rows, long firstRow, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        double[] x = rng.doubles((long) rows * 7, -1, 1).toArray();
        double[] y = new double[rows];
        for (int i = 0; i < rows; i++) {
            y[i] = rng.nextInt(3);
        }
        return new DataBlock(0, firstRow, rows, 7, x, y);
    }

    private static DataBlock clusters(int rows, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        double[] x = new double[rows * 4];
        double[] y = new double[rows];
        for (int i = 0; i < rows; i++) {
            int c = i % 3;
            y[i] = c;
            for (int d = 0; d < 4; d++) {
                x[i * 4 + d] = (d == c ? 3.0 : 0.0) + 0.5 * gaussian(rng);
            }
        }
        return new DataBlock(0, 0, rows, 4, x, y);
    }

    private static double gaussian(SplittableRandom rng) {
        return Math.sqrt(-2 * Math.log(1 - rng.nextDouble())) * Math.cos(2 * Math.PI * rng.nextDouble());
    }

    private static DataBlock slice(DataBlock b, int from, int to) {
        return new DataBlock(b.client, b.firstRow + from, to - from, b.cols,
                Arrays.copyOfRange(b.x, from * b.cols, to * b.cols),
                Arrays.copyOfRange(b.y, from, to));
    }

    private static DataBlock rowsOf(DataBlock b, int[] local, int from, int to) {
        int n = to - from;
        double[] x = new double[n * b.cols];
        double[] y = new double[n];
        for (int k = 0; k < n; k++) {
            System.arraycopy(b.x, local[from + k] * b.cols, x, k * b.cols, b.cols);
            y[k] = b.y[local[from + k]];
        }
        return new DataBlock(b.client, 0, n, b.cols, x, y);
    }

    /** ||a - b|| <= rel ||a||. */
    private static void assertClose(double[] a, double[] b, double rel) {
        double d = 0;
        double n = 0;
        for (int j = 0; j < a.length; j++) {
            d += (a[j] - b[j]) * (a[j] - b[j]);
            n += a[j] * a[j];
        }
        assertTrue(Math.sqrt(d) <= rel * Math.sqrt(n), "difference " + Math.sqrt(d) + " vs norm " + Math.sqrt(n));
        assertFalse(n == 0, "non-trivial gradient");
    }
}
