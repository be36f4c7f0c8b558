package org.blora.data;

import java.util.Locale;

/** How the rows of a data set are stored (data.format). */
public enum DataFormat {
    /** What data-prep writes: label, features array, optional client column; read without a shuffle. */
    PARQUET,
    /** Dense text, label first, no header. */
    CSV,
    /** Sparse text: label then index:value pairs, 1-based. */
    LIBSVM;

    /** The value of data.format that names this format. */
    public String key() {
        return name().toLowerCase(Locale.ROOT);
    }
}
