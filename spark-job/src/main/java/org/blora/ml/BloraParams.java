package org.blora.ml;

import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.Params;

/**
 * The root of the Params interfaces every estimator and model here shares, in the style of MLlib's HasX traits:
 * each Param is declared once, in a default method, with its doc, default and validator; a stage gets its Params
 * by implementing the interfaces. {@code S} is the stage's own type, which the setters return.
 */
public interface BloraParams<S extends BloraParams<S>> extends Params {
    /** The stage's own Param objects (see {@link ParamTable}); not a Param itself. */
    ParamTable paramTable();

    @SuppressWarnings("unchecked")
    private S self() {
        return (S) this;
    }

    /** Sets {@code param} and returns this stage: what every typed setter does. */
    default S with(Param<?> param, Object value) {
        set(param.name(), value);
        return self();
    }

    default Param<String> featuresCol() {
        return ParamTable.string(this, paramTable(), "featuresCol", "features column (a vector)", "features",
                ParamCheck.that("featuresCol", "a column name", v -> !((String) v).isEmpty()));
    }

    default Param<String> predictionCol() {
        return ParamTable.string(this, paramTable(), "predictionCol", "prediction column (a double)", "prediction",
                ParamCheck.that("predictionCol", "a column name", v -> !((String) v).isEmpty()));
    }

    default String getFeaturesCol() {
        return getOrDefault(featuresCol());
    }

    default String getPredictionCol() {
        return getOrDefault(predictionCol());
    }

    default S setFeaturesCol(String v) {
        return with(featuresCol(), v);
    }

    default S setPredictionCol(String v) {
        return with(predictionCol(), v);
    }
}
