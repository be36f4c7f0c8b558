package org.blora.data;

import java.io.Serializable;
import java.util.Comparator;

/** Sort key of a row: its client, then its position in the input (file order, line order). */
public record ClientKey(int client, long order) implements Serializable {
    /** Serializable ordering for repartitionAndSortWithinPartitions. */
    public static final class Order implements Comparator<ClientKey>, Serializable {
        private static final long serialVersionUID = 1L;

        @Override
        public int compare(ClientKey a, ClientKey b) {
            int c = Integer.compare(a.client, b.client);
            return c != 0 ? c : Long.compare(a.order, b.order);
        }
    }
}
