package org.blora.core.estimator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.blora.core.compress.RandK;
import org.blora.core.compress.TopK;
import org.blora.core.federated.Ef21;
import org.blora.core.federated.FedRound;
import org.blora.core.federated.Marina;
import org.blora.core.federated.Protocol;
import org.blora.core.linalg.Dense;
import org.blora.core.oracle.OracleResult;
import org.junit.jupiter.api.Test;

/**
 * The G_0 of the EF21 bound as the server measures it at round 0: (1/M) sum_l ||G_l^0 - grad f_l(W_0)||^2 with
 * f_l = (M/N) h_l + lambda R, i.e. (M/N^2) sum_l ||C(s_l) - s_l||^2; MARINA's round 0 is exact.
 */
class InitialClientErrorTest {
    private static final int M = 3;
    private static final int D = 20;
    private static final long N = 90;

    private static double measure(Protocol protocol, double[][] s) {
        FederatedEstimator est = new FederatedEstimator(protocol, 5, M, D);
        FedRound r = est.plan(0).fed();
        List<OracleResult> perClient = new ArrayList<>();
        for (int l = 0; l < M; l++) {
            OracleResult o = OracleResult.builder().gradSum(s[l].clone())
                    .message(protocol.clientStep(r, l, s[l], null).message()).build();
            perClient.add(o);
        }
        est.estimate(0, new Gradients(null, null, null, perClient, new double[D], N));
        return est.initialClientError();
    }

    @Test
    void ef21MeasuresTheCompressionErrorOfRoundZeroAndMarinaStartsExact() {
        SplittableRandom rng = new SplittableRandom(1);
        double[][] s = new double[M][D];
        for (double[] v : s) {
            for (int j = 0; j < D; j++) {
                v[j] = rng.nextGaussian();
            }
        }
        TopK topk = new TopK(0.25);
        double expected = 0;
        for (double[] v : s) {
            double[] e = new double[D];
            topk.compress(v, null).addTo(e, 1.0);
            expected += Dense.normSq(Dense.minus(e, v));
        }
        expected *= (double) M / ((double) N * N);
        assertTrue(expected > 0);
        assertEquals(expected, measure(new Ef21(topk, 1.0), s), 1e-15);
        assertEquals(0.0, measure(new Marina(new RandK(0.25), 0.1, 1.0), s), 0.0);
    }
}
