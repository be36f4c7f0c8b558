package org.blora.ml;

import org.apache.spark.ml.param.DoubleParam;
import org.apache.spark.ml.param.IntParam;

/**
 * A held-out share of the rows, scored on every evaluation and never trained on, and what watches its loss: early
 * stopping and the plateau schedule (both need a share > 0).
 */
public interface ValidationParams<S extends ValidationParams<S>> extends BloraParams<S> {
    default DoubleParam validationFraction() {
        return ParamTable.real(this, paramTable(), "validationFraction", "share of the rows held out (each row drawn from "
                + "seed) and scored on every evaluation", 0.0, ParamCheck.between("validationFraction", 0, 1, false));
    }

    default IntParam earlyStopPatience() {
        return ParamTable.integer(this, paramTable(), "earlyStopPatience", "stop after this many evaluations without a "
                + "better validation loss (0 = off; needs validationFraction > 0)", 0,
                ParamCheck.atLeast("earlyStopPatience", 0));
    }

    default IntParam plateauPatience() {
        return ParamTable.integer(this, paramTable(), "plateauPatience", "step size / 10 after this many evaluations "
                + "without a better validation loss (0 = off; needs validationFraction > 0)", 0,
                ParamCheck.atLeast("plateauPatience", 0));
    }

    default double getValidationFraction() {
        return (Double) getOrDefault(validationFraction());
    }

    default S setValidationFraction(double v) {
        return with(validationFraction(), v);
    }

    default S setEarlyStopPatience(int v) {
        return with(earlyStopPatience(), v);
    }

    default S setPlateauPatience(int v) {
        return with(plateauPatience(), v);
    }
}
