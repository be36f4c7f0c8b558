package org.blora.core.model;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.blora.core.objective.DataLoss;

/**
 * The MNIST experiments' classifier as a model: the {@link Mlp} of model.layers (its loss, with model.dropout in
 * training minibatches), PyTorch's default initialisation as theta0, and class log-probabilities in evaluation mode.
 */
public final class MlpModel implements Model {
    private static final long serialVersionUID = 1L;

    private final Mlp net;
    private final int[] layers;

    public MlpModel(int[] layers, double dropout, long seed) {
        this.net = new Mlp(layers, dropout, seed);
        this.layers = layers.clone();
    }

    /** model.type=mlp. */
    public static final class Kind implements ModelKind {
        @Override
        public String key() {
            return "mlp";
        }

        @Override
        public String title() {
            return "the MLP";
        }

        @Override
        public boolean classifier() {
            return true;
        }

        @Override
        public boolean takesDropout() {
            return true;
        }

        @Override
        public Model build(ModelSettings s, int features) {
            MlpModel m = new MlpModel(s.layers(), s.dropout(), s.seed());
            m.net.parameters(features);
            return m;
        }

        /** l1, l1.bias, l2, ...: the widths from l1's inputs through every layer's outputs. */
        @Override
        public Model fromModules(Map<String, int[]> shapes) {
            List<Integer> widths = new ArrayList<>();
            for (int k = 1; shapes.containsKey("l" + k); k++) {
                int[] w = shapes.get("l" + k);
                if (k == 1) {
                    widths.add(w[1]);
                } else if (w[1] != widths.get(k - 1)) {
                    throw new IllegalArgumentException("l" + k + " takes " + w[1] + " inputs but l" + (k - 1)
                            + " gives " + widths.get(k - 1));
                }
                widths.add(w[0]);
            }
            return widths.isEmpty() ? null : new MlpModel(widths.stream().mapToInt(Integer::intValue).toArray(), 0.0, 0L);
        }

        @Override
        public String modulesHint() {
            return "an MLP (l1, l1.bias, l2, ...)";
        }
    }

    /** The widths, inputs to classes. */
    public int[] layers() {
        return layers.clone();
    }

    @Override
    public ModelLayout layout() {
        return net.layout();
    }

    @Override
    public int features() {
        return layers[0];
    }

    @Override
    public DataLoss loss() {
        return net;
    }

    /** PyTorch's default nn.Linear initialisation ({@link Mlp#init}). */
    @Override
    public double[] defaultTheta(SplittableRandom init) {
        return Mlp.init(net.layout(), init);
    }

    @Override
    public boolean classifier() {
        return true;
    }

    @Override
    public double predict(double[] theta, double[] x) {
        return Model.argmax(logProbabilities(theta, x));
    }

    @Override
    public double[] logProbabilities(double[] theta, double[] x) {
        return net.logProbabilities(theta, x);
    }

    @Override
    public int classes() {
        return net.classes();
    }

    @Override
    public String name() {
        return "MLP " + Arrays.toString(layers);
    }

    @Override
    public String describe() {
        return "MLP " + layout() + " (" + layout().size() + " parameters)";
    }
}
