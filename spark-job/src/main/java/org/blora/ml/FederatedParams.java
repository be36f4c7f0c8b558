package org.blora.ml;

import java.util.Arrays;
import java.util.List;
import org.apache.spark.ml.param.DoubleParam;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.Param;
import org.blora.config.Choice;
import org.blora.config.FedProtocol;
import org.blora.core.compress.Compressors;

/**
 * The federated Params both estimators share. fit re-splits the DataFrame's rows, in the DataFrame's order, into
 * {@code clients} contiguous shares of (nearly) equal size: its partitions do not become the clients.
 */
public interface FederatedParams<S extends FederatedParams<S>> extends BloraParams<S> {
    default IntParam clients() {
        return ParamTable.integer(this, paramTable(), "clients", "federated clients: the rows, in the DataFrame's order, "
                + "cut into this many contiguous shares (whatever the DataFrame's partitions)", 2,
                ParamCheck.between("clients", 1, 1 << 16, true));
    }

    default Param<String> protocol() {
        List<String> protocols = Arrays.stream(FedProtocol.values()).map(Choice::key).toList();
        return ParamTable.string(this, paramTable(), "protocol", "federated protocol: none (exact gradients), qgd "
                + "(compressed gradients), marina (compressed differences), ef21 (error feedback)", "none",
                ParamCheck.oneOf("protocol", protocols));
    }

    default Param<String> compressor() {
        return ParamTable.string(this, paramTable(), "compressor", "what each client's message goes through under a "
                + "protocol: " + Compressors.NAMES, "identity",
                ParamCheck.oneOf("compressor", List.of(Compressors.NAMES.split(", "))));
    }

    default DoubleParam compressorK() {
        return ParamTable.real(this, paramTable(), "compressorK", "randk/topk: fraction of the entries kept", 0.01,
                ParamCheck.that("compressorK", "in (0, 1]", v -> (Double) v > 0 && (Double) v <= 1));
    }

    default IntParam compressorLevels() {
        return ParamTable.integer(this, paramTable(), "compressorLevels", "qsgd: number of levels s", 16,
                ParamCheck.between("compressorLevels", 1, 1 << 20, true));
    }

    default DoubleParam participation() {
        return ParamTable.real(this, paramTable(), "participation", "fraction of the clients drawn each round", 1.0,
                ParamCheck.that("participation", "in (0, 1]", v -> (Double) v > 0 && (Double) v <= 1));
    }

    default int getClients() {
        return (Integer) getOrDefault(clients());
    }

    default S setClients(int v) {
        return with(clients(), v);
    }

    default S setProtocol(String v) {
        return with(protocol(), v);
    }

    default S setCompressor(String v) {
        return with(compressor(), v);
    }

    default S setCompressorK(double v) {
        return with(compressorK(), v);
    }

    default S setCompressorLevels(int v) {
        return with(compressorLevels(), v);
    }

    default S setParticipation(double v) {
        return with(participation(), v);
    }
}
