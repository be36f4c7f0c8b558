package org.blora.data;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.blora.core.objective.DataBlock;

/**
 * Packs one client's rows into contiguous row-major blocks of at most {@code maxRows} rows each (the bound that
 * keeps a cached block small enough to spill with MEMORY_AND_DISK).
 */
public final class Blocks {
    /** Default bound on one block: 128 MB of features. */
    public static final long DEFAULT_BLOCK_BYTES = 128L << 20;

    private Blocks() {
    }

    public static int maxRows(int features, long blockBytes) {
        return (int) Math.max(1, Math.min(Integer.MAX_VALUE / Math.max(1, features), blockBytes / (8L * features)));
    }

    /**
     * Blocks of one client; global row numbers start at firstRow. {@code features} < 0 takes the count from the
     * first row; every row must agree.
     */
    public static List<DataBlock> pack(int client, long firstRow, Iterator<LabeledRow> rows, int features, long blockBytes) {
        List<DataBlock> out = new ArrayList<>();
        List<LabeledRow> pending = new ArrayList<>();
        long next = firstRow;
        int maxRows = features > 0 ? maxRows(features, blockBytes) : 0;
        while (rows.hasNext()) {
            LabeledRow r = rows.next();
            if (features < 0) {
                features = r.features().length;
                maxRows = maxRows(features, blockBytes);
            }
            if (r.features().length != features) {
                throw new DataException(r.origin() + ": has " + r.features().length + " features, expected " + features
                        + " (every row must have the same feature count; check model.shape and the data)");
            }
            pending.add(r);
            if (pending.size() == maxRows) {
                out.add(block(client, next, pending, features));
                next += pending.size();
                pending.clear();
            }
        }
        if (!pending.isEmpty()) {
            out.add(block(client, next, pending, features));
        }
        return out;
    }

    private static DataBlock block(int client, long first, List<LabeledRow> rows, int d) {
        double[] x = new double[rows.size() * d];
        double[] y = new double[rows.size()];
        for (int i = 0; i < rows.size(); i++) {
            LabeledRow r = rows.get(i);
            checkFinite(r.origin(), r.label(), r.features(), d);
            System.arraycopy(r.features(), 0, x, i * d, d);
            y[i] = r.label();
        }
        return new DataBlock(client, first, rows.size(), d, x, y);
    }

    /** Rejects a row whose label or first {@code d} features are NaN or infinite, naming where it is. */
    static void checkFinite(String where, double label, double[] x, int d) {
        if (!Double.isFinite(label)) {
            throw new DataException(where + ": label is " + label + " (NaN/Inf not allowed; clean the data)");
        }
        for (int j = 0; j < d; j++) {
            if (!Double.isFinite(x[j])) {
                throw new DataException(where + ": feature " + (j + 1) + " is " + x[j]
                        + " (NaN/Inf not allowed; clean the data)");
            }
        }
    }
}
