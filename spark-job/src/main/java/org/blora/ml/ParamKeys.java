package org.blora.ml;

import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.Params;

/**
 * The one table from the estimators' Params to the train job's configuration keys, and back for messages: a
 * rule that spans several Params (a rank above min(m, n), patience without a validation share) is checked by the
 * run's configuration and reported here in the Params' names.
 */
final class ParamKeys {
    /** A Param's train key and how its value is written. */
    private record Entry(String param, String key, Function<Object, String> value) {
    }

    private static Entry e(String param, String key) {
        return new Entry(param, key, String::valueOf);
    }

    private static final List<Entry> TABLE = List.of(
            e("clients", "clients"),
            e("method", "lora.method"),
            e("rank", "lora.rank"),
            e("p", "lora.p"),
            e("basePath", "model.init"),
            e("estimator", "optim.estimator"),
            e("stepSize", "optim.step.size"),
            e("batch", "optim.batch"),
            e("rounds", "optim.rounds"),
            e("seed", "run.seed"),
            e("regLambda", "reg.lambda"),
            e("protocol", "fed.protocol"),
            e("compressor", "fed.compressor"),
            e("compressorK", "fed.compressor.k"),
            e("compressorLevels", "fed.compressor.levels"),
            e("participation", "fed.participation"),
            e("earlyStopPatience", "optim.early.stop.patience"),
            e("plateauPatience", "optim.plateau.patience"),
            // the linear model
            e("shape", "model.shape"),
            e("stepRule", "optim.step.rule"),
            e("stepC", "optim.step.c"),
            e("tol", "optim.tol"),
            // the MLP classifier
            e("layers", "model.layers"),
            e("dropout", "model.dropout"),
            e("modules", "lora.modules"),
            e("coin", "lora.coin"),
            e("firstSide", "lora.first.side"),
            e("linkSteps", "lora.link.steps"),
            // 0 = unset: merge every linkSteps instead
            new Entry("linkEpochs", "lora.link.epochs", v -> (Double) v > 0 ? String.valueOf(v) : ""),
            e("optimizer", "optim.optimizer"),
            e("epochs", "optim.epochs"),
            e("metricsEvery", "run.metrics.every"));

    /** What every fit sets: the rows come from the DataFrame. */
    private static final Map<String, String> DATAFRAME = Map.of("data.source", "dataframe");
    /** The regressor's model. */
    static final Map<String, String> LINEAR = Map.of("model.type", "linear");
    /** The classifier's model, trained with a constant step until its epoch or round budget. */
    static final Map<String, String> MLP = Map.of("model.type", "mlp", "optim.step.rule", "constant", "optim.tol", "0");

    /** Train keys, longest first, so that a key is never replaced inside a longer one. */
    private static final List<Entry> BY_KEY_LENGTH = TABLE.stream()
            .sorted(Comparator.comparing((Entry x) -> x.key().length()).reversed()).toList();

    private ParamKeys() {
    }

    /** The run's configuration: {@code fixed}, then every Param of {@code stage} that the table names. */
    @SuppressWarnings("unchecked")
    static Map<String, String> configuration(Params stage, Map<String, String> fixed) {
        Map<String, String> c = new LinkedHashMap<>(DATAFRAME);
        c.putAll(fixed);
        for (Entry x : TABLE) {
            if (stage.hasParam(x.param())) {
                Param<Object> p = (Param<Object>) stage.getParam(x.param());
                c.put(x.key(), x.value().apply(stage.getOrDefault(p)));
            }
        }
        return c;
    }

    /** {@code message} with every train key of the table replaced by its Param's name. */
    static String translate(String message) {
        String m = message;
        for (Entry x : BY_KEY_LENGTH) {
            m = Pattern.compile("(?<![\\w.])" + Pattern.quote(x.key()) + "(?!\\w)").matcher(m)
                    .replaceAll(Matcher.quoteReplacement(x.param()));
        }
        return m;
    }
}
