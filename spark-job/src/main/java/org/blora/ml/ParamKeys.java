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
import org.blora.config.ChainSection;
import org.blora.config.DataSection;
import org.blora.config.DataSource;
import org.blora.config.FederatedSection;
import org.blora.config.Key;
import org.blora.config.ModelSection;
import org.blora.config.OptimSection;
import org.blora.config.RunSection;
import org.blora.config.Settings;
import org.blora.config.StepRuleKind;
import org.blora.core.model.LinearModel;
import org.blora.core.model.MlpModel;

/**
 * The one table from the estimators' Params to the train job's configuration keys, and back for messages: a
 * rule that spans several Params (a rank above min(m, n), patience without a validation share) is checked by the
 * run's configuration and reported here in the Params' names.
 */
final class ParamKeys {
    /** A Param's train key and how its value is written. */
    private record Entry(String param, Key<?> key, Function<Object, String> value) {
    }

    private static Entry e(String param, Key<?> key) {
        return new Entry(param, key, String::valueOf);
    }

    private static final List<Entry> TABLE = List.of(
            e("clients", FederatedSection.CLIENTS),
            e("method", ChainSection.METHOD),
            e("rank", ChainSection.RANK),
            e("p", ChainSection.P),
            e("basePath", ModelSection.INIT),
            e("estimator", OptimSection.ESTIMATOR),
            e("stepSize", OptimSection.STEP_SIZE),
            e("batch", OptimSection.BATCH),
            e("rounds", OptimSection.ROUNDS),
            e("seed", RunSection.SEED),
            e("regLambda", ModelSection.LAMBDA),
            e("protocol", FederatedSection.PROTOCOL),
            e("compressor", FederatedSection.COMPRESSOR),
            e("compressorK", FederatedSection.COMPRESSOR_K),
            e("compressorLevels", FederatedSection.COMPRESSOR_LEVELS),
            e("participation", FederatedSection.PARTICIPATION),
            e("earlyStopPatience", OptimSection.EARLY_STOP_PATIENCE),
            e("plateauPatience", OptimSection.PLATEAU_PATIENCE),
            // the linear model
            e("shape", ModelSection.SHAPE),
            e("stepRule", OptimSection.STEP_RULE),
            e("stepC", OptimSection.STEP_C),
            e("tol", OptimSection.TOL),
            // the MLP classifier
            e("layers", ModelSection.LAYERS),
            e("dropout", ModelSection.DROPOUT),
            e("modules", ChainSection.MODULES),
            e("coin", ChainSection.COIN),
            e("firstSide", ChainSection.FIRST_SIDE),
            e("linkSteps", ChainSection.LINK_STEPS),
            // 0 = unset: merge every linkSteps instead
            new Entry("linkEpochs", ChainSection.LINK_EPOCHS, v -> (Double) v > 0 ? String.valueOf(v) : ""),
            e("optimizer", OptimSection.OPTIMIZER),
            e("epochs", OptimSection.EPOCHS),
            e("metricsEvery", RunSection.METRICS_EVERY));

    /** What every fit sets: the rows come from the DataFrame. */
    private static final Map<String, String> DATAFRAME = new Settings().set(DataSection.SOURCE, DataSource.DATAFRAME).asMap();
    /** The regressor's model. */
    static final Map<String, String> LINEAR = new Settings().set(ModelSection.TYPE, new LinearModel.Kind().key()).asMap();
    /** The classifier's model, trained with a constant step until its epoch or round budget. */
    static final Map<String, String> MLP = new Settings().set(ModelSection.TYPE, new MlpModel.Kind().key())
            .set(OptimSection.STEP_RULE, StepRuleKind.CONSTANT).set(OptimSection.TOL, "0").asMap();

    /** Train keys, longest first, so that a key is never replaced inside a longer one. */
    private static final List<Entry> BY_KEY_LENGTH = TABLE.stream()
            .sorted(Comparator.comparing((Entry x) -> x.key().name().length()).reversed()).toList();

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
                c.put(x.key().name(), x.value().apply(stage.getOrDefault(p)));
            }
        }
        return c;
    }

    /**
     * A Param's documentation: what it means in Spark ML ({@code doc}), then, when it sets a train key, that key
     * and its help as the key's definition gives them, so the two never drift apart.
     */
    static String doc(String param, String doc) {
        for (Entry x : TABLE) {
            if (x.param().equals(param)) {
                return doc + " [train key " + x.key().name() + ": " + x.key().help() + "]";
            }
        }
        return doc;
    }

    /** {@code message} with every train key of the table replaced by its Param's name. */
    static String translate(String message) {
        String m = message;
        for (Entry x : BY_KEY_LENGTH) {
            m = Pattern.compile("(?<![\\w.])" + Pattern.quote(x.key().name()) + "(?!\\w)").matcher(m)
                    .replaceAll(Matcher.quoteReplacement(x.param()));
        }
        return m;
    }
}
