package org.blora.core.model;

import java.util.Map;

/**
 * A kind of model, the value of model.type: how to build the model from its settings and the data's width, and how
 * to recognise it from the modules of a saved adapter. This is the extension point for a new model: a class
 * implementing it (with a public no-argument constructor) and one line naming that class in
 * {@code META-INF/services/org.blora.core.model.ModelKind}; {@link ModelKinds} finds it there, and training,
 * scoring, {@code apply}, the adapter reader and the Spark ML models then work through the {@link Model} it builds.
 *
 * <p>The three properties say which parts of the configuration apply to the kind; they are read before any data
 * are.
 */
public interface ModelKind {
    /** The model.type value that names this kind (lower case). */
    String key();

    /** How messages name the kind, e.g. "the MLP". */
    String title();

    /**
     * The model for these settings on data with {@code features} columns. An IllegalArgumentException names the
     * setting that does not fit the data, and the fix.
     */
    Model build(ModelSettings settings, int features);

    /**
     * The model whose merged modules have these shapes (name to {rows, cols}, a bias {rows, 1}), for prediction, or
     * null when the names are not this kind's. An IllegalArgumentException says why modules of this kind's names do
     * not fit together.
     */
    Model fromModules(Map<String, int[]> shapes);

    /** What {@link #fromModules} looks for, for a message listing the kinds: e.g. "an MLP (l1, l1.bias, l2, ...)". */
    String modulesHint();

    /** Whether labels are class indices (accuracy, held-out scores, MNIST data, the classifier's pre-training). */
    default boolean classifier() {
        return false;
    }

    /**
     * Whether the model is linear in the features, x . vec(W) with W model.shape's view of theta: the paper's model, to
     * which model.loss, the Gram-norm smoothness (reg.lambda=auto, optim.step.rule=theory), the theorems and the
     * sketch-first variant apply.
     */
    default boolean linear() {
        return false;
    }

    /** Whether model.dropout applies (training minibatches draw dropout masks). */
    default boolean takesDropout() {
        return false;
    }
}
