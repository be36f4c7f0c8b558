package org.blora.cli;

import java.util.Map;
import java.util.SplittableRandom;
import org.blora.core.linalg.Shape;
import org.blora.core.model.Model;
import org.blora.core.model.ModelKind;
import org.blora.core.model.ModelLayout;
import org.blora.core.model.ModelSettings;
import org.blora.core.objective.DataBlock;
import org.blora.core.objective.DataLoss;

/**
 * A model added the way docs/ARCHITECTURE.md says, as a test's fixture: y ~ tanh(x . vec(v)), one adaptable matrix
 * {@code v} of the squarest shape of the data, f_i = 1/2 (tanh(x_i . v) - y_i)^2, theta0 zeros. Its kind is
 * registered in this module's test resources, {@code META-INF/services/org.blora.core.model.ModelKind}, and nowhere
 * else; {@link AddedModelTest} trains, scores and applies it.
 */
public final class TanhModel implements Model {
    private static final long serialVersionUID = 1L;

    private final Shape shape;

    TanhModel(Shape shape) {
        this.shape = shape;
    }

    /** model.type=tanh-test. */
    public static final class Kind implements ModelKind {
        @Override
        public String key() {
            return "tanh-test";
        }

        @Override
        public String title() {
            return "the tanh test model";
        }

        @Override
        public Model build(ModelSettings settings, int features) {
            return new TanhModel(Shape.squarest(features));
        }

        @Override
        public Model fromModules(Map<String, int[]> shapes) {
            if (shapes.size() != 1 || !shapes.containsKey("v")) {
                return null;
            }
            return new TanhModel(new Shape(shapes.get("v")[0], shapes.get("v")[1]));
        }

        @Override
        public String modulesHint() {
            return "the tanh test model (v)";
        }
    }

    /** The loss over a block's rows, row after row. */
    static final class Loss implements DataLoss {
        private static final long serialVersionUID = 1L;

        @Override
        public double accumulate(DataBlock b, double[] theta, double[] grad) {
            double loss = 0;
            for (int i = 0; i < b.rows; i++) {
                loss += row(b, i, theta, grad);
            }
            return loss;
        }

        @Override
        public double accumulateRows(DataBlock b, int[] local, int from, int to, double[] theta, double[] grad, long round) {
            double loss = 0;
            for (int k = from; k < to; k++) {
                loss += row(b, local[k], theta, grad);
            }
            return loss;
        }

        private static double row(DataBlock b, int i, double[] v, double[] grad) {
            int off = i * b.cols;
            double z = 0;
            for (int j = 0; j < b.cols; j++) {
                z += b.x[off + j] * v[j];
            }
            double t = Math.tanh(z);
            double r = t - b.y[i];
            double g = r * (1 - t * t);
            for (int j = 0; j < b.cols; j++) {
                grad[j] += g * b.x[off + j];
            }
            return 0.5 * r * r;
        }
    }

    @Override
    public ModelLayout layout() {
        return ModelLayout.single("v", shape.m(), shape.n());
    }

    @Override
    public int features() {
        return shape.size();
    }

    @Override
    public DataLoss loss() {
        return new Loss();
    }

    @Override
    public double[] defaultTheta(SplittableRandom init) {
        return new double[shape.size()];
    }

    @Override
    public double predict(double[] v, double[] x) {
        double z = 0;
        for (int j = 0; j < v.length; j++) {
            z += x[j] * v[j];
        }
        return Math.tanh(z);
    }

    @Override
    public String name() {
        return "tanh test model " + layout();
    }
}
