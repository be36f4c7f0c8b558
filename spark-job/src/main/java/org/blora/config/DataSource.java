package org.blora.config;

/** Where a run's rows come from (data.source). */
public enum DataSource implements Choice {
    /** Generated on the executors, client by client, every time the data are loaded. */
    SYNTHETIC_REGRESSION,
    /** Generated once into data.cache.dir with data.postprocess, then read back as Parquet. */
    CACHED_REGRESSION,
    /** Read from data.path in data.format. */
    PATH,
    /** The RAC-LoRA counterexample quadratic: no rows, its gradient is evaluated on the driver. */
    COUNTEREXAMPLE,
    /** A folder written by prep-mnist: the train split as clients, val and test held out, data.classes kept. */
    MNIST,
    /** Rows handed to the run as values (the Spark ML API's DataFrame, app.ClientData); not for the command line. */
    DATAFRAME;

    /** Whether the rows come from the synthetic regression generator (data.rows, data.features, ...). */
    public boolean generated() {
        return this == SYNTHETIC_REGRESSION || this == CACHED_REGRESSION;
    }
}
