package org.blora.core.oracle;

import java.io.Serializable;
import java.util.List;
import org.blora.core.compress.CompressedMessage;
import org.blora.core.linalg.Dense;

/**
 * What one client returns for a request: unnormalised sums over its rows of the data term (the driver divides by
 * N or the batch size and adds the regulariser), its protocol message, its sketch-first projection, and the bits
 * it sent for the algorithm (diagnostics such as metric-only gradients are not counted). Immutable once built
 * ({@link Builder}); the arrays are the result's own, so a caller that changes one copies it first.
 */
public final class OracleResult implements Serializable {
    private static final long serialVersionUID = 2L;

    private final double lossSum;
    private final double[] gradSum;
    private final double[] batchGradSum;
    private final double[] batchPrevGradSum;
    private final CompressedMessage message;
    private final double[] projected;
    private final long uplinkBits;
    private final double correct;

    private OracleResult(Builder b) {
        lossSum = b.lossSum;
        gradSum = b.gradSum;
        batchGradSum = b.batchGradSum;
        batchPrevGradSum = b.batchPrevGradSum;
        message = b.message;
        projected = b.projected;
        uplinkBits = b.uplinkBits;
        correct = b.correct;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The sum of the data term's values over the rows. */
    public double lossSum() {
        return lossSum;
    }

    /** The sum of the full data gradient over the rows, or null when the request did not ask for it. */
    public double[] gradSum() {
        return gradSum;
    }

    /** The minibatch gradient's sum at W_t, or null. */
    public double[] batchGradSum() {
        return batchGradSum;
    }

    /** The minibatch gradient's sum at W_{t-1} (PAGE, MVR), or null. */
    public double[] batchPrevGradSum() {
        return batchPrevGradSum;
    }

    /** The protocol's compressed message, or null. */
    public CompressedMessage message() {
        return message;
    }

    /** The sketch-first projection of the gradient's sum, or null. */
    public double[] projected() {
        return projected;
    }

    public long uplinkBits() {
        return uplinkBits;
    }

    /**
     * Rows predicted correctly (classifiers, on full and score requests); a count, weighted like the sums when the
     * clients are weighted uniformly ({@link ClientWeighting}).
     */
    public double correct() {
        return correct;
    }

    /**
     * Sums per-client results in client order: the one reduction used by every oracle (local and Spark), so a
     * distributed round and the local fold agree to the last bit. The sums are new arrays.
     */
    public static OracleResult sumInOrder(List<OracleResult> perClient) {
        Builder total = new Builder();
        for (OracleResult r : perClient) {
            total.lossSum += r.lossSum;
            total.gradSum = add(total.gradSum, r.gradSum);
            total.batchGradSum = add(total.batchGradSum, r.batchGradSum);
            total.batchPrevGradSum = add(total.batchPrevGradSum, r.batchPrevGradSum);
            total.projected = add(total.projected, r.projected);
            total.uplinkBits += r.uplinkBits;
            total.correct += r.correct;
        }
        return total.build();
    }

    private static double[] add(double[] acc, double[] x) {
        if (x == null) {
            return acc;
        }
        if (acc == null) {
            return x.clone();
        }
        Dense.axpy(1.0, x, acc);
        return acc;
    }

    /** The parts of a result, set or accumulated one by one; {@link #build} hands the arrays over. */
    public static final class Builder {
        private double lossSum;
        private double[] gradSum;
        private double[] batchGradSum;
        private double[] batchPrevGradSum;
        private CompressedMessage message;
        private double[] projected;
        private long uplinkBits;
        private double correct;

        private Builder() {
        }

        public Builder lossSum(double v) {
            lossSum = v;
            return this;
        }

        /** Adds to the loss sum (a block's part). */
        public Builder addLoss(double v) {
            lossSum += v;
            return this;
        }

        public Builder gradSum(double[] v) {
            gradSum = v;
            return this;
        }

        public Builder batchGradSum(double[] v) {
            batchGradSum = v;
            return this;
        }

        public Builder batchPrevGradSum(double[] v) {
            batchPrevGradSum = v;
            return this;
        }

        public Builder message(CompressedMessage v) {
            message = v;
            return this;
        }

        public Builder projected(double[] v) {
            projected = v;
            return this;
        }

        public Builder uplinkBits(long v) {
            uplinkBits = v;
            return this;
        }

        public Builder correct(double v) {
            correct = v;
            return this;
        }

        /** Adds to the count of rows predicted correctly (a block's part). */
        public Builder addCorrect(double v) {
            correct += v;
            return this;
        }

        public OracleResult build() {
            return new OracleResult(this);
        }
    }
}
