package org.blora.data;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import org.apache.parquet.column.ColumnDescriptor;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;

/**
 * Which Parquet leaf columns hold a client's data, resolved from a file's schema alone: {@code label} (a number),
 * optional {@code client} (an integer) and {@code features}, either {@code array<double>} (what data-prep
 * writes) or Spark ML's vector type (struct of type, size, indices, values; dense or sparse).
 */
record ParquetColumns(String[] label, String[] client, String[] features, String[] vectorType, String[] vectorSize,
                      String[] vectorIndices) implements Serializable {

    boolean hasClient() {
        return client != null;
    }

    boolean mlVector() {
        return vectorType != null;
    }

    /** The leaf columns to read; the client column alone when {@code clientOnly}. */
    List<String[]> leaves(boolean clientOnly) {
        List<String[]> out = new ArrayList<>();
        if (clientOnly) {
            out.add(client);
            return out;
        }
        out.add(label);
        if (client != null) {
            out.add(client);
        }
        out.add(features);
        if (mlVector()) {
            out.add(vectorType);
            out.add(vectorSize);
            out.add(vectorIndices);
        }
        return out;
    }

    static ParquetColumns of(MessageType schema, String file) {
        String[] label = null;
        String[] client = null;
        String[] array = null;
        String[] type = null;
        String[] size = null;
        String[] indices = null;
        String[] values = null;
        List<String> top = new ArrayList<>();
        for (ColumnDescriptor c : schema.getColumns()) {
            String[] p = c.getPath();
            if (!top.contains(p[0])) {
                top.add(p[0]);
            }
            boolean number = isNumber(c.getPrimitiveType().getPrimitiveTypeName());
            boolean scalar = p.length == 1 && c.getMaxRepetitionLevel() == 0;
            switch (p[0]) {
                case "label" -> label = scalar && number ? p : label;
                case "client" -> client = scalar && isInteger(c.getPrimitiveType().getPrimitiveTypeName()) ? p : client;
                case "features" -> {
                    if (p.length >= 2 && "type".equals(p[1]) && c.getMaxRepetitionLevel() == 0) {
                        type = p;
                    } else if (p.length >= 2 && "size".equals(p[1]) && c.getMaxRepetitionLevel() == 0) {
                        size = p;
                    } else if (p.length >= 2 && "indices".equals(p[1]) && c.getMaxRepetitionLevel() == 1) {
                        indices = p;
                    } else if (p.length >= 2 && "values".equals(p[1]) && c.getMaxRepetitionLevel() == 1 && number) {
                        values = p;
                    } else if (c.getMaxRepetitionLevel() == 1 && number) {
                        array = p;
                    }
                }
                default -> {
                }
            }
        }
        if (label == null || (array == null && values == null)) {
            throw new DataException("data.path: Parquet file " + file + " needs a numeric column 'label' and a column"
                    + " 'features' (array<double> or an ML vector), has " + top
                    + " (write it with prep-regression or rename the columns)");
        }
        if (top.contains("client") && client == null) {
            throw new DataException("data.path: column 'client' of " + file + " must hold integers"
                    + " (cast it to int, or drop it to split the rows by range)");
        }
        if (array != null) {
            return new ParquetColumns(label, client, array, null, null, null);
        }
        if (type == null || size == null || indices == null) {
            throw new DataException("data.path: column 'features' of " + file + " is neither array<double> nor an ML"
                    + " vector (struct of type, size, indices, values); convert it to array<double>");
        }
        return new ParquetColumns(label, client, values, type, size, indices);
    }

    static boolean isNumber(PrimitiveTypeName t) {
        return t == PrimitiveTypeName.DOUBLE || t == PrimitiveTypeName.FLOAT || isInteger(t);
    }

    static boolean isInteger(PrimitiveTypeName t) {
        return t == PrimitiveTypeName.INT32 || t == PrimitiveTypeName.INT64;
    }
}
