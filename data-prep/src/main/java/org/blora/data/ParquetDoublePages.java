package org.blora.data;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteOrder;
import java.util.Arrays;
import org.apache.parquet.bytes.ByteBufferInputStream;
import org.apache.parquet.bytes.BytesInput;
import org.apache.parquet.bytes.BytesUtils;
import org.apache.parquet.column.ColumnDescriptor;
import org.apache.parquet.column.Dictionary;
import org.apache.parquet.column.Encoding;
import org.apache.parquet.column.ValuesType;
import org.apache.parquet.column.page.DataPage;
import org.apache.parquet.column.page.DataPageV1;
import org.apache.parquet.column.page.DataPageV2;
import org.apache.parquet.column.page.DictionaryPage;
import org.apache.parquet.column.page.PageReader;
import org.apache.parquet.column.values.ValuesReader;
import org.apache.parquet.column.values.rle.RunLengthBitPackingHybridDecoder;
import org.apache.parquet.io.ParquetDecodingException;

/**
 * A repeated {@code double} column (the {@code features} array) decoded a page at a time instead of a value at a
 * time: each data page's repetition and definition levels go into two int arrays, and its values, when they are
 * PLAIN (what the writers produce for random doubles, after the dictionary gives up), are copied in one bulk
 * little-endian read; dictionary-encoded pages (a chunk's first pages) go through Parquet's own dictionary
 * reader. Parquet still reads and decompresses the pages (uncompressed, snappy, any codec; data pages v1 and
 * v2); what this skips is {@link org.apache.parquet.column.ColumnReader}'s per-value bookkeeping, most of the
 * load's CPU time. The values are the same doubles, bit for bit.
 */
final class ParquetDoublePages {
    private final PageReader pages;
    private final ColumnDescriptor column;
    private final int maxDefinition;
    private final Dictionary dictionary;
    /** Entries (values and nulls) left in the column chunk, this page's included. */
    private long left;
    private int[] rep = new int[0];
    private int[] def = new int[0];
    private double[] values = new double[0];
    /** Entries in the current page, the next entry, the next present value. */
    private int count;
    private int pos;
    private int valuePos;
    /** What the last {@link #row} read. */
    private int rowValues;
    private int rowEntries;
    private int rowAbsent;

    ParquetDoublePages(PageReader pages, ColumnDescriptor column) throws IOException {
        this.pages = pages;
        this.column = column;
        this.maxDefinition = column.getMaxDefinitionLevel();
        DictionaryPage dp = pages.readDictionaryPage();
        this.dictionary = dp == null ? null : dp.getEncoding().initDictionary(column, dp);
        this.left = pages.getTotalValueCount();
    }

    /** Entries left in the chunk. */
    long left() {
        return left;
    }

    /** Whether the next entry continues the current row (repetition level above 0). */
    private boolean rowContinues() {
        if (left == 0) {
            return false;
        }
        page();
        return rep[pos] > 0;
    }

    /**
     * The next row: its entry at the current position and every entry that continues it, across pages. Its present
     * values go to {@code out} from index 0 (grown when too small: the array returned); {@link #rowValues()},
     * {@link #rowEntries()} and {@link #rowAbsent()} describe it. Within a page, the row's end is found in the
     * repetition levels and its values copied in one block when none is absent.
     */
    double[] row(double[] out) {
        rowValues = 0;
        rowEntries = 0;
        rowAbsent = 0;
        do {
            page();
            int end = pos + 1;
            while (end < count && rep[end] > 0) {
                end++;
            }
            int present = 0;
            for (int i = pos; i < end; i++) {
                if (def[i] == maxDefinition) {
                    present++;
                }
            }
            if (out.length < rowValues + present) {
                out = Arrays.copyOf(out, Math.max(2 * out.length, rowValues + present));
            }
            System.arraycopy(values, valuePos, out, rowValues, present);
            valuePos += present;
            rowValues += present;
            rowEntries += end - pos;
            rowAbsent += end - pos - present;
            left -= end - pos;
            pos = end;
        } while (pos == count && rowContinues());
        return out;
    }

    /** Present values of the last {@link #row}. */
    int rowValues() {
        return rowValues;
    }

    /** Entries (values and nulls) of the last {@link #row}. */
    int rowEntries() {
        return rowEntries;
    }

    /** Null entries of the last {@link #row}. */
    int rowAbsent() {
        return rowAbsent;
    }

    private void page() {
        if (pos < count) {
            return;
        }
        DataPage p = pages.readPage();
        if (p == null) {
            throw new ParquetDecodingException("column " + Arrays.toString(column.getPath()) + ": " + left
                    + " values announced but no page left");
        }
        try {
            p.accept(new DataPage.Visitor<Void>() {
                @Override
                public Void visit(DataPageV1 v1) {
                    try {
                        decodeV1(v1);
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                    return null;
                }

                @Override
                public Void visit(DataPageV2 v2) {
                    try {
                        decodeV2(v2);
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                    return null;
                }
            });
        } catch (UncheckedIOException e) {
            throw new ParquetDecodingException("column " + Arrays.toString(column.getPath())
                    + ": cannot decode a page", e.getCause());
        }
        if (count == 0) {
            page();
        }
    }

    private void resize(int n) {
        if (rep.length < n) {
            rep = new int[n];
            def = new int[n];
        }
        count = n;
        pos = 0;
        valuePos = 0;
    }

    private void decodeV1(DataPageV1 page) throws IOException {
        int n = page.getValueCount();
        resize(n);
        ByteBufferInputStream in = page.getBytes().toInputStream();
        ValuesReader rl = page.getRlEncoding().getValuesReader(column, ValuesType.REPETITION_LEVEL);
        ValuesReader dl = page.getDlEncoding().getValuesReader(column, ValuesType.DEFINITION_LEVEL);
        rl.initFromPage(n, in);
        dl.initFromPage(n, in);
        int present = 0;
        for (int i = 0; i < n; i++) {
            rep[i] = rl.readInteger();
            int d = dl.readInteger();
            def[i] = d;
            if (d == maxDefinition) {
                present++;
            }
        }
        decodeValues(page.getValueEncoding(), in, n, present);
    }

    private void decodeV2(DataPageV2 page) throws IOException {
        int n = page.getValueCount();
        resize(n);
        levels(column.getMaxRepetitionLevel(), page.getRepetitionLevels(), rep, n);
        levels(maxDefinition, page.getDefinitionLevels(), def, n);
        int present = 0;
        for (int i = 0; i < n; i++) {
            if (def[i] == maxDefinition) {
                present++;
            }
        }
        decodeValues(page.getDataEncoding(), page.getData().toInputStream(), n, present);
    }

    /** A v2 page's levels: RLE / bit-packed hybrid without a length prefix, width from the maximum level. */
    private static void levels(int max, BytesInput bytes, int[] into, int n) throws IOException {
        if (max == 0) {
            Arrays.fill(into, 0, n, 0);
            return;
        }
        RunLengthBitPackingHybridDecoder d = new RunLengthBitPackingHybridDecoder(BytesUtils.getWidthFromMaxInt(max),
                bytes.toInputStream());
        for (int i = 0; i < n; i++) {
            into[i] = d.readInt();
        }
    }

    private void decodeValues(Encoding encoding, ByteBufferInputStream in, int entries, int present) throws IOException {
        if (values.length < present) {
            values = new double[Math.max(present, 2 * values.length)];
        }
        if (encoding == Encoding.PLAIN) {
            in.slice(8 * present).order(ByteOrder.LITTLE_ENDIAN).asDoubleBuffer().get(values, 0, present);
            return;
        }
        ValuesReader r;
        if (encoding.usesDictionary()) {
            if (dictionary == null) {
                throw new ParquetDecodingException("column " + Arrays.toString(column.getPath())
                        + ": a dictionary-encoded page without a dictionary page");
            }
            r = encoding.getDictionaryBasedValuesReader(column, ValuesType.VALUES, dictionary);
        } else {
            r = encoding.getValuesReader(column, ValuesType.VALUES);
        }
        r.initFromPage(entries, in);
        for (int i = 0; i < present; i++) {
            values[i] = r.readDouble();
        }
    }
}
