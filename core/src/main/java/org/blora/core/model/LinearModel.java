package org.blora.core.model;

import java.util.Map;
import java.util.SplittableRandom;
import org.blora.core.linalg.Shape;
import org.blora.core.objective.DataLoss;
import org.blora.core.objective.LeastSquares;

/**
 * The paper's linear model (Bernoulli-LoRA, arXiv 2508.03820, section 7.1): theta is one adaptable matrix W of
 * model.shape (m x n = d, row-major), the prediction x . vec(W), the per-row loss model.loss (least squares by
 * default), theta0 zeros.
 */
public final class LinearModel implements Model {
    private static final long serialVersionUID = 1L;

    private final Shape shape;
    private final DataLoss rowLoss;

    public LinearModel(Shape shape, DataLoss rowLoss) {
        this.shape = shape;
        this.rowLoss = rowLoss;
    }

    /** model.type=linear. */
    public static final class Kind implements ModelKind {
        @Override
        public String key() {
            return "linear";
        }

        @Override
        public String title() {
            return "the linear model";
        }

        @Override
        public boolean linear() {
            return true;
        }

        @Override
        public Model build(ModelSettings s, int features) {
            Shape shape = s.shape() == null ? Shape.squarest(features) : s.shape();
            if (shape.size() != features) {
                throw new IllegalArgumentException("model.shape=" + shape + " has " + shape.size() + " entries but the data has "
                        + features + " features (set model.shape=MxN with M*N=" + features + ")");
            }
            return new LinearModel(shape, s.rowLoss() == null ? new LeastSquares() : s.rowLoss());
        }

        @Override
        public Model fromModules(Map<String, int[]> shapes) {
            if (shapes.size() != 1 || !shapes.containsKey("W")) {
                return null;
            }
            int[] w = shapes.get("W");
            return new LinearModel(new Shape(w[0], w[1]), new LeastSquares());
        }

        @Override
        public String modulesHint() {
            return "the linear model (W)";
        }
    }

    @Override
    public ModelLayout layout() {
        return ModelLayout.single("W", shape.m(), shape.n());
    }

    @Override
    public int features() {
        return shape.size();
    }

    @Override
    public DataLoss loss() {
        return rowLoss;
    }

    @Override
    public double[] defaultTheta(SplittableRandom init) {
        return new double[shape.size()];
    }

    /** x . vec(W), summed in feature order; the features must have W's length. */
    @Override
    public double predict(double[] w, double[] x) {
        if (x.length != w.length) {
            throw new IllegalArgumentException("the features have " + x.length + " entries but W has " + w.length);
        }
        double s = 0;
        for (int j = 0; j < w.length; j++) {
            s += x[j] * w[j];
        }
        return s;
    }

    @Override
    public String name() {
        return "linear model " + layout();
    }

    @Override
    public String describe() {
        return "W is " + shape.m() + "x" + shape.n();
    }
}
