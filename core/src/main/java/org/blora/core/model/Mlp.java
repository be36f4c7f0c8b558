package org.blora.core.model;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.blora.core.linalg.Kernels;
import org.blora.core.objective.DataBlock;
import org.blora.core.objective.DataLoss;
import org.blora.core.random.Purpose;
import org.blora.core.random.RandomStreams;

/**
 * The multilayer perceptron classifier of the MNIST experiments (Bernoulli-LoRA, arXiv 2508.03820, section 7.2;
 * the same net as RAC-LoRA, arXiv 2410.08305):
 * {@code layers[0] -> layers[1] -> ... -> layers[K]}, Linear layers with ReLU and inverted dropout after every
 * hidden layer, log-softmax and the negative log-likelihood of the class index stored in y. The paper's net is
 * 784, 64, 64, 5 with dropout 0.1 (54,725 parameters).
 *
 * <p>For a chunk of R rows H_0 (R x n_0), with W_k (n_k x n_{k-1}) and b_k the parameters of layer k:
 * <pre>
 *   Z_k = H_{k-1} W_k^T + 1 b_k^T
 *   H_k = relu(Z_k) o D_k / (1 - p)         k &lt; K; D_k a 0/1 keep mask in training mode, all ones (and no
 *                                           division) in evaluation mode
 *   f_i = logsumexp(Z_K[i]) - Z_K[i, y_i]   loss = sum_i f_i (the caller divides by the batch size)
 * </pre>
 * and backwards, with P = softmax(Z_K) and Y the one-hot labels:
 * <pre>
 *   dZ_K = P - Y
 *   dW_k = dZ_k^T H_{k-1},  db_k = dZ_k^T 1,  dH_{k-1} = dZ_k W_k
 *   dZ_{k-1} = dH_{k-1} o 1[H_{k-1} &gt; 0] / (1 - p)      (H &gt; 0 exactly where the unit is active and kept)
 * </pre>
 * Rows go through in chunks of {@value #CHUNK}, so each of these products is one fixed-order matrix product
 * per layer ({@link Kernels}: the same bits on every executor, whatever its vector width);
 * the buffers are allocated once per call.
 *
 * <p>Parameters are laid out in PyTorch's state_dict order ({@link #layout(int[])}): {@code l1} (n_1 x n_0),
 * {@code l1.bias}, {@code l2}, {@code l2.bias}, ... Weight matrices are adaptable by a low-rank chain, biases not.
 *
 * <p>A training row's dropout mask comes from the stream of (seed, round, global row), so it is the same on any
 * executor, in any block, and at both points PAGE and MVR evaluate in one round.
 */
public final class Mlp implements DataLoss {
    private static final long serialVersionUID = 1L;

    /** Rows per matrix product: one minibatch of the paper's size 128. */
    static final int CHUNK = 128;

    private final int[] layers;
    private final double dropout;
    private final long seed;
    private final ModelLayout layout;
    /** Hidden units before layer k's in a row's dropout mask. */
    private final int[] maskOffset;
    private final int hiddenUnits;
    private final int widest;

    /**
     * @param layers  widths n_0 (input features) .. n_K (classes), at least two entries
     * @param dropout rate p in [0, 1) after every hidden layer in training mode
     * @param seed    run seed from which the dropout masks are drawn
     */
    public Mlp(int[] layers, double dropout, long seed) {
        this.layout = layout(layers);
        if (!(dropout >= 0.0 && dropout < 1.0)) {
            throw new IllegalArgumentException("MLP dropout rate must be in [0, 1), got " + dropout);
        }
        this.layers = layers.clone();
        this.dropout = dropout;
        this.seed = seed;
        int k = layers.length - 1;
        this.maskOffset = new int[k];
        int h = 0;
        int w = 0;
        for (int l = 1; l <= k; l++) {
            if (l < k) {
                maskOffset[l] = h;
                h += layers[l];
            }
            w = Math.max(w, layers[l]);
        }
        this.hiddenUnits = h;
        this.widest = w;
    }

    /** The parameter layout of an MLP with these widths: l1, l1.bias, l2, l2.bias, ... */
    public static ModelLayout layout(int[] layers) {
        if (layers.length < 2) {
            throw new IllegalArgumentException("an MLP needs at least an input and an output width, got "
                    + Arrays.toString(layers));
        }
        for (int w : layers) {
            if (w < 1) {
                throw new IllegalArgumentException("MLP layer widths must be positive, got " + Arrays.toString(layers));
            }
        }
        ModelLayout.Builder b = ModelLayout.builder();
        for (int k = 1; k < layers.length; k++) {
            b.add("l" + k, layers[k], layers[k - 1], true);
            b.add("l" + k + ".bias", layers[k], 1, false);
        }
        return b.build();
    }

    /**
     * PyTorch's default nn.Linear initialisation: every weight and bias of a layer with fan-in n_in uniform in
     * [-1/sqrt(n_in), 1/sqrt(n_in)] (kaiming_uniform with a = sqrt(5) gives the same bound for the weights).
     * A module {@code X.bias} takes the fan-in of module {@code X}.
     */
    public static double[] init(ModelLayout layout, SplittableRandom rng) {
        double[] theta = new double[layout.size()];
        for (Module m : layout.modules()) {
            int fanIn = m.name().endsWith(".bias")
                    ? layout.module(m.name().substring(0, m.name().length() - ".bias".length())).cols()
                    : m.cols();
            double bound = 1.0 / Math.sqrt(fanIn);
            for (int j = m.offset(); j < m.end(); j++) {
                theta[j] = rng.nextDouble(-bound, bound);
            }
        }
        return theta;
    }

    @Override
    public int parameters(int features) {
        if (features != layers[0]) {
            throw new IllegalArgumentException("model.layers starts with " + layers[0] + " inputs but the data have "
                    + features + " features (set model.layers=" + features + ",...)");
        }
        return layout.size();
    }

    public ModelLayout layout() {
        return layout;
    }

    public int classes() {
        return layers[layers.length - 1];
    }

    @Override
    public boolean classifier() {
        return true;
    }

    @Override
    public double accumulate(DataBlock b, double[] theta, double[] grad) {
        check(b, theta, grad);
        Work w = new Work(Math.min(CHUNK, b.rows), false);
        double loss = 0.0;
        for (int start = 0; start < b.rows; start += CHUNK) {
            int r = Math.min(CHUNK, b.rows - start);
            forward(w, b.x, start * b.cols, r, theta, false);
            loss += lossAndBackward(w, b, null, start, r, b.x, start * b.cols, theta, grad, false);
        }
        return loss;
    }

    @Override
    public double accumulateRows(DataBlock b, int[] local, int from, int to, double[] theta, double[] grad,
                                 long round) {
        check(b, theta, grad);
        boolean masked = dropout > 0.0;
        Work w = new Work(Math.min(CHUNK, Math.max(0, to - from)), true);
        int n0 = layers[0];
        double loss = 0.0;
        for (int start = from; start < to; start += CHUNK) {
            int r = Math.min(CHUNK, to - start);
            for (int i = 0; i < r; i++) {
                int row = local[start + i];
                System.arraycopy(b.x, row * n0, w.x, i * n0, n0);
                if (masked) {
                    drawMask(round, b.firstRow + row, w.keep, i * hiddenUnits);
                }
            }
            forward(w, w.x, 0, r, theta, masked);
            loss += lossAndBackward(w, b, local, start, r, w.x, 0, theta, grad, masked);
        }
        return loss;
    }

    @Override
    public long correct(DataBlock b, double[] theta) {
        check(b, theta, null);
        Work w = new Work(Math.min(CHUNK, b.rows), false);
        int c = classes();
        long hits = 0;
        for (int start = 0; start < b.rows; start += CHUNK) {
            int r = Math.min(CHUNK, b.rows - start);
            forward(w, b.x, start * b.cols, r, theta, false);
            double[] out = w.act[layers.length - 1];
            for (int i = 0; i < r; i++) {
                int label = label(b, start + i);
                int best = 0;
                for (int j = 1; j < c; j++) {
                    if (out[i * c + j] > out[i * c + best]) {
                        best = j;
                    }
                }
                if (best == label) {
                    hits++;
                }
            }
        }
        return hits;
    }

    /** log P(class j | x) for one input row in evaluation mode (no dropout), j = 0..K-1. */
    public double[] logProbabilities(double[] theta, double[] x) {
        if (x.length != layers[0]) {
            throw new IllegalArgumentException("input has " + x.length + " features, the MLP takes " + layers[0]);
        }
        checkTheta(theta);
        Work w = new Work(1, false);
        forward(w, x, 0, 1, theta, false);
        return w.act[layers.length - 1].clone();
    }

    /**
     * The keep multipliers of one training row (0 for a dropped unit, 1/(1-p) for a kept one), hidden layer by
     * hidden layer, drawn from the row's own stream so the mask does not depend on the row's block or task
     * (one small stream object per row is the only per-row allocation).
     */
    void drawMask(long round, long globalRow, double[] keep, int off) {
        SplittableRandom rng = RandomStreams.of(seed, round, RandomStreams.DRIVER, Purpose.DROPOUT, globalRow);
        double scale = 1.0 / (1.0 - dropout);
        for (int j = 0; j < hiddenUnits; j++) {
            keep[off + j] = rng.nextDouble() < dropout ? 0.0 : scale;
        }
    }

    /** Fills w.act[1..K] for r rows starting at in[inOff]; w.act[K] ends as the log-probabilities. */
    private void forward(Work w, double[] in, int inOff, int r, double[] theta, boolean masked) {
        int k = layers.length - 1;
        for (int l = 1; l <= k; l++) {
            int nIn = layers[l - 1];
            int nOut = layers[l];
            Module wm = layout.modules().get(2 * (l - 1));
            int biasOff = wm.end();
            double[] z = w.act[l];
            for (int i = 0; i < r; i++) {
                System.arraycopy(theta, biasOff, z, i * nOut, nOut);
            }
            double[] src = l == 1 ? in : w.act[l - 1];
            int srcOff = l == 1 ? inOff : 0;
            // Z (r x nOut) += H (r x nIn) W^T, W being theta's row-major nOut x nIn block.
            Kernels.gemmNT(r, nOut, nIn, src, srcOff, theta, wm.offset(), z, 0);
            if (l < k) {
                for (int i = 0; i < r; i++) {
                    int keepOff = i * hiddenUnits + maskOffset[l];
                    for (int j = 0, e = i * nOut; j < nOut; j++, e++) {
                        double v = Math.max(z[e], 0.0);
                        z[e] = masked ? v * w.keep[keepOff + j] : v;
                    }
                }
            } else {
                for (int i = 0; i < r; i++) {
                    logSoftmax(z, i * nOut, nOut);
                }
            }
        }
    }

    /**
     * Sum over the chunk of -log P(y_i | x_i) from the forward pass in {@code w}; when grad is not null, adds the
     * chunk's gradient to it. Rows are {@code local[start..start+r)} of the block, or {@code start..start+r)}
     * when {@code local} is null.
     */
    private double lossAndBackward(Work w, DataBlock b, int[] local, int start, int r, double[] in, int inOff,
                                   double[] theta, double[] grad, boolean masked) {
        int k = layers.length - 1;
        int c = layers[k];
        double[] logp = w.act[k];
        double loss = 0.0;
        double[] dz = w.delta;
        for (int i = 0; i < r; i++) {
            int label = label(b, local == null ? start + i : local[start + i]);
            loss -= logp[i * c + label];
            if (grad != null) {
                for (int j = 0; j < c; j++) {
                    dz[i * c + j] = StrictMath.exp(logp[i * c + j]);
                }
                dz[i * c + label] -= 1.0;
            }
        }
        if (grad == null) {
            return loss;
        }
        double scale = masked ? 1.0 / (1.0 - dropout) : 1.0;
        for (int l = k; l >= 1; l--) {
            int nIn = layers[l - 1];
            int nOut = layers[l];
            Module wm = layout.modules().get(2 * (l - 1));
            double[] h = l == 1 ? in : w.act[l - 1];
            int hOff = l == 1 ? inOff : 0;
            // dW (nOut x nIn) += dZ^T H.
            Kernels.gemmTN(nOut, nIn, r, dz, 0, h, hOff, grad, wm.offset());
            int biasOff = wm.end();
            for (int i = 0; i < r; i++) {
                for (int j = 0; j < nOut; j++) {
                    grad[biasOff + j] += dz[i * nOut + j];
                }
            }
            if (l > 1) {
                double[] dh = dz == w.delta ? w.spare : w.delta;
                // dH (r x nIn) = dZ W.
                java.util.Arrays.fill(dh, 0, r * nIn, 0.0);
                Kernels.gemm(r, nIn, nOut, dz, 0, theta, wm.offset(), dh, 0);
                for (int e = 0; e < r * nIn; e++) {
                    dh[e] = h[e] > 0.0 ? dh[e] * scale : 0.0;
                }
                dz = dh;
            }
        }
        return loss;
    }

    /**
     * z[off..off+n) := log softmax, shifted by the maximum so no exp overflows. StrictMath (fdlibm), not Math,
     * whose intrinsics may differ in the last bit between CPUs: the same bits on every executor.
     */
    private static void logSoftmax(double[] z, int off, int n) {
        double max = Double.NEGATIVE_INFINITY;
        for (int j = off; j < off + n; j++) {
            max = Math.max(max, z[j]);
        }
        double sum = 0.0;
        for (int j = off; j < off + n; j++) {
            sum += StrictMath.exp(z[j] - max);
        }
        double lse = max + StrictMath.log(sum);
        for (int j = off; j < off + n; j++) {
            z[j] -= lse;
        }
    }

    private int label(DataBlock b, int row) {
        double y = b.y[row];
        int c = (int) y;
        if (c != y || c < 0 || c >= classes()) {
            throw new IllegalArgumentException("label " + y + " of row " + (b.firstRow + row)
                    + " is not a class index 0.." + (classes() - 1) + "; store the classes as 0..K-1");
        }
        return c;
    }

    private void check(DataBlock b, double[] theta, double[] grad) {
        if (b.cols != layers[0]) {
            throw new IllegalArgumentException("block has " + b.cols + " features per row, the MLP "
                    + Arrays.toString(layers) + " takes " + layers[0]);
        }
        checkTheta(theta);
        if (grad != null && grad.length != theta.length) {
            throw new IllegalArgumentException("gradient has " + grad.length + " entries, theta " + theta.length);
        }
    }

    private void checkTheta(double[] theta) {
        if (theta.length != layout.size()) {
            throw new IllegalArgumentException("theta has " + theta.length + " entries, the MLP "
                    + Arrays.toString(layers) + " has " + layout.size() + " parameters");
        }
    }

    /** One call's buffers, sized for chunks of at most {@code rows} rows. */
    private final class Work {
        final double[][] act;
        final double[] x;
        final double[] keep;
        final double[] delta;
        final double[] spare;

        Work(int rows, boolean gathered) {
            act = new double[layers.length][];
            for (int l = 1; l < layers.length; l++) {
                act[l] = new double[rows * layers[l]];
            }
            x = gathered ? new double[rows * layers[0]] : null;
            keep = gathered && dropout > 0.0 ? new double[rows * hiddenUnits] : null;
            delta = new double[rows * widest];
            spare = new double[rows * widest];
        }
    }
}
