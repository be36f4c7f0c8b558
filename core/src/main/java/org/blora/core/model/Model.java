package org.blora.core.model;

import java.io.Serializable;
import java.util.SplittableRandom;
import org.blora.core.objective.DataLoss;

/**
 * A model built by its {@link ModelKind} for data of a given width: the layout of its parameters in theta, the loss
 * the executors evaluate, its default theta0 and its predictions. Serializable: the prediction columns of a
 * DataFrame carry it to the executors.
 */
public interface Model extends Serializable {
    /** The named tensors of theta; the chains adapt its adaptable modules. */
    ModelLayout layout();

    /** Input features per row. */
    int features();

    /** The data loss the executors evaluate (training noise drawn from the settings' seed). */
    DataLoss loss();

    /** theta0 when model.init is empty, drawn from {@code init} (the run's INIT stream) where it is random. */
    double[] defaultTheta(SplittableRandom init);

    /** Whether it predicts classes: then {@link #logProbabilities} and {@link #classes} apply. */
    default boolean classifier() {
        return false;
    }

    /** A regression model's prediction for one row of features; a classifier's predicted class (the first most probable). */
    double predict(double[] theta, double[] x);

    /** A classifier's log P(class | x) for one row, evaluation mode. */
    default double[] logProbabilities(double[] theta, double[] x) {
        throw new UnsupportedOperationException(name() + " is not a classifier");
    }

    /** A classifier's number of classes. */
    default int classes() {
        throw new UnsupportedOperationException(name() + " is not a classifier");
    }

    /** Names the model in a line of output, e.g. "linear model W 8x8" or "MLP [784, 64, 64, 5]". */
    String name();

    /** The training log's description, e.g. "W is 8x8". */
    default String describe() {
        return name() + " (" + layout().size() + " parameters)";
    }

    /** The index of the first largest entry: the predicted class of log-probabilities. */
    static int argmax(double[] v) {
        int best = 0;
        for (int j = 1; j < v.length; j++) {
            if (v[j] > v[best]) {
                best = j;
            }
        }
        return best;
    }
}
