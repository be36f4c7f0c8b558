package org.blora.config;

/** model.type: which model the chains adapt. */
public enum ModelType implements Choice {
    /** Least squares on one weight matrix W (the paper's linear regression; model.shape views theta as W). */
    LINEAR,
    /** A classifier: Linear layers with ReLU and dropout, log-softmax and NLL (the paper's MNIST MLP). */
    MLP
}
