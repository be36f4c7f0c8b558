package org.blora.spark.persistent;

import java.io.Serializable;
import org.blora.core.objective.DataBlock;

/** A cached block with the data set (training, validation, test) and client it belongs to, as a task receives it. */
record TaggedBlock(int source, int client, DataBlock block) implements Serializable {
}
