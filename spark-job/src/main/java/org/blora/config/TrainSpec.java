package org.blora.config;

import org.blora.core.chain.ChainSpec;
import org.blora.core.linalg.Shape;

/**
 * The typed, validated, immutable specification of one training run, built once from a {@link RunConfig}: one
 * section per group of keys ({@link #data()}, {@link #model()}, {@link #chain()}, {@link #optim()}, {@link #fed()},
 * {@link #run()}, {@link #export()}, {@link #pretrain()}), each parsing and checking its own keys, then the rules
 * between sections ({@link ConfigRules}). Everything that can be checked without data is checked here, before Spark
 * starts, with one line that names the key and the fix; the shape against the data's feature count is checked by
 * {@link ModelSection#shapeFor(int)} and {@link #checkRank(Shape)} right after reading, still before anything is
 * written.
 */
public final class TrainSpec {
    private final RunConfig config;
    private final DataSection data;
    private final ModelSection model;
    private final ChainSection chain;
    private final OptimSection optim;
    private final FederatedSection fed;
    private final RunSection run;
    private final ExportSection export;
    private final PretrainSection pretrain;

    public TrainSpec(RunConfig settings) {
        this(settings, true);
    }

    /** {@code checkRules} false only for the rules' own tests, which break one rule at a time. */
    TrainSpec(RunConfig settings, boolean checkRules) {
        config = DataPresets.apply(settings);
        data = new DataSection(config, settings.isExplicit(DataSection.SOURCE));
        model = new ModelSection(config);
        chain = new ChainSection(config);
        optim = new OptimSection(config);
        fed = new FederatedSection(config);
        run = new RunSection(config);
        export = new ExportSection(config);
        pretrain = new PretrainSection(config);
        if (checkRules) {
            ConfigRules.check(this);
        }
    }

    /** The resolved configuration this spec was built from (written to config.properties, fingerprinted by checkpoints). */
    public RunConfig config() {
        return config;
    }

    public DataSection data() {
        return data;
    }

    public ModelSection model() {
        return model;
    }

    /** The lora.* keys. */
    public ChainSection chain() {
        return chain;
    }

    public OptimSection optim() {
        return optim;
    }

    public FederatedSection fed() {
        return fed;
    }

    public RunSection run() {
        return run;
    }

    public ExportSection export() {
        return export;
    }

    public PretrainSection pretrain() {
        return pretrain;
    }

    /** data.labels resolved: sign for the hinge loss on synthetic rows when auto, values otherwise. */
    public LabelKind labels() {
        LabelKind given = data.givenLabels();
        if (given != LabelKind.AUTO) {
            return given;
        }
        return model.loss() == LossKind.HINGE && data.source() == DataSource.SYNTHETIC_REGRESSION
                ? LabelKind.SIGN : LabelKind.VALUES;
    }

    /** The chains' specification for a run on {@code rows} training rows (link length and alpha resolved). */
    public ChainSpec chainSpec(long rows) {
        return chain.spec(rows, optim.batch(), optim.adamw(), run.seed());
    }

    /** lora.rank against min(m, n) of the shape the data gave W. */
    public void checkRank(Shape s) {
        String message = ConfigRules.rankFits(this, s);
        if (message != null) {
            throw new ConfigException(message);
        }
    }

    /** This spec with W0 = the merged W of a finished pre-training run (pretrain is then done). */
    public TrainSpec withPretrainedInit(String adapterPath) {
        return new TrainSpec(config.with(PretrainSection.ENABLED, "false").with(ModelSection.INIT, adapterPath));
    }
}
