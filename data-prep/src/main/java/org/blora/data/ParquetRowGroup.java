package org.blora.data;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.parquet.column.ColumnDescriptor;
import org.apache.parquet.column.ColumnReader;
import org.apache.parquet.column.impl.ColumnReadStoreImpl;
import org.apache.parquet.column.page.PageReadStore;
import org.apache.parquet.example.DummyRecordConverter;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.util.HadoopInputFile;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;

/**
 * Decodes the rows of one Parquet row group column by column, straight into primitive buffers: one
 * {@link ColumnReader} per leaf column, advanced in lockstep a row at a time (a new row starts at repetition
 * level 0). No record objects are built, so a row costs its values and nothing else. A {@code features} column
 * of doubles (array&lt;double&gt;, what data-prep writes) is decoded a page at a time by
 * {@link ParquetDoublePages} instead, to the same bits.
 */
final class ParquetRowGroup implements AutoCloseable {
    private final ParquetFileReader file;
    private final String origin;
    private final long rows;
    private final Leaf label;
    private final Leaf client;
    private final Leaf features;
    /** The features column decoded page by page (array&lt;double&gt;), or null: {@link #features} is used. */
    private final ParquetDoublePages featurePages;
    private final Leaf vectorType;
    private final Leaf vectorSize;
    private final Leaf vectorIndices;
    private long rowIndex;
    /** The values of the last list read; for a sparse vector, its stored values only. */
    private double[] values = new double[16];
    private int[] indices = new int[16];
    /** A sparse vector's values scattered to their indices. */
    private double[] scattered = new double[16];
    /** The last row's features: {@link #values} or {@link #scattered}. */
    private double[] row = values;

    /** Opens row group {@code rowGroup} of {@code path}; {@code clientOnly} decodes the client column alone. */
    ParquetRowGroup(Configuration conf, String path, int rowGroup, ParquetColumns columns, boolean clientOnly)
            throws IOException {
        this(conf, path, rowGroup, columns, clientOnly, true);
    }

    /** As above; {@code pageDecoder} false reads array&lt;double&gt; features value by value (the reference path). */
    ParquetRowGroup(Configuration conf, String path, int rowGroup, ParquetColumns columns, boolean clientOnly,
                    boolean pageDecoder) throws IOException {
        this.origin = path + " (row group " + rowGroup + ")";
        this.file = ParquetFileReader.open(HadoopInputFile.fromPath(new Path(path), conf));
        try {
            MessageType schema = file.getFooter().getFileMetaData().getSchema();
            List<ColumnDescriptor> wanted = new ArrayList<>();
            for (String[] p : columns.leaves(clientOnly)) {
                wanted.add(schema.getColumnDescription(p));
            }
            file.setRequestedSchema(wanted);
            PageReadStore pages = file.readRowGroup(rowGroup);
            this.rows = pages.getRowCount();
            ColumnReadStoreImpl store = new ColumnReadStoreImpl(pages, new DummyRecordConverter(schema).getRootConverter(),
                    schema, file.getFooter().getFileMetaData().getCreatedBy());
            this.client = columns.hasClient() ? new Leaf(store, schema.getColumnDescription(columns.client())) : null;
            if (clientOnly) {
                this.label = this.features = this.vectorType = this.vectorSize = this.vectorIndices = null;
                this.featurePages = null;
                return;
            }
            this.label = new Leaf(store, schema.getColumnDescription(columns.label()));
            ColumnDescriptor f = schema.getColumnDescription(columns.features());
            boolean doubles = f.getPrimitiveType().getPrimitiveTypeName() == PrimitiveTypeName.DOUBLE
                    && f.getMaxRepetitionLevel() == 1 && !columns.mlVector();
            this.featurePages = pageDecoder && doubles ? new ParquetDoublePages(pages.getPageReader(f), f) : null;
            this.features = featurePages == null ? new Leaf(store, f) : null;
            boolean vector = columns.mlVector();
            this.vectorType = vector ? new Leaf(store, schema.getColumnDescription(columns.vectorType())) : null;
            this.vectorSize = vector ? new Leaf(store, schema.getColumnDescription(columns.vectorSize())) : null;
            this.vectorIndices = vector ? new Leaf(store, schema.getColumnDescription(columns.vectorIndices())) : null;
        } catch (IOException | RuntimeException e) {
            file.close();
            throw e;
        }
    }

    long rows() {
        return rows;
    }

    /** Where the current row is, for error messages. */
    String where() {
        return origin + ", row " + rowIndex + " of the group";
    }

    /** The client id of the next row (advances the client column only). */
    int nextClient() {
        return (int) client.scalar("client");
    }

    /** The label of the next row. */
    double nextLabel() {
        return label.scalar("label");
    }

    /**
     * Decodes the features of the next row into {@link #features()} and returns their count; finishes the row.
     */
    int nextFeatures() {
        int n;
        if (featurePages != null) {
            n = readPages();
            row = values;
        } else if (vectorType == null) {
            n = readList(features);
            row = values;
        } else {
            int type = (int) vectorType.scalar("features.type");
            Double size = vectorSize.optionalScalar();
            int k = readIndices();
            int m = readList(features);
            if (type == 1) {
                n = m;
                row = values;
            } else {
                if (size == null || k != m) {
                    throw new DataException(where() + ": sparse vector with " + k + " indices, " + m
                            + " values and size " + size + " (rewrite the features column)");
                }
                n = (int) (double) size;
                if (scattered.length < n) {
                    scattered = new double[n];
                }
                Arrays.fill(scattered, 0, n, 0.0);
                for (int i = 0; i < k; i++) {
                    if (indices[i] < 0 || indices[i] >= n) {
                        throw new DataException(where() + ": sparse index " + indices[i] + " outside size " + n
                                + " (rewrite the features column)");
                    }
                    scattered[indices[i]] = values[i];
                }
                row = scattered;
            }
        }
        rowIndex++;
        return n;
    }

    /** The features decoded by the last {@link #nextFeatures()} (a reused buffer). */
    double[] features() {
        return row;
    }

    /** Skips the next row's label and features (its client was read already). */
    void skipRow() {
        nextLabel();
        nextFeatures();
    }

    private int readList(Leaf leaf) {
        int n = 0;
        int entries = 0;
        int absent = 0;
        do {
            if (leaf.present()) {
                if (n == values.length) {
                    values = Arrays.copyOf(values, 2 * n);
                }
                values[n++] = leaf.number();
            } else {
                absent++;
            }
            entries++;
            leaf.next();
        } while (leaf.rowContinues());
        if (absent > 0 && entries > 1) {
            throw new DataException(where() + ": a feature value is null (clean the data)");
        }
        return n;
    }

    /** {@link #readList} over the page decoder: the same entries, the same checks and messages. */
    private int readPages() {
        ParquetDoublePages p = featurePages;
        if (p.left() == 0) {
            throw new DataException(where() + ": the column ends before the row group does (the file is corrupt;"
                    + " regenerate it)");
        }
        values = p.row(values);
        int n = p.rowValues();
        int entries = p.rowEntries();
        int absent = p.rowAbsent();
        if (absent > 0 && entries > 1) {
            throw new DataException(where() + ": a feature value is null (clean the data)");
        }
        return n;
    }

    private int readIndices() {
        int k = 0;
        do {
            if (vectorIndices.present()) {
                if (k == indices.length) {
                    indices = Arrays.copyOf(indices, 2 * k);
                }
                indices[k++] = (int) vectorIndices.number();
            }
            vectorIndices.next();
        } while (vectorIndices.rowContinues());
        return k;
    }

    @Override
    public void close() throws IOException {
        file.close();
    }

    /** One leaf column: its reader, how many of its entries are left, and what "present" means for it. */
    private final class Leaf {
        private final ColumnReader reader;
        private final int maxDefinition;
        private final PrimitiveTypeName type;
        private long left;

        Leaf(ColumnReadStoreImpl store, ColumnDescriptor column) {
            this.reader = store.getColumnReader(column);
            this.maxDefinition = column.getMaxDefinitionLevel();
            this.type = column.getPrimitiveType().getPrimitiveTypeName();
            this.left = reader.getTotalValueCount();
        }

        boolean present() {
            if (left == 0) {
                throw new DataException(where() + ": the column ends before the row group does (the file is corrupt;"
                        + " regenerate it)");
            }
            return reader.getCurrentDefinitionLevel() == maxDefinition;
        }

        double number() {
            return switch (type) {
                case DOUBLE -> reader.getDouble();
                case FLOAT -> reader.getFloat();
                case INT32 -> reader.getInteger();
                case INT64 -> reader.getLong();
                default -> throw new IllegalStateException("not a number column: " + type);
            };
        }

        void next() {
            reader.consume();
            left--;
        }

        boolean rowContinues() {
            return left > 0 && reader.getCurrentRepetitionLevel() > 0;
        }

        double scalar(String name) {
            if (!present()) {
                throw new DataException(where() + ": " + name + " is null (every row needs one; clean the data)");
            }
            double v = number();
            next();
            return v;
        }

        Double optionalScalar() {
            Double v = present() ? number() : null;
            next();
            return v;
        }
    }
}
