package org.blora.spark;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.blora.core.objective.DataBlock;
import org.blora.core.objective.DataLoss;
import org.blora.core.objective.RowNorms;
import org.blora.core.train.SmoothnessEstimate;

/**
 * One stage over the clients' cached blocks for the smoothness constants of the stochastic and federated
 * theorems: each client's {@link RowNorms} and, when asked, its own ||X_lᵀX_l / N_l||_2 by Lanczos on its rows in
 * memory ({@link SmoothnessEstimate#clientGramNorm}, start vector from (seed, client)). Partition l holds client
 * l; the results come back in client order and every number is computed in row order, so the bits do not depend
 * on the executor.
 */
public final class ClientSmoothness {
    /** Client l's row norms and ||X_lᵀX_l / N_l||_2 (NaN when not computed). */
    public record Client(RowNorms rows, double gramNorm) implements java.io.Serializable {
    }

    private ClientSmoothness() {
    }

    public static List<Client> of(JavaRDD<DataBlock> blocks, DataLoss loss, int d, long seed, double relTol,
                                  boolean gramNorms) {
        blocks.context().setJobDescription(gramNorms ? "smoothness constants per client (Lanczos)" : "row norms");
        return blocks.mapPartitionsWithIndex((client, it) -> {
            List<DataBlock> mine = new ArrayList<>();
            it.forEachRemaining(mine::add);
            double gram = gramNorms ? SmoothnessEstimate.clientGramNorm(mine, loss, d, seed, client, relTol).value()
                    : Double.NaN;
            return List.of(new Client(RowNorms.of(mine), gram)).iterator();
        }, true).collect();
    }
}
