package org.blora.data;

import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.stream.IntStream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.parquet.column.statistics.Statistics;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.metadata.BlockMetaData;
import org.apache.parquet.hadoop.metadata.ColumnChunkMetaData;
import org.apache.parquet.hadoop.metadata.ColumnPath;
import org.apache.parquet.hadoop.util.HadoopInputFile;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.util.SerializableConfiguration;
import org.blora.core.objective.DataBlock;

/**
 * Parquet into one partition per client, without a shuffle. The driver plans from the file footers alone which
 * row groups (or row ranges of them) each client reads: with a {@code client} column, a row group whose
 * statistics say it holds one client goes to that client whole (prep-regression writes one client per file,
 * so this is every row group), and only row groups that mix clients are read twice, once to count and once
 * filtered; without one, row i of the input order goes to client ⌊i M / N⌋. Each executor then
 * decodes its client's row groups column by column into bounded contiguous blocks, lazily, so a client larger
 * than memory streams into MEMORY_AND_DISK block by block.
 *
 * <p>Row order within a client is the input order: files sorted by name, then row groups, then rows.
 */
final class ParquetClients {
    /**
     * With this JVM system property set to true on the driver, array&lt;double&gt; features are decoded value by
     * value through Parquet's ColumnReader instead of {@link ParquetDoublePages} (same bits; for bench/load.sh,
     * which times both).
     */
    static final String VALUE_READER = "blora.parquet.valueReader";

    private ParquetClients() {
    }

    /** Rows [from, to) of one row group; {@code filtered}: keep only the rows of the reading client. */
    record Piece(String file, int rowGroup, long from, long to, boolean filtered) implements Serializable {
    }

    /** A row group as the footer describes it: its rows and the range of its client ids (if known). */
    private record Group(String file, int index, long rows, long minClient, long maxClient) {
        boolean oneClient() {
            return minClient == maxClient;
        }
    }

    /** Client ids of a row group without statistics: unknown, so it is counted and read filtered. */
    private static final long UNKNOWN = -1;

    static JavaRDD<DataBlock> read(JavaSparkContext sc, List<String> files, int clients, int features,
                                   long blockBytes) {
        Configuration conf = sc.hadoopConfiguration();
        ParquetColumns columns = null;
        List<Group> groups = new ArrayList<>();
        for (String f : files) {
            try (ParquetFileReader r = ParquetFileReader.open(HadoopInputFile.fromPath(new Path(f), conf))) {
                ParquetColumns c = ParquetColumns.of(r.getFooter().getFileMetaData().getSchema(), f);
                if (columns == null) {
                    columns = c;
                } else if (columns.hasClient() != c.hasClient() || columns.mlVector() != c.mlVector()) {
                    throw new DataException("data.path: " + f + " has other columns than " + files.get(0)
                            + " (every file of a data set needs the same schema)");
                }
                List<BlockMetaData> blocks = r.getRowGroups();
                for (int g = 0; g < blocks.size(); g++) {
                    groups.add(group(f, g, blocks.get(g), c, clients));
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        long[] counts = new long[clients];
        List<List<Piece>> pieces = columns.hasClient()
                ? byClientColumn(sc, groups, columns, clients, counts)
                : byRange(groups, clients, counts);
        long[] first = new long[clients];
        for (int c = 0; c < clients; c++) {
            if (counts[c] == 0) {
                throw new DataException("client " + c + " has no rows (lower clients, or re-split the data)");
            }
            first[c] = c == 0 ? 0 : first[c - 1] + counts[c - 1];
        }
        // The plan (with the Hadoop configuration, tens of KB) travels once, as a broadcast: a closure holding it
        // would ship it inside every training round's task binary, since the cached RDD keeps its closure.
        Broadcast<Plan> plan = sc.broadcast(new Plan(new SerializableConfiguration(conf), columns, pieces, first, counts,
                !Boolean.getBoolean(VALUE_READER)));
        return sc.parallelize(IntStream.range(0, clients).boxed().toList(), clients)
                .mapPartitionsWithIndex((c, ignored) -> plan.value().blocks(c, features, blockBytes), true);
    }

    /** What every client reads: its pieces, its first global row number and its row count. */
    private record Plan(SerializableConfiguration hadoop, ParquetColumns columns, List<List<Piece>> pieces, long[] first,
                        long[] counts, boolean pageDecoder) implements Serializable {
        Iterator<DataBlock> blocks(int client, int features, long blockBytes) {
            return new ClientBlocks(hadoop.value(), columns, client, pieces.get(client), first[client], counts[client],
                    features, blockBytes, pageDecoder);
        }
    }

    private static Group group(String file, int index, BlockMetaData block, ParquetColumns columns, int clients) {
        long lo = 0;
        long hi = 0;
        if (columns.hasClient()) {
            lo = UNKNOWN;
            ColumnPath path = ColumnPath.get(columns.client());
            for (ColumnChunkMetaData chunk : block.getColumns()) {
                Statistics<?> s = chunk.getPath().equals(path) ? chunk.getStatistics() : null;
                if (s != null && s.hasNonNullValue()) {
                    lo = ((Number) s.genericGetMin()).longValue();
                    hi = ((Number) s.genericGetMax()).longValue();
                    long bad = lo < 0 ? lo : hi;
                    if (lo < 0 || hi >= clients) {
                        throw badClient(bad, clients);
                    }
                }
            }
        }
        return new Group(file, index, block.getRowCount(), lo, hi);
    }

    static DataException badClient(long id, int clients) {
        return new DataException("data.path: a row has client id " + id + " but clients=" + clients
                + " (set clients to the number of clients the data was split for)");
    }

    /** Whole row groups per client; row groups mixing clients are counted by one small job, then read filtered. */
    private static List<List<Piece>> byClientColumn(JavaSparkContext sc, List<Group> groups, ParquetColumns columns,
                                                    int clients, long[] counts) {
        List<Piece> mixed = new ArrayList<>();
        for (Group g : groups) {
            if (!g.oneClient()) {
                mixed.add(new Piece(g.file(), g.index(), 0, g.rows(), true));
            }
        }
        List<long[]> mixedCounts = List.of();
        if (!mixed.isEmpty()) {
            SerializableConfiguration hadoop = new SerializableConfiguration(sc.hadoopConfiguration());
            sc.setJobDescription("count client rows in " + mixed.size() + " mixed row groups");
            mixedCounts = sc.parallelize(mixed, Math.min(mixed.size(), sc.defaultParallelism()))
                    .map(p -> countClients(hadoop.value(), columns, p, clients)).collect();
        }
        List<List<Piece>> out = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            out.add(new ArrayList<>());
        }
        int m = 0;
        for (Group g : groups) {
            if (g.oneClient()) {
                out.get((int) g.minClient()).add(new Piece(g.file(), g.index(), 0, g.rows(), false));
                counts[(int) g.minClient()] += g.rows();
                continue;
            }
            long[] k = mixedCounts.get(m++);
            for (int c = 0; c < clients; c++) {
                if (k[c] > 0) {
                    out.get(c).add(new Piece(g.file(), g.index(), 0, g.rows(), true));
                    counts[c] += k[c];
                }
            }
        }
        return out;
    }

    private static long[] countClients(Configuration conf, ParquetColumns columns, Piece p, int clients)
            throws IOException {
        long[] k = new long[clients];
        try (ParquetRowGroup rg = new ParquetRowGroup(conf, p.file(), p.rowGroup(), columns, true)) {
            for (long i = 0; i < rg.rows(); i++) {
                int c = rg.nextClient();
                if (c < 0 || c >= clients) {
                    throw badClient(c, clients);
                }
                k[c]++;
            }
        }
        return k;
    }

    private static long ceilDiv(long a, long b) {
        return (a + b - 1) / b;
    }

    /** Row i of the input order goes to client ⌊i M / N⌋ (as text input does), as row ranges of row groups. */
    private static List<List<Piece>> byRange(List<Group> groups, int clients, long[] counts) {
        long n = 0;
        for (Group g : groups) {
            n += g.rows();
        }
        ClientDataReader.checkEnoughRows(n, clients);
        List<List<Piece>> out = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            long lo = ceilDiv(c * n, clients);
            long hi = ceilDiv((c + 1) * n, clients);
            counts[c] = hi - lo;
            List<Piece> mine = new ArrayList<>();
            long start = 0;
            for (Group g : groups) {
                long end = start + g.rows();
                if (end > lo && start < hi) {
                    mine.add(new Piece(g.file(), g.index(), Math.max(lo, start) - start, Math.min(hi, end) - start, false));
                }
                start = end;
            }
            out.add(mine);
        }
        return out;
    }

    /** One client's rows as blocks of at most {@code Blocks.maxRows} rows, decoded piece by piece on demand. */
    private static final class ClientBlocks implements Iterator<DataBlock> {
        private final Configuration conf;
        private final ParquetColumns columns;
        private final int client;
        private final List<Piece> pieces;
        private final long total;
        private final long blockBytes;
        private final boolean pageDecoder;
        private int features;
        private long done;
        private long next;
        private int piece = -1;
        private ParquetRowGroup open;
        private long left;

        ClientBlocks(Configuration conf, ParquetColumns columns, int client, List<Piece> pieces, long firstRow,
                     long total, int features, long blockBytes, boolean pageDecoder) {
            this.conf = conf;
            this.pageDecoder = pageDecoder;
            this.columns = columns;
            this.client = client;
            this.pieces = pieces;
            this.next = firstRow;
            this.total = total;
            this.features = features;
            this.blockBytes = blockBytes;
        }

        @Override
        public boolean hasNext() {
            if (done < total) {
                return true;
            }
            closeOpen();
            return false;
        }

        @Override
        public DataBlock next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            try {
                return block();
            } catch (DataException e) {
                closeOpen();
                throw e;
            } catch (IOException | RuntimeException e) {
                String file = piece >= 0 ? pieces.get(piece).file() : String.valueOf(pieces);
                closeOpen();
                throw ClientDataReader.corruptParquet(file, e);
            }
        }

        private DataBlock block() throws IOException {
            double[] x = null;
            double[] y = null;
            int n = 0;
            int capacity = 0;
            while (done < total && (x == null || n < capacity)) {
                ParquetRowGroup rg = nextRow();
                double label = rg.nextLabel();
                int d = rg.nextFeatures();
                if (features < 0) {
                    features = d;
                }
                if (d != features) {
                    throw new DataException(rg.where() + ": has " + d + " features, expected " + features
                            + " (every row must have the same feature count; check model.shape and the data)");
                }
                if (x == null) {
                    capacity = (int) Math.min(total - done, Blocks.maxRows(features, blockBytes));
                    x = new double[capacity * features];
                    y = new double[capacity];
                }
                Blocks.checkFinite(rg.where(), label, rg.features(), features);
                System.arraycopy(rg.features(), 0, x, n * features, features);
                y[n++] = label;
                done++;
            }
            DataBlock b = new DataBlock(client, next, n, features, x, y);
            next += n;
            return b;
        }

        /** Positions on the next row of this client (its client column, if any, already read). */
        private ParquetRowGroup nextRow() throws IOException {
            while (true) {
                if (open == null || left == 0) {
                    closeOpen();
                    Piece p = pieces.get(++piece);
                    open = new ParquetRowGroup(conf, p.file(), p.rowGroup(), columns, false, pageDecoder);
                    for (long i = 0; i < p.from(); i++) {
                        if (columns.hasClient()) {
                            open.nextClient();
                        }
                        open.skipRow();
                    }
                    left = p.to() - p.from();
                }
                left--;
                if (!columns.hasClient()) {
                    return open;
                }
                int c = open.nextClient();
                if (c == client) {
                    return open;
                }
                if (!pieces.get(piece).filtered()) {
                    throw new DataException(open.where() + ": client id " + c + " in a row group whose statistics"
                            + " say client " + client + " (the file's statistics are wrong; rewrite it)");
                }
                open.skipRow();
            }
        }

        private void closeOpen() {
            if (open != null) {
                try {
                    open.close();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                open = null;
            }
        }
    }
}
