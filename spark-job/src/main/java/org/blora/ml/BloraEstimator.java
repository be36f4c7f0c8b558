package org.blora.ml;

import java.io.PrintStream;
import java.util.List;
import java.util.Map;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.apache.spark.ml.Estimator;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.util.DefaultParamsWritable;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.NumericType;
import org.apache.spark.sql.types.StructType;
import org.blora.app.ClientData;
import org.blora.app.DataSession;
import org.blora.app.TrainRun;
import org.blora.config.ConfigException;
import org.blora.config.RunConfig;
import org.blora.config.TrainSpec;
import org.blora.data.DataFrameClients;
import org.blora.io.RunFolder;

/**
 * The estimators' shared fit, a template in XGBoost4J-Spark's shape: validate the schema, turn the Params into
 * the run's configuration, hand the DataFrame's rows to the run as clients, train with the command line's
 * {@link TrainRun}, and create the model, which gets the Params it shares with the estimator and a training
 * summary. A subclass gives its model's fixed keys, its own Params and {@link #createModel}.
 *
 * <p>fit logs the run's progress lines at INFO through log4j (logger: the estimator's class).
 */
public abstract class BloraEstimator<M extends BloraModel<M>, S extends BloraEstimator<M, S>> extends Estimator<M>
        implements TrainingParams<S>, FederatedParams<S>, ValidationParams<S>, DefaultParamsWritable {
    private static final long serialVersionUID = 1L;

    private final String uid;
    private final ParamTable params = new ParamTable();

    protected BloraEstimator(String uid) {
        this.uid = uid;
    }

    @Override
    public final String uid() {
        return uid;
    }

    @Override
    public final ParamTable paramTable() {
        return params;
    }

    /** The keys the estimator's model fixes (model.type and what goes with it). */
    abstract Map<String, String> fixedKeys();

    /** The fitted model from the finished run and its folder. */
    abstract M createModel(TrainRun.Outcome outcome, RunFolder run);

    /** The train job's configuration these Params stand for (the other keys at the job's defaults). */
    public final Map<String, String> configuration() {
        return ParamKeys.configuration(this, fixedKeys());
    }

    @Override
    public final M fit(Dataset<?> dataset) {
        Logger log = LogManager.getLogger(getClass());
        StructType schema = dataset.schema();
        validate(schema);
        TrainSpec spec = spec();
        ClientData data = clients(dataset.toDF(), spec);
        try (FitFolder folder = FitFolder.open(getOutputPath(), dataset.sparkSession().sparkContext().hadoopConfiguration())) {
            log.info("{}: training in {}", uid, folder.kept() == null ? "a temporary folder" : folder.kept());
            TrainRun.Outcome o = train(data, spec, folder.run(), dataset, LogLines.to(log));
            M model = createModel(o, folder.run());
            model.setSummary(BernoulliLoRATrainingSummary.of(dataset.sparkSession(), o.result(), o.rows(), folder.kept()));
            copyValues(model, extractParamMap());
            model.setParent(this);
            return model;
        }
    }

    /** The columns fit reads exist with the right types, and the ones the model adds do not. */
    private void validate(StructType schema) {
        List<String> names = List.of(schema.fieldNames());
        if (!names.contains(getFeaturesCol()) || !schema.apply(getFeaturesCol()).dataType().equals(SQLDataTypes.VectorType())) {
            throw new IllegalArgumentException("featuresCol: the DataFrame needs a vector column '" + getFeaturesCol()
                    + "' (e.g. from a VectorAssembler); it has " + names);
        }
        if (!names.contains(getLabelCol()) || !(schema.apply(getLabelCol()).dataType() instanceof NumericType)) {
            throw new IllegalArgumentException("labelCol: the DataFrame needs a numeric column '" + getLabelCol()
                    + "'; it has " + names);
        }
        transformSchema(schema);
    }

    /** The run's specification; a rule across Params is reported in the Params' names. */
    private TrainSpec spec() {
        try {
            return new TrainSpec(RunConfig.of(configuration()));
        } catch (ConfigException e) {
            throw new IllegalArgumentException(ParamKeys.translate(e.getMessage()), e);
        }
    }

    /** The rows as clients: split into training and validation rows first when validationFraction > 0. */
    private ClientData clients(Dataset<Row> df, TrainSpec spec) {
        double fraction = getValidationFraction();
        if (fraction > 0) {
            DataFrameClients.Clients[] parts = DataFrameClients.split(df, getFeaturesCol(), getLabelCol(), fraction,
                    spec.run().seed(), spec.fed().clients(), spec.data().blockBytes());
            return new ClientData(uid, parts[0], parts[1]);
        }
        return new ClientData(uid, DataFrameClients.of(df, getFeaturesCol(), getLabelCol(),
                spec.fed().clients(), spec.data().blockBytes()),
                null);
    }

    private static TrainRun.Outcome train(ClientData data, TrainSpec spec, RunFolder run, Dataset<?> dataset, PrintStream log) {
        try (DataSession session = new DataSession(dataset.sparkSession(), log)) {
            return TrainRun.run(new TrainRun.Context(session, spec, run, log, null), data);
        } catch (ConfigException e) {
            throw new IllegalArgumentException(ParamKeys.translate(e.getMessage()), e);
        }
    }
}
