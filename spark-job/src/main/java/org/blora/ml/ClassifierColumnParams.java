package org.blora.ml;

import org.apache.spark.ml.param.Param;

/** The classifier's extra output columns, shared by the estimator and its model; an empty name leaves one out. */
public interface ClassifierColumnParams<S extends ClassifierColumnParams<S>> extends BloraParams<S> {
    default Param<String> probabilityCol() {
        return ParamTable.string(this, paramTable(), "probabilityCol", "class probabilities column (a vector; empty = none)",
                "probability", ParamCheck.any("probabilityCol"));
    }

    default Param<String> rawPredictionCol() {
        return ParamTable.string(this, paramTable(), "rawPredictionCol",
                "class log-probabilities column (a vector; empty = none)",
                "rawPrediction", ParamCheck.any("rawPredictionCol"));
    }

    default S setProbabilityCol(String v) {
        return with(probabilityCol(), v);
    }

    default S setRawPredictionCol(String v) {
        return with(rawPredictionCol(), v);
    }
}
