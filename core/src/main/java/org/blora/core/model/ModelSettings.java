package org.blora.core.model;

import org.blora.core.linalg.Shape;
import org.blora.core.objective.DataLoss;

/**
 * The settings a {@link ModelKind} builds its model from, each kind reading those that apply to it.
 *
 * @param shape   model.shape: the m x n view of a linear model's theta, or null for the squarest one of the data
 * @param rowLoss model.loss: the per-row loss of a linear model (least squares, LAD or hinge)
 * @param layers  model.layers: an MLP's widths from the input features to the classes
 * @param dropout model.dropout: the rate of training dropout
 * @param seed    run.seed: the stream of training noise
 */
public record ModelSettings(Shape shape, DataLoss rowLoss, int[] layers, double dropout, long seed) {
    public ModelSettings {
        layers = layers == null ? null : layers.clone();
    }

    @Override
    public int[] layers() {
        return layers == null ? null : layers.clone();
    }
}
