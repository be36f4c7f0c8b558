package org.blora.spark.persistent;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.blora.core.oracle.GradientOracle;
import org.blora.core.oracle.Iterate;
import org.blora.core.oracle.OracleRequest;
import org.blora.core.oracle.OracleResult;

/**
 * The clients of one data set of a run (training, validation or test) served by the run's persistent stage
 * ({@link PersistentRounds}): each request is one exchange with the stage's tasks, which run the same client code as
 * a stage-mode task; the per-client results come back in client order, for the caller's reduction.
 */
final class PersistentOracle implements GradientOracle {
    private final PersistentRounds rounds;
    private final int source;
    private final int clients;
    private final long rows;

    PersistentOracle(PersistentRounds rounds, int source, int clients, long rows) {
        this.rounds = rounds;
        this.source = source;
        this.clients = clients;
        this.rows = rows;
    }

    @Override
    public long rows() {
        return rows;
    }

    @Override
    public int clients() {
        return clients;
    }

    @Override
    public List<OracleResult> evaluate(OracleRequest request, Iterate at) {
        return rounds.exchange(source, request, at);
    }

    @Override
    public List<double[]> gramTimesPerClient(double[] v) {
        List<OracleResult> perClient = rounds.exchange(source, OracleRequest.gramTimes(v), null);
        List<double[]> out = new ArrayList<>(perClient.size());
        for (OracleResult r : perClient) {
            out.add(r.gradSum());
        }
        return out;
    }

    @Override
    public List<double[]> clientStates() {
        return source == 0 ? rounds.clientStates() : Collections.nCopies(clients, null);
    }

    @Override
    public void restoreClientStates(List<double[]> states) {
        if (source != 0) {
            throw new IllegalStateException("held-out clients keep no protocol state");
        }
        rounds.restoreClientStates(states);
    }
}
