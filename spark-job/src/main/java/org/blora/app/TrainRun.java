package org.blora.app;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.JavaRDD;
import org.blora.config.ConfigException;
import org.blora.config.DataSource;
import org.blora.config.DataSplit;
import org.blora.config.EstimatorKind;
import org.blora.config.RoundsMode;
import org.blora.config.TrainSpec;
import org.blora.core.chain.ChainMethod;
import org.blora.core.chain.LowRankChain;
import org.blora.core.estimator.FederatedEstimator;
import org.blora.core.estimator.GradientEstimator;
import org.blora.core.federated.Protocol;
import org.blora.core.federated.ProtocolKind;
import org.blora.core.model.Model;
import org.blora.core.model.ModelLayout;
import org.blora.core.objective.DataBlock;
import org.blora.core.objective.DataLoss;
import org.blora.core.objective.RowNorms;
import org.blora.core.oracle.ClientWeighting;
import org.blora.core.oracle.Evaluator;
import org.blora.core.oracle.GradientOracle;
import org.blora.core.oracle.QuadraticOracle;
import org.blora.core.theory.SmoothnessConstants;
import org.blora.core.train.IterateSummary;
import org.blora.core.train.RoundListener;
import org.blora.core.train.RoundRecord;
import org.blora.core.train.StopReason;
import org.blora.core.train.TrainResult;
import org.blora.core.train.Trainer;
import org.blora.core.train.TrainerState;
import org.blora.io.Checkpoint;
import org.blora.io.Checkpoints;
import org.blora.io.RunFolder;
import org.blora.spark.ClientSmoothness;
import org.blora.spark.SparkOracle;
import org.blora.spark.persistent.PersistentRounds;

/**
 * Wires one training run: the clients' data as cached blocks, the Spark oracle, the smoothness estimate, the
 * core trainer, checkpoints, and the run folder. Nothing here does math or distribution itself.
 */
public final class TrainRun {
    /** Facts learned while setting up, reported in config.properties and summary.json. */
    public record Setup(Model model, double expectedTrainable, long rows, int clients, double gramNorm, int lanczosStages,
                        double lambda, double lHat, double gamma, String stepRule) {
        /** The model's parameter layout. */
        public ModelLayout layout() {
            return model.layout();
        }
    }

    public record Outcome(TrainResult result, List<RoundRecord> rows, LowRankChain chain, Setup setup) {
    }

    /**
     * What one run works in: the SparkSession's data (shared with the other runs of a sweep), its specification, its
     * folder, where progress goes, and the checkpoint it resumes from (null to start at round 0).
     */
    public record Context(DataSession data, TrainSpec spec, RunFolder out, PrintStream log, Checkpoint from) {
    }

    /**
     * What the round loop trains on: the data's identity, its gradient oracle, rows N and features d, the model's
     * loss, and the held-out validation and test clients (null without).
     */
    private record Problem(String dataKey, GradientOracle oracle, long rows, int features, DataLoss loss,
                           GradientOracle validation, GradientOracle test, JavaRDD<DataBlock> blocks, ConvexFacts convex,
                           PersistentRounds rounds) {
        Problem(String dataKey, GradientOracle oracle, long rows, int features, DataLoss loss, GradientOracle validation,
                GradientOracle test, JavaRDD<DataBlock> blocks, ConvexFacts convex) {
            this(dataKey, oracle, rows, features, loss, validation, test, blocks, convex, null);
        }

        /** Ends the persistent stage, if any, before a Spark job of its own (the stage holds the task slots). */
        void freeSlots() {
            if (rounds != null) {
                rounds.pause();
            }
        }
    }

    private TrainRun() {
    }

    /**
     * One run: pre-trains first when pretrain=true, then trains on the data set's cached blocks, or on the
     * driver-side counterexample oracle.
     */
    public static Outcome run(Context ctx) {
        return run(ctx, null);
    }

    /**
     * One run on the clients a caller hands over ({@code handed}; its spec has data.source=dataframe), or on the
     * spec's data source when {@code handed} is null.
     */
    public static Outcome run(Context ctx, ClientData handed) {
        TrainSpec spec = ctx.spec();
        DataSession data = ctx.data();
        // Checkpoints are fingerprinted with the configuration as given (pretrain=true), which a resumed run has too.
        Map<String, String> given = spec.config().asMap();
        if (spec.pretrain().enabled()) {
            spec = spec.withPretrainedInit(Pretraining.ensure(data, spec, ctx.log()));
        }
        if (spec.data().source() == DataSource.COUNTEREXAMPLE) {
            int d = spec.data().counterexampleFeatures();
            QuadraticOracle oracle = new QuadraticOracle(d, spec.data().curvature(), spec.data().seed());
            return train(ctx, spec, given, new Problem("counterexample", oracle, 1, d, null, null, null, null, null));
        }
        DataSession.Loaded l = handed == null ? data.blocks(spec) : data.blocks(spec, handed);
        Model model = RunModel.of(spec, l.features());
        DataLoss loss = model.loss();
        ConvexFacts convex = spec.model().loss().nonSmooth()
                ? ConvexFacts.resolve(spec, l, RunModel.initialTheta(spec, model, data.sc()), ctx.log()) : null;
        int params = model.layout().size();
        if (spec.fed().protocol() != ProtocolKind.NONE && !data.sc().isLocal()) {
            // Reliable checkpoints of the client state where executors can be lost; local mode keeps them in
            // the block manager (same lineage cut, no extra write job per round).
            data.sc().setCheckpointDir(ctx.out().uri() + "/" + Checkpoints.DIR + "/client-state");
        }
        // run.snapshot.every=auto (0): a full-W snapshot only when an executor cannot advance its copy.
        DataSession.Loaded val = handed != null ? data.validation(spec, handed)
                : spec.data().source() == DataSource.MNIST ? data.heldOut(spec, DataSplit.VAL) : null;
        if (val == null && (spec.optim().earlyStopPatience() > 0 || spec.optim().plateauPatience() > 0)) {
            throw new ConfigException("optim.early.stop.patience and optim.plateau.patience watch the validation loss, "
                    + "and these data have no validation rows (set a validationFraction > 0)");
        }
        DataSession.Loaded test = spec.data().source() == DataSource.MNIST ? data.heldOut(spec, DataSplit.TEST) : null;
        if (spec.run().roundsMode() == RoundsMode.PERSISTENT) {
            return persistent(ctx, spec, given, l, loss, params, val, test, convex);
        }
        try (SparkOracle oracle = new SparkOracle(data.sc(), l.blocks(), loss, params, l.rows(), spec.run().snapshotEvery(),
                data.sharedPasses());
             SparkOracle valOracle = val == null ? null : new SparkOracle(data.sc(), val.blocks(), loss, params, val.rows(), 0);
             SparkOracle testOracle = test == null ? null
                     : new SparkOracle(data.sc(), test.blocks(), loss, params, test.rows(), 0)) {
            oracle.setRoundBudgetLabel("/" + spec.optim().rounds());
            ClientWeighting w = spec.fed().weighting();
            return train(ctx, spec, given, new Problem(l.key(), w.apply(oracle, l.clientRows()), l.rows(), l.features(),
                    loss, valOracle == null ? null : w.apply(valOracle, val.clientRows()),
                    testOracle == null ? null : w.apply(testOracle, test.clientRows()), l.blocks(), convex));
        }
    }

    /**
     * run.rounds=persistent: the same run with every data set's clients served by one barrier stage (training,
     * validation and test blocks in the same tasks).
     */
    private static Outcome persistent(Context ctx, TrainSpec spec, Map<String, String> given, DataSession.Loaded l,
                                      DataLoss loss, int params, DataSession.Loaded val, DataSession.Loaded test,
                                      ConvexFacts convex) {
        List<JavaRDD<DataBlock>> sources = new ArrayList<>();
        sources.add(l.blocks());
        if (val != null) {
            sources.add(val.blocks());
        }
        if (test != null) {
            sources.add(test.blocks());
        }
        PersistentRounds rounds;
        try {
            rounds = new PersistentRounds(ctx.data().sc(), sources, loss, params, spec.fed().newProtocol(), 0,
                    spec.run().roundsTimeout(), ctx.log());
        } catch (PersistentRounds.Refused e) {
            throw new ConfigException(e.getMessage());
        }
        try (rounds) {
            ctx.log().printf("[train] persistent rounds: one barrier stage of %d tasks%n", rounds.tasks());
            ClientWeighting w = spec.fed().weighting();
            GradientOracle valOracle = val == null ? null : w.apply(rounds.oracle(1, val.rows()), val.clientRows());
            GradientOracle testOracle = test == null ? null
                    : w.apply(rounds.oracle(val == null ? 1 : 2, test.rows()), test.clientRows());
            return train(ctx, spec, given, new Problem(l.key(), w.apply(rounds.oracle(0, l.rows()), l.clientRows()),
                    l.rows(), l.features(), loss, valOracle, testOracle, l.blocks(), convex, rounds));
        }
    }

    private static Outcome train(Context ctx, TrainSpec spec, Map<String, String> given, Problem problem) {
        long rows = problem.rows();
        int d = problem.features();
        Model model = RunModel.of(spec, d);
        ModelLayout layout = model.layout();
        if (spec.optim().estimator().minibatch() && spec.optim().batch() > rows) {
            throw new ConfigException("optim.batch (" + spec.optim().batch() + ") exceeds the " + rows
                    + " rows; lower optim.batch");
        }
        Protocol protocol = spec.fed().newProtocol();
        logStart(ctx.log(), spec, problem, model, protocol);
        StepSizes.Choice step = StepSizes.choose(ctx.data(), spec, problem.dataKey(), problem.oracle(), d, layout,
                problem.convex(), ctx.log());
        ChainMethod method;
        try {
            method = ChainMethod.of(spec.chainSpec(rows), layout);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(e.getMessage());
        }
        Setup setup = new Setup(model, method.expectedTrainableParams(), rows, spec.fed().clients(), step.gramNorm(),
                step.lanczosStages(), step.lambda(), step.lHat(), step.gamma(), step.rule().describe());
        GradientEstimator estimator = protocol != null
                ? new FederatedEstimator(protocol, spec.run().seed(), spec.fed().clients(), d)
                : spec.optim().estimator().build(new EstimatorKind.Settings(spec.run().seed(), rows, spec.optim().batch(),
                        spec.optim().pageQ(),
                        spec.optim().mvrB()));
        boolean needConstants = problem.blocks() != null && TheoryCheck.needsConstants(spec, spec.chainSpec(rows));
        if (needConstants) {
            problem.freeSlots(); // the constants take Spark jobs of their own
        }
        TheoryCheck.Constants measured = !needConstants ? null
                : theoryConstants(spec, problem, d, step.lambda(), protocol != null, ctx.log());
        Trainer trainer = trainer(spec, problem, method, estimator, step);
        boolean trackIterates = spec.model().loss().nonSmooth() && problem.blocks() != null;
        RunStart start = RunStart.of(ctx.from(), layout, () -> RunModel.initialTheta(spec, model, ctx.data().sc()),
                problem.oracle(), trackIterates, ctx.log());
        ctx.data().sc().setJobDescription(null);
        TrainResult result = trainer.run(problem.oracle(), start.chain(), listener(ctx, spec, given, problem, start),
                start.state());
        problem.freeSlots();
        ctx.log().printf("[train] %s after %d rounds, %.2f epochs, ||grad f||^2 = %.3e, loss = %.9e, %.1f s%n",
                result.stopReason().text, result.rounds(), result.epochs(), result.gradNormSq(), result.loss(),
                result.wallMs() / 1000.0);
        Map<String, String> facts = oracleFacts(problem);
        ctx.out().delete(Checkpoints.DIR + "/client-state");
        Map<String, Object> convexSummary = convexSummary(ctx, spec, problem, setup, result, start, facts);
        TheoryCheck.Constants constants = measured == null || !(estimator instanceof FederatedEstimator fe) ? measured
                : measured.withClientError0(fe.initialClientError());
        putConstants(constants, facts);
        RunReport.write(ctx.out(), new RunReport.Inputs(spec, setup, result, start.records(), start.chain(), facts,
                problem.convex(), constants, convexSummary));
        cleanUpCheckpoints(ctx, spec, result, start.records());
        return new Outcome(result, start.records(), start.chain(), setup);
    }

    private static void logStart(PrintStream log, TrainSpec spec, Problem problem, Model model, Protocol protocol) {
        String modelText = model.describe();
        log.printf("[train] %d rows x %d features on %d clients, %s, method %s r=%d p=%s, estimator %s%s%n",
                problem.rows(), problem.features(), spec.fed().clients(), modelText, spec.chain().method().key(),
                spec.chain().rank(), spec.chain().p(),
                spec.optim().estimator().key(),
                protocol == null ? (spec.fed().sketchFirst() ? ", sketch-first" : "")
                        : ", protocol " + spec.fed().protocol().key() + " with " + spec.fed().compressorName()
                        + ", participation "
                        + spec.fed().participation());
    }

    /** The round loop of the run, with the held-out scores (classifiers, validation data) where there are any. */
    private static Trainer trainer(TrainSpec spec, Problem problem, ChainMethod method, GradientEstimator estimator,
                                   StepSizes.Choice step) {
        int metricsEvery = spec.run().metricsPerEpoch() ? (int) Math.ceil((double) problem.rows() / spec.optim().batch())
                : spec.run().metricsEvery();
        Trainer trainer = new Trainer(method, estimator, step.rule(), step.regularizer(), metricsEvery, spec.optim().rounds(),
                spec.optim().epochs(), spec.optim().tol(), spec.fed().sketchFirst())
                .withDivergeFactor(spec.run().divergeFactor());
        boolean classifier = problem.loss() != null && problem.loss().classifier();
        if (classifier || problem.validation() != null) {
            trainer = trainer.withHeldOut(new Trainer.HeldOut(classifier,
                    problem.validation() == null ? null : Evaluator.of(problem.validation(), classifier),
                    problem.test() == null ? null : Evaluator.of(problem.test(), classifier),
                    spec.optim().earlyStopPatience(), spec.optim().plateauPatience()));
        }
        return trainer;
    }

    /** Records the rows, follows the iterates, prints progress, and writes checkpoints every run.checkpoint.every. */
    private static RoundListener listener(Context ctx, TrainSpec spec, Map<String, String> given, Problem problem,
                                          RunStart start) {
        Progress progress = new Progress(ctx.log(), spec.run().progressSeconds(), spec.optim().rounds(), spec.optim().epochs());
        IterateSummary iterates = start.iterates();
        List<RoundRecord> records = start.records();
        return new RoundListener() {
            @Override
            public void onRound(RoundRecord record, LowRankChain c) {
                records.add(record);
                if (iterates != null) {
                    iterates.onRound(record, Double.isNaN(record.stepSize()) ? null : c.w());
                }
                progress.onRound(record, c);
            }

            @Override
            public void onState(TrainerState s, LowRankChain c) {
                if (spec.run().checkpointEvery() > 0 && s.round() % spec.run().checkpointEvery() == 0) {
                    Checkpoints.write(ctx.out(), given, s, c, records, problem.oracle().clientStates(),
                            iterates == null ? null : iterates.state());
                }
            }
        };
    }

    /** What the Spark oracle shipped (config.properties' run facts), and the data's identity. */
    private static Map<String, String> oracleFacts(Problem problem) {
        Map<String, String> facts = new LinkedHashMap<>();
        if (problem.oracle() instanceof SparkOracle so) {
            facts.put("broadcast_numbers", Long.toString(so.broadcastNumbers()));
            facts.put("task_link_numbers", Long.toString(so.linkNumbers()));
            facts.put("snapshots", Integer.toString(so.snapshots()));
        }
        facts.put("data_key", problem.dataKey());
        return facts;
    }

    /** A convex non-smooth run's facts and summary entries (f*, L0, R, the best and average iterates). */
    private static Map<String, Object> convexSummary(Context ctx, TrainSpec spec, Problem problem, Setup setup,
                                                     TrainResult result, RunStart start, Map<String, String> facts) {
        ConvexFacts convex = problem.convex();
        if (convex == null) {
            return new LinkedHashMap<>();
        }
        ConvexOutputs.putFacts(convex, facts);
        ctx.data().sc().setJobDescription("average iterate");
        return ConvexOutputs.summarise(spec, spec.chainSpec(problem.rows()), setup.layout().modules().get(0),
                setup.gamma(), convex, result.stopReason() == StopReason.DIVERGED ? null : start.iterates(),
                start.records(), problem.blocks(), problem.loss(), problem.rows(), ctx.out());
    }

    private static void putConstants(TheoryCheck.Constants constants, Map<String, String> facts) {
        if (constants != null) {
            facts.put("L_max_rows", Double.toString(constants.perRow().lMax()));
            facts.put("L_tilde_rows", Double.toString(constants.perRow().lTilde()));
            if (constants.perClient() != null) {
                facts.put("L_max_clients", Double.toString(constants.perClient().lMax()));
                facts.put("L_tilde_clients", Double.toString(constants.perClient().lTilde()));
                facts.put("client_error_0", Double.toString(constants.clientError0()));
            }
        }
    }

    /**
     * A diverged run keeps its checkpoints up to the last finite metrics row (to resume from with other settings);
     * a finished one removes them unless run.checkpoint.keep.
     */
    private static void cleanUpCheckpoints(Context ctx, TrainSpec spec, TrainResult result, List<RoundRecord> records) {
        RunFolder out = ctx.out();
        if (result.stopReason() == StopReason.DIVERGED) {
            int lastGood = -1;
            for (RoundRecord r : records) {
                if (Double.isFinite(r.loss()) && Double.isFinite(r.gradNormSq())) {
                    lastGood = r.round();
                }
            }
            Checkpoints.removeNewerThan(out, lastGood);
            if (Checkpoints.any(out)) {
                ctx.log().printf("[train] kept the checkpoints before the divergence in %s/%s%n", out.uri(), Checkpoints.DIR);
            }
        } else if (!spec.run().checkpointKeep()) {
            Checkpoints.removeAll(out);
        }
    }

    /**
     * The smoothness constants of the stochastic and federated bounds, from one stage over the cached blocks
     * (docs/THEORY.md): per row always, per client (each client's own Lanczos) for a federated run. EF21's G_0 is
     * added after round 0.
     */
    private static TheoryCheck.Constants theoryConstants(TrainSpec spec, Problem problem, int d, double lambda,
                                                         boolean perClient, PrintStream log) {
        List<ClientSmoothness.Client> cs = ClientSmoothness.of(problem.blocks(), problem.loss(), d, spec.run().seed(),
                spec.optim().smoothnessTol(), perClient);
        List<RowNorms> norms = new ArrayList<>(cs.size());
        long[] clientRows = new long[cs.size()];
        double[] gram = new double[cs.size()];
        for (int l = 0; l < cs.size(); l++) {
            norms.add(cs.get(l).rows());
            clientRows[l] = cs.get(l).rows().rows();
            gram[l] = cs.get(l).gramNorm();
        }
        double[] weights = spec.fed().weighting().factors(clientRows);
        SmoothnessConstants rowsK = SmoothnessConstants.rows(norms, weights, lambda);
        SmoothnessConstants clientsK = perClient ? SmoothnessConstants.clients(gram, clientRows, weights, lambda) : null;
        log.printf("[train] theory constants: per row L_max = %.6e, Ltilde = %.6e%s%n", rowsK.lMax(), rowsK.lTilde(),
                clientsK == null ? "" : String.format(java.util.Locale.ROOT, "; per client L_max = %.6e, Ltilde = %.6e",
                        clientsK.lMax(), clientsK.lTilde()));
        return new TheoryCheck.Constants(problem.rows(), rowsK, clientsK, Double.NaN);
    }
}
