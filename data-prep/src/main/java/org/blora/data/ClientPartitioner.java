package org.blora.data;

import java.util.Iterator;
import org.apache.spark.Partitioner;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import org.blora.core.objective.DataBlock;

/** Partition p holds exactly the rows of client p: one partition = one federated client. */
public final class ClientPartitioner extends Partitioner {
    private static final long serialVersionUID = 1L;
    private final int clients;

    public ClientPartitioner(int clients) {
        this.clients = clients;
    }

    /**
     * Rows keyed by (client, order) as the clients' blocks: sorted into exactly {@code clients} partitions and
     * packed, client c's rows numbered from {@code first[c]} on. The one layout step of every reader.
     */
    public static JavaRDD<DataBlock> sortAndPack(JavaPairRDD<ClientKey, LabeledRow> keyed, int clients, long[] first,
                                                 int features, long blockBytes) {
        return keyed.repartitionAndSortWithinPartitions(new ClientPartitioner(clients), new ClientKey.Order())
                .mapPartitionsWithIndex((c, it) -> Blocks.pack(c, first[c], new Iterator<LabeledRow>() {
                    @Override
                    public boolean hasNext() {
                        return it.hasNext();
                    }

                    @Override
                    public LabeledRow next() {
                        return it.next()._2();
                    }
                }, features, blockBytes).iterator(), true);
    }

    /** first[c] for N rows spread as row i on client floor(i M / N): ceil(c N / M). */
    public static long[] evenFirstRows(long n, int clients) {
        long[] first = new long[clients + 1];
        for (int c = 0; c <= clients; c++) {
            first[c] = (c * n + clients - 1) / clients;
        }
        return first;
    }

    @Override
    public int numPartitions() {
        return clients;
    }

    @Override
    public int getPartition(Object key) {
        return ((ClientKey) key).client();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ClientPartitioner p && p.clients == clients;
    }

    @Override
    public int hashCode() {
        return clients;
    }
}
