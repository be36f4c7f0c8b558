package org.blora.core.oracle;

import java.util.ArrayList;
import java.util.List;
import org.blora.core.objective.DataBlock;
import org.blora.core.objective.DataLoss;

/**
 * The clients in this JVM, evaluated one after another, each keeping its own protocol state: the reference the
 * Spark oracle must equal.
 */
public final class LocalOracle implements GradientOracle {
    private final List<List<DataBlock>> clients;
    private final DataLoss loss;
    private final int d;
    private final long rows;
    private final double[][] states;

    public LocalOracle(List<List<DataBlock>> clients, DataLoss loss) {
        this.clients = clients;
        this.loss = loss;
        this.d = loss.parameters(clients.get(0).get(0).cols);
        long n = 0;
        for (List<DataBlock> c : clients) {
            for (DataBlock b : c) {
                n += b.rows;
            }
        }
        this.rows = n;
        this.states = new double[clients.size()][];
    }

    @Override
    public long rows() {
        return rows;
    }

    @Override
    public int clients() {
        return clients.size();
    }

    @Override
    public List<OracleResult> evaluate(OracleRequest request, Iterate at) {
        List<OracleResult> perClient = new ArrayList<>();
        for (int c = 0; c < clients.size(); c++) {
            ClientOutput o = ClientCompute.evaluate(request, c, clients.get(c), loss, at.w(), at.wPrev(), d, states[c]);
            states[c] = o.state();
            perClient.add(o.result());
        }
        return perClient;
    }

    @Override
    public List<double[]> clientStates() {
        List<double[]> out = new ArrayList<>();
        for (double[] s : states) {
            out.add(s == null ? null : s.clone());
        }
        return out;
    }

    @Override
    public void restoreClientStates(List<double[]> restored) {
        if (restored.size() != states.length) {
            throw new IllegalArgumentException("client states of " + restored.size() + " clients for " + states.length);
        }
        for (int c = 0; c < states.length; c++) {
            states[c] = restored.get(c) == null ? null : restored.get(c).clone();
        }
    }

    @Override
    public List<double[]> gramTimesPerClient(double[] v) {
        List<double[]> perClient = new ArrayList<>();
        for (List<DataBlock> c : clients) {
            double[] g = new double[d];
            for (DataBlock b : c) {
                loss.addGramTimes(b, v, g);
            }
            perClient.add(g);
        }
        return perClient;
    }

    /** Rows of every client, in client order. */
    public long[] clientRows() {
        long[] out = new long[clients.size()];
        for (int c = 0; c < out.length; c++) {
            for (DataBlock b : clients.get(c)) {
                out[c] += b.rows;
            }
        }
        return out;
    }
}
