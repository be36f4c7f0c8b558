package org.blora.data;

import org.apache.spark.Partitioner;

/** Partition p holds exactly the rows of client p: one partition = one federated client. */
public final class ClientPartitioner extends Partitioner {
    private static final long serialVersionUID = 1L;
    private final int clients;

    public ClientPartitioner(int clients) {
        this.clients = clients;
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
