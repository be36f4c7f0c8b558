package org.blora.core.oracle;

import java.util.ArrayList;
import java.util.List;
import org.blora.core.compress.ScaledMessage;
import org.blora.core.linalg.Dense;

/**
 * An oracle whose client l returns its sums multiplied by a fixed factor ω_l ({@link ClientWeighting}): the loss,
 * the full, minibatch and projected gradients, the correct-prediction count, the Gram products, and its protocol
 * message (decoded times ω_l on the server, which knows the row counts: no bits on the wire). The clients' own
 * protocol state (MARINA's last gradient, EF21's g_l) stays unweighted: only the server's view is scaled, and the
 * server's running G is then the weighted sum of the g_l.
 */
public final class WeightedOracle implements GradientOracle {
    private final GradientOracle inner;
    private final double[] factors;

    WeightedOracle(GradientOracle inner, double[] factors) {
        this.inner = inner;
        this.factors = factors.clone();
    }

    @Override
    public long rows() {
        return inner.rows();
    }

    @Override
    public int clients() {
        return inner.clients();
    }

    @Override
    public List<OracleResult> evaluate(OracleRequest request, Iterate at) {
        List<OracleResult> raw = inner.evaluate(request, at);
        List<OracleResult> out = new ArrayList<>(raw.size());
        for (int l = 0; l < raw.size(); l++) {
            out.add(scaled(raw.get(l), factors[l]));
        }
        return out;
    }

    private static OracleResult scaled(OracleResult r, double w) {
        OracleResult s = OracleResult.builder()
                .lossSum(w * r.lossSum())
                .gradSum(times(w, r.gradSum()))
                .batchGradSum(times(w, r.batchGradSum()))
                .batchPrevGradSum(times(w, r.batchPrevGradSum()))
                .projected(times(w, r.projected()))
                .message(r.message() == null ? null : ScaledMessage.of(r.message(), w))
                .uplinkBits(r.uplinkBits())
                .correct(w * r.correct())
                .build();
        return s;
    }

    private static double[] times(double w, double[] x) {
        if (x == null) {
            return null;
        }
        double[] y = x.clone();
        Dense.scale(w, y);
        return y;
    }

    @Override
    public List<double[]> gramTimesPerClient(double[] v) {
        List<double[]> raw = inner.gramTimesPerClient(v);
        List<double[]> out = new ArrayList<>(raw.size());
        for (int l = 0; l < raw.size(); l++) {
            out.add(times(factors[l], raw.get(l)));
        }
        return out;
    }

    @Override
    public List<double[]> clientStates() {
        return inner.clientStates();
    }

    @Override
    public void restoreClientStates(List<double[]> states) {
        inner.restoreClientStates(states);
    }
}
