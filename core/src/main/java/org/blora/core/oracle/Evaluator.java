package org.blora.core.oracle;

import java.util.List;

/**
 * Held-out data (validation or test) scored at theta in evaluation mode on metric rounds: the mean loss and, for
 * classifiers, the accuracy. An oracle over the held-out clients is one (one stage, no gradient sent).
 */
@FunctionalInterface
public interface Evaluator {
    /** Mean loss and accuracy (NaN for regression) at theta. */
    Score score(int round, double[] theta);

    record Score(double loss, double accuracy) {
        public static final Score NONE = new Score(Double.NaN, Double.NaN);
    }

    /** Scores with an oracle's clients: the loss sum and correct rows, reduced in client order, over N rows. */
    static Evaluator of(GradientOracle oracle, boolean classifier) {
        return (round, theta) -> {
            List<OracleResult> perClient = oracle.evaluate(OracleRequest.score(round), new Iterate(round, theta, null, null));
            OracleResult sum = OracleResult.sumInOrder(perClient);
            double n = oracle.rows();
            return new Score(sum.lossSum() / n, classifier ? sum.correct() / n : Double.NaN);
        };
    }
}
