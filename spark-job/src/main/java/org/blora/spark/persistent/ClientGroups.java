package org.blora.spark.persistent;

import java.io.Serializable;

/**
 * Which task of the persistent stage serves which clients: client c of a data set with M clients goes to task
 * floor(c T / M), so every task serves a contiguous range of clients in client order, and the tasks' loads differ by
 * at most one client (the key of the shuffle that brings each client's blocks to its task).
 */
final class ClientGroups implements Serializable {
    private static final long serialVersionUID = 1L;

    /** Per data set, per client: its task. */
    private final int[][] owner;
    private final int tasks;

    ClientGroups(int[] clientsPerSource, int tasks) {
        this.tasks = tasks;
        this.owner = new int[clientsPerSource.length][];
        for (int s = 0; s < clientsPerSource.length; s++) {
            int m = clientsPerSource[s];
            owner[s] = new int[m];
            for (int c = 0; c < m; c++) {
                owner[s][c] = (int) ((long) c * tasks / m);
            }
        }
    }

    int tasks() {
        return tasks;
    }

    int owner(int source, int client) {
        return owner[source][client];
    }

    int clients(int source) {
        return owner[source].length;
    }

    int sources() {
        return owner.length;
    }
}
