package org.blora.app;

import org.blora.data.DataFrameClients;

/**
 * Rows a caller hands to a run as values rather than naming them in data.source (the Spark ML estimators hand
 * their DataFrame so): the training clients and, optionally, held-out validation clients that are scored on
 * metric rounds and never trained on. {@code name} identifies the data in the run's data_key.
 */
public record ClientData(String name, DataFrameClients.Clients train, DataFrameClients.Clients validation) {
}
