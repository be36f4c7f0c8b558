package org.blora.config;

/** The paper's post-processing of a generated data set (data.postprocess), applied when it is generated. */
public enum PostProcess implements Choice {
    /** The rows as generated. */
    NONE,
    /** Features and labels standardised: the pre-training data. */
    STANDARDIZE,
    /** Features and labels rescaled to mean 1, standard deviation 2: the fine-tuning data. */
    RESCALE
}
