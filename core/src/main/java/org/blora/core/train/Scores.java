package org.blora.core.train;

/**
 * The classifier columns of a metrics row: accuracy on the training clients (from the metric round's full pass)
 * and loss and accuracy on the validation and test data; NaN where not evaluated.
 */
public record Scores(double accuracy, double valLoss, double valAccuracy, double testLoss, double testAccuracy) {
    public static final Scores NONE = new Scores(Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN);
}
