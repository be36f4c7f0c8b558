package org.blora.app;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.blora.core.chain.ChainMethod;
import org.blora.core.chain.LowRankChain;
import org.blora.core.chain.StepRule;
import org.blora.core.estimator.Gd;
import org.blora.core.estimator.GradientEstimator;
import org.blora.core.estimator.Mvr;
import org.blora.core.estimator.Page;
import org.blora.core.estimator.Sgd;
import org.blora.core.estimator.FederatedEstimator;
import org.blora.core.federated.Protocol;
import org.blora.core.linalg.Shape;
import org.blora.core.model.Mlp;
import org.blora.core.model.ModelLayout;
import org.blora.core.objective.DataLoss;
import org.blora.core.oracle.ClientWeighting;
import org.blora.core.oracle.Evaluator;
import org.blora.core.train.Scores;
import org.blora.core.objective.LeastSquares;
import org.blora.core.objective.LeastAbsoluteDeviations;
import org.blora.core.objective.Hinge;
import org.blora.core.objective.DataBlock;
import org.blora.core.train.IterateSummary;
import org.blora.core.objective.NonConvexRegularizer;
import org.blora.core.random.Purpose;
import org.blora.core.random.RandomStreams;
import org.blora.core.sketch.GaussianSketch;
import org.blora.core.oracle.GradientOracle;
import org.blora.core.oracle.QuadraticOracle;
import org.blora.core.train.RoundListener;
import org.blora.core.train.RoundRecord;
import org.blora.core.train.SmoothnessEstimate;
import org.blora.core.train.StopReason;
import org.blora.core.train.TrainResult;
import org.blora.core.train.Trainer;
import org.blora.core.train.TrainerState;
import org.blora.config.ConfigException;
import org.blora.config.DataSource;
import org.blora.config.FedProtocol;
import org.blora.config.ModelType;
import org.blora.config.StepRuleKind;
import org.blora.config.TrainSpec;
import org.blora.io.Checkpoint;
import org.blora.io.Checkpoints;
import org.blora.io.RunFolder;
import org.blora.io.PeftAdapter;
import org.blora.io.RunOutputs;
import org.blora.io.SafetensorsWriter;
import org.blora.core.objective.RowNorms;
import org.blora.core.theory.SmoothnessConstants;
import org.blora.spark.ClientSmoothness;
import org.blora.spark.SparkOracle;

/**
 * Wires one training run: the clients' data as cached blocks, the Spark oracle, the smoothness estimate, the
 * core trainer, checkpoints, and the run folder. Nothing here does math or distribution itself.
 */
public final class TrainRun {
    /** Facts learned while setting up, reported in config.properties and summary.json. */
    public record Setup(ModelLayout layout, double expectedTrainable, long rows, int clients, double gramNorm, int lanczosStages, double lambda,
                        double lHat, double gamma, String stepRule) {
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
                           GradientOracle validation, GradientOracle test, JavaRDD<DataBlock> blocks, ConvexFacts convex) {
    }

    /** The model of the spec: its loss, what the executors evaluate. */
    static DataLoss loss(TrainSpec spec) {
        if (spec.modelType() == ModelType.MLP) {
            return new Mlp(spec.layers(), spec.dropout(), spec.seed());
        }
        return switch (spec.loss()) {
            case SQUARES -> new LeastSquares();
            case LAD -> new LeastAbsoluteDeviations();
            case HINGE -> new Hinge();
        };
    }

    /** The parameter layout: the MLP's modules, or the linear model's one matrix W of model.shape. */
    static ModelLayout layout(TrainSpec spec, int features) {
        if (spec.modelType() == ModelType.MLP) {
            try {
                loss(spec).parameters(features);
            } catch (IllegalArgumentException e) {
                throw new ConfigException(e.getMessage());
            }
            return Mlp.layout(spec.layers());
        }
        Shape shape = spec.shapeFor(features);
        spec.checkRank(shape);
        return ModelLayout.single("W", shape.m(), shape.n());
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
        if (spec.pretrain()) {
            spec = spec.withPretrainedInit(Pretraining.ensure(data, spec, ctx.log()));
        }
        if (spec.source() == DataSource.COUNTEREXAMPLE) {
            int d = spec.counterexampleFeatures();
            QuadraticOracle oracle = new QuadraticOracle(d, spec.curvature(), spec.dataSeed());
            return train(ctx, spec, given, new Problem("counterexample", oracle, 1, d, null, null, null, null, null));
        }
        DataSession.Loaded l = handed == null ? data.blocks(spec) : data.blocks(spec, handed);
        DataLoss loss = loss(spec);
        ConvexFacts convex = spec.loss().nonSmooth()
                ? ConvexFacts.resolve(spec, l, initialTheta(spec, layout(spec, l.features()), data.sc()), ctx.log()) : null;
        int params;
        try {
            params = loss.parameters(l.features());
        } catch (IllegalArgumentException e) {
            throw new ConfigException(e.getMessage());
        }
        if (spec.protocol() != FedProtocol.NONE && !data.sc().isLocal()) {
            // Reliable checkpoints of the client state where executors can be lost; local mode keeps them in
            // the block manager (same lineage cut, no extra write job per round).
            data.sc().setCheckpointDir(ctx.out().uri() + "/" + Checkpoints.DIR + "/client-state");
        }
        // run.snapshot.every=auto (0): a full-W snapshot only when an executor cannot advance its copy.
        DataSession.Loaded val = handed != null ? data.validation(spec, handed)
                : spec.source() == DataSource.MNIST ? data.heldOut(spec, "val") : null;
        if (val == null && (spec.earlyStopPatience() > 0 || spec.plateauPatience() > 0)) {
            throw new ConfigException("optim.early.stop.patience and optim.plateau.patience watch the validation loss, "
                    + "and these data have no validation rows (set a validationFraction > 0)");
        }
        DataSession.Loaded test = spec.source() == DataSource.MNIST ? data.heldOut(spec, "test") : null;
        try (SparkOracle oracle = new SparkOracle(data.sc(), l.blocks(), loss, params, l.rows(), spec.snapshotEvery(),
                data.sharedPasses());
             SparkOracle valOracle = val == null ? null : new SparkOracle(data.sc(), val.blocks(), loss, params, val.rows(), 0);
             SparkOracle testOracle = test == null ? null : new SparkOracle(data.sc(), test.blocks(), loss, params, test.rows(), 0)) {
            oracle.setRoundBudgetLabel("/" + spec.rounds());
            ClientWeighting w = spec.weighting();
            return train(ctx, spec, given, new Problem(l.key(), w.apply(oracle, l.clientRows()), l.rows(), l.features(),
                    loss, valOracle == null ? null : w.apply(valOracle, val.clientRows()),
                    testOracle == null ? null : w.apply(testOracle, test.clientRows()), l.blocks(), convex));
        }
    }

    private static Outcome train(Context ctx, TrainSpec spec, Map<String, String> given, Problem problem) {
        DataSession data = ctx.data();
        RunFolder out = ctx.out();
        PrintStream log = ctx.log();
        Checkpoint from = ctx.from();
        GradientOracle oracle = problem.oracle();
        String dataKey = problem.dataKey();
        long rows = problem.rows();
        int d = problem.features();
        JavaSparkContext sc = data.sc();
        ModelLayout layout = layout(spec, d);
        boolean linear = spec.modelType() == ModelType.LINEAR;
        String modelText = linear ? "W is " + layout.modules().get(0).rows() + "x" + layout.modules().get(0).cols()
                : "MLP " + layout + " (" + layout.size() + " parameters)";
        if (spec.estimator().minibatch() && spec.batch() > rows) {
            throw new ConfigException("optim.batch (" + spec.batch() + ") exceeds the " + rows + " rows; lower optim.batch");
        }
        Protocol protocol = spec.newProtocol();
        log.printf("[train] %d rows x %d features on %d clients, %s, method %s r=%d p=%s, estimator %s%s%n",
                rows, d, spec.clients(), modelText, spec.method().key(), spec.rank(), spec.p(), spec.estimator().key(),
                protocol == null ? (spec.sketchFirst() ? ", sketch-first" : "")
                        : ", protocol " + spec.protocol().key() + " with " + spec.compressorName() + ", participation "
                        + spec.participation());

        double gramNorm = Double.NaN;
        int stages = 0;
        boolean nonSmooth = spec.loss().nonSmooth();
        ConvexFacts convex = problem.convex();
        boolean needNorm = linear && !nonSmooth && (Double.isNaN(spec.lambda()) || spec.stepRule() == StepRuleKind.THEORY);
        if (needNorm) {
            // ||X^T X / N||_2 of the weighted data: cached per data set and weighting.
            String gramKey = spec.weighting() == ClientWeighting.ROWS ? dataKey : dataKey + ";fed.weighting=" + spec.weighting().name();
            double[] known = data.gramNorm(gramKey, spec.seed(), spec.smoothnessTol());
            if (known == null) {
                SmoothnessEstimate.Result r = SmoothnessEstimate.lanczos(oracle, d, spec.seed(), spec.smoothnessTol(), 10_000);
                known = new double[] {r.value(), r.stages()};
                data.rememberGramNorm(gramKey, spec.seed(), spec.smoothnessTol(), r.value(), r.stages());
            }
            gramNorm = known[0];
            stages = (int) known[1];
            log.printf("[train] ||X^T X / N||_2 = %.6e (%d Lanczos stages)%n", gramNorm, stages);
        }
        // reg.lambda=auto is the paper's ||X^T X / N||_2 for the linear model; the MLP has no regulariser by default.
        double lambda = Double.isNaN(spec.lambda()) ? (linear && !nonSmooth ? gramNorm : 0.0) : spec.lambda();
        NonConvexRegularizer reg = new NonConvexRegularizer(lambda);
        double lHat = needNorm ? gramNorm + reg.curvatureBound() : Double.NaN;
        double gamma = spec.stepRule() == StepRuleKind.THEORY ? spec.stepC() / lHat : spec.stepSize();
        StepRule rule;
        if (nonSmooth) {
            rule = subgradientRule(spec, layout, convex);
            gamma = spec.stepRule() == StepRuleKind.POLYAK ? Double.NaN : rule.gamma(0.0, null);
        } else {
            rule = switch (spec.stepRule()) {
                case THEORY, CONSTANT -> StepRule.constant(gamma);
                case POLYAK -> StepRule.polyak(spec.polyakFStar());
            };
        }
        ChainMethod method;
        try {
            method = ChainMethod.of(spec.chainSpec(rows), layout);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(e.getMessage());
        }
        Setup setup = new Setup(layout, method.expectedTrainableParams(), rows, spec.clients(), gramNorm, stages,
                lambda, lHat, gamma, rule.describe());
        GradientEstimator estimator = protocol != null
                ? new FederatedEstimator(protocol, spec.seed(), spec.clients(), d)
                : switch (spec.estimator()) {
                    case GD -> new Gd();
                    case SGD -> new Sgd(spec.seed(), rows, spec.batch());
                    case PAGE -> new Page(spec.seed(), rows, spec.batch(),
                            Double.isNaN(spec.pageQ()) ? Page.defaultQ(spec.batch(), rows) : spec.pageQ());
                    case MVR -> new Mvr(spec.seed(), rows, spec.batch(), spec.mvrB());
                };
        TheoryCheck.Constants measured = problem.blocks() == null || !TheoryCheck.needsConstants(spec, spec.chainSpec(rows))
                ? null : theoryConstants(spec, problem, d, lambda, protocol != null, log);
        int metricsEvery = spec.metricsPerEpoch() ? (int) Math.ceil((double) rows / spec.batch()) : spec.metricsEvery();
        Trainer trainer = new Trainer(method, estimator, rule, reg, metricsEvery, spec.rounds(), spec.epochs(),
                spec.tol(), spec.sketchFirst());
        boolean classifier = problem.loss() != null && problem.loss().classifier();
        if (classifier || problem.validation() != null) {
            trainer = trainer.withHeldOut(new Trainer.HeldOut(classifier,
                    problem.validation() == null ? null : Evaluator.of(problem.validation(), classifier),
                    problem.test() == null ? null : Evaluator.of(problem.test(), classifier),
                    spec.earlyStopPatience(), spec.plateauPatience()));
        }
        LowRankChain chain;
        List<RoundRecord> records;
        TrainerState state;
        if (from == null) {
            chain = new LowRankChain(layout, initialTheta(spec, layout, sc));
            records = new ArrayList<>();
            state = TrainerState.start();
        } else {
            if (!from.layout().equals(layout)) {
                throw new ConfigException("run.resume: the checkpoint of round " + from.round() + " holds a model ("
                        + from.layout() + ") but the data give " + layout + " (resume with the same data, or use another --out)");
            }
            chain = from.chain();
            oracle.restoreClientStates(from.clientStates());
            records = new ArrayList<>(from.rows());
            state = from.state();
            log.printf("[train] resuming from checkpoint round-%d (%.1f s of training so far)%n", from.round(),
                    state.wallMs() / 1000.0);
        }
        Map<String, String> resolved = given;
        Progress progress = new Progress(log, spec.progressSeconds(), spec.rounds(), spec.epochs());
        // The convex theorems speak of the best and the average iterate; a resumed run goes on from the checkpoint's
        // (one written before checkpoints kept them has none, and the run then writes neither).
        IterateSummary iterates = !nonSmooth || problem.blocks() == null ? null
                : from == null ? new IterateSummary(chain.w())
                : from.iterates() == null ? null : new IterateSummary(from.iterates(), chain.w());
        sc.setJobDescription(null);
        TrainResult result = trainer.run(oracle, chain, new RoundListener() {
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
                if (spec.checkpointEvery() > 0 && s.round() % spec.checkpointEvery() == 0) {
                    Checkpoints.write(out, resolved, s, c, records, oracle.clientStates(),
                            iterates == null ? null : iterates.state());
                }
            }
        }, state);
        log.printf("[train] %s after %d rounds, %.2f epochs, ||grad f||^2 = %.3e, loss = %.9e, %.1f s%n",
                result.stopReason().text, result.rounds(), result.epochs(), result.gradNormSq(), result.loss(),
                result.wallMs() / 1000.0);
        Map<String, String> facts = new LinkedHashMap<>();
        if (oracle instanceof SparkOracle so) {
            facts.put("broadcast_numbers", Long.toString(so.broadcastNumbers()));
            facts.put("task_link_numbers", Long.toString(so.linkNumbers()));
            facts.put("snapshots", Integer.toString(so.snapshots()));
        }
        facts.put("data_key", dataKey);
        out.delete(Checkpoints.DIR + "/client-state");
        Map<String, Object> convexSummary = new LinkedHashMap<>();
        if (convex != null) {
            ConvexOutputs.putFacts(convex, facts);
            sc.setJobDescription("average iterate");
            convexSummary = ConvexOutputs.summarise(spec, spec.chainSpec(rows), layout.modules().get(0), gamma, convex,
                    result.stopReason() == StopReason.DIVERGED ? null : iterates, records, problem.blocks(), problem.loss(),
                    rows, out);
        }
        TheoryCheck.Constants constants = measured == null || !(estimator instanceof FederatedEstimator fe) ? measured
                : measured.withClientError0(fe.initialClientError());
        if (constants != null) {
            facts.put("L_max_rows", Double.toString(constants.perRow().lMax()));
            facts.put("L_tilde_rows", Double.toString(constants.perRow().lTilde()));
            if (constants.perClient() != null) {
                facts.put("L_max_clients", Double.toString(constants.perClient().lMax()));
                facts.put("L_tilde_clients", Double.toString(constants.perClient().lTilde()));
                facts.put("client_error_0", Double.toString(constants.clientError0()));
            }
        }
        writeOutputs(spec, setup, result, records, chain, facts, out, convex, constants, convexSummary);
        if (result.stopReason() == StopReason.DIVERGED) {
            int lastGood = -1;
            for (RoundRecord r : records) {
                if (Double.isFinite(r.loss()) && Double.isFinite(r.gradNormSq())) {
                    lastGood = r.round();
                }
            }
            Checkpoints.removeNewerThan(out, lastGood);
            if (Checkpoints.any(out)) {
                log.printf("[train] kept the checkpoints before the divergence in %s/%s%n", out.uri(), Checkpoints.DIR);
            }
        } else if (!spec.checkpointKeep()) {
            Checkpoints.removeAll(out);
        }
        return new Outcome(result, records, chain, setup);
    }

    /** config.properties (the resolved keys and the run's facts), metrics, adapter, plot, then summary.json. */
    private static void writeOutputs(TrainSpec spec, Setup setup, TrainResult result, List<RoundRecord> records,
                                     LowRankChain chain, Map<String, String> runFacts, RunFolder out,
                                     ConvexFacts convex, TheoryCheck.Constants constants,
                                     Map<String, Object> convexSummary) {
        Map<String, String> facts = new LinkedHashMap<>();
        facts.put("spark.version", org.apache.spark.package$.MODULE$.SPARK_VERSION());
        facts.put("java.version", System.getProperty("java.version"));
        facts.put("git.revision", BuildInfo.gitRevision());
        facts.put("rows", Long.toString(setup.rows()));
        facts.put("model", setup.layout().toString());
        facts.put("parameters", Integer.toString(setup.layout().size()));
        facts.put("gram_norm", Double.toString(setup.gramNorm()));
        facts.put("lanczos_stages", Integer.toString(setup.lanczosStages()));
        facts.put("lambda", Double.toString(setup.lambda()));
        facts.put("L_hat", Double.toString(setup.lHat()));
        facts.put("step_rule", setup.stepRule());
        facts.putAll(runFacts);
        String title = out.name() + ": " + spec.method().key() + " r=" + spec.rank() + " p=" + spec.p() + " "
                + spec.estimator().key()
                + (spec.protocol() == FedProtocol.NONE ? "" : " " + spec.protocol().key() + "+" + spec.compressorName());
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("loss", result.loss());
        summary.put("grad_norm_sq", result.gradNormSq());
        summary.put("rounds", result.rounds());
        summary.put("epochs", result.epochs());
        summary.put("wall_ms", result.wallMs());
        summary.put("converged", result.converged());
        summary.put("stop_reason", result.stopReason().text);
        summary.put("trainable_params", result.trainableParams());
        summary.put("expected_trainable_params", setup.expectedTrainable());
        RoundRecord lastRow = records.isEmpty() ? null : records.get(records.size() - 1);
        if (lastRow != null && !Scores.NONE.equals(lastRow.scores())) {
            summary.put("accuracy", lastRow.scores().accuracy());
            summary.put("val_loss", lastRow.scores().valLoss());
            summary.put("val_accuracy", lastRow.scores().valAccuracy());
            summary.put("test_loss", lastRow.scores().testLoss());
            summary.put("test_accuracy", lastRow.scores().testAccuracy());
        }
        summary.put("total_uplink_bits", result.totalUplinkBits());
        summary.put("lambda", setup.lambda());
        summary.put("step_size", setup.gamma());
        TheoryCheck.Result theory = setup.layout().modules().size() == 1
                ? TheoryCheck.of(spec, spec.chainSpec(setup.rows()), setup.layout().modules().get(0), setup.gamma(),
                        setup.lHat(), convex, constants, records)
                : null;
        summary.putAll(convexSummary);
        if (theory == null) {
            String why = TheoryCheck.uncovered(spec, spec.chainSpec(setup.rows()), setup.layout().modules().size());
            if (why != null) {
                summary.put("bound_note", why);
            }
        } else if (theory.bound() == null) {
            summary.put("bound_note", theory.note());
            theory = null;
        }
        if (theory != null) {
            summary.put("bound_name", theory.name());
            summary.put("bound_measure", theory.bound().measure().description);
            summary.put("bound_ratio", theory.worstRatio());
            summary.put("bound_held", theory.held());
        }
        RunOutputs.write(out, spec.config().toProperties(facts), records, chain,
                new RunOutputs.AdapterInfo(spec.method().key(), spec.rank(), spec.p(), spec.sketch().name(), spec.seed(),
                        // A diverged chain is no adapter anyone loads: no PEFT export of it.
                        result.stopReason() == StopReason.DIVERGED ? null : new PeftAdapter.Options(
                                spec.exportF64() ? SafetensorsWriter.Dtype.F64 : SafetensorsWriter.Dtype.F32, spec.exportRank())),
                new RunOutputs.PlotInfo(title, spec.protocol() != FedProtocol.NONE || spec.sketchFirst()), summary,
                theory == null ? RunOutputs.BoundColumn.NONE : new RunOutputs.BoundColumn(theory.perRow(), theory.name(),
                        theory.bound().measure(), theory.measured()));
    }

    /**
     * The smoothness constants of the stochastic and federated bounds, from one stage over the cached blocks
     * (docs/THEORY.md): per row always, per client (each client's own Lanczos) for a federated run. EF21's G_0 is
     * added after round 0.
     */
    private static TheoryCheck.Constants theoryConstants(TrainSpec spec, Problem problem, int d, double lambda,
                                                         boolean perClient, PrintStream log) {
        List<ClientSmoothness.Client> cs = ClientSmoothness.of(problem.blocks(), problem.loss(), d, spec.seed(),
                spec.smoothnessTol(), perClient);
        List<RowNorms> norms = new ArrayList<>(cs.size());
        long[] clientRows = new long[cs.size()];
        double[] gram = new double[cs.size()];
        for (int l = 0; l < cs.size(); l++) {
            norms.add(cs.get(l).rows());
            clientRows[l] = cs.get(l).rows().rows();
            gram[l] = cs.get(l).gramNorm();
        }
        double[] weights = spec.weighting().factors(clientRows);
        SmoothnessConstants rowsK = SmoothnessConstants.rows(norms, weights, lambda);
        SmoothnessConstants clientsK = perClient ? SmoothnessConstants.clients(gram, clientRows, weights, lambda) : null;
        log.printf("[train] theory constants: per row L_max = %.6e, Ltilde = %.6e%s%n", rowsK.lMax(), rowsK.lTilde(),
                clientsK == null ? "" : String.format(java.util.Locale.ROOT, "; per client L_max = %.6e, Ltilde = %.6e",
                        clientsK.lMax(), clientsK.lTilde()));
        return new TheoryCheck.Constants(problem.rows(), rowsK, clientsK, Double.NaN);
    }

    /**
     * The stepsize of a model.loss=lad or hinge run: theory = c R / (L0 sqrt(lambda_max^p T)) (c = optim.step.c; 1 is
     * the convex theorem's step),
     * constant = optim.step.size, polyak = (lambda_min^p / lambda_max^p)(f(W_t) - f*) / ||g_t||^2 with f* given or
     * resolved (optim.polyak.fstar=auto).
     */
    static StepRule subgradientRule(TrainSpec spec, ModelLayout layout, ConvexFacts convex) {
        var chain = spec.chainSpec(1);
        boolean theorem = chain.method() == org.blora.core.chain.Method.FPFT || chain.method() == org.blora.core.chain.Method.BERNOULLI
                || chain.method() == org.blora.core.chain.Method.RAC;
        org.blora.core.theory.SketchConstants lambdas = theorem
                ? TheoryCheck.lambdas(chain, layout.modules().get(0)) : org.blora.core.theory.SketchConstants.fullFineTuning();
        try {
            return switch (spec.stepRule()) {
                case THEORY -> {
                    if (!theorem) {
                        throw new ConfigException("optim.step.rule=theory with model.loss=" + spec.loss().key() + " is the step of the "
                                + "Bernoulli-LoRA convex theorem: use lora.method=bernoulli, rac or fpft, or optim.step.rule=constant");
                    }
                    StepRule theory = StepRule.subgradientConstant(convex.r(), convex.l0(), lambdas.lambdaMax(), spec.rounds());
                    // optim.step.c scales the theorem's step (c = 1: the step that minimises the bound at T).
                    yield spec.stepC() == 1.0 ? theory : StepRule.constant(spec.stepC() * theory.gamma(0.0, null));
                }
                case CONSTANT -> StepRule.constant(spec.stepSize());
                case POLYAK -> StepRule.polyak(spec.polyakFStarAuto() ? convex.fStar().value() : spec.polyakFStar(),
                        lambdas.lambdaMin(), lambdas.lambdaMax());
            };
        } catch (IllegalArgumentException e) {
            throw new ConfigException(e.getMessage());
        }
    }

    /**
     * theta0: the default is zeros for the linear model and PyTorch's default init for the MLP (from run.seed's INIT
     * stream), gaussian = N(0, I), or a finished run's merged modules.
     */
    static double[] initialTheta(TrainSpec spec, ModelLayout layout, JavaSparkContext sc) {
        return switch (spec.init().kind()) {
            case ZEROS -> spec.modelType() == ModelType.MLP
                    ? Mlp.init(layout, RandomStreams.of(spec.seed(), 0, RandomStreams.DRIVER, Purpose.INIT))
                    : new double[layout.size()];
            case GAUSSIAN -> new GaussianSketch().sampleRight(1, layout.size(),
                    RandomStreams.of(spec.seed(), 0, RandomStreams.DRIVER, Purpose.INIT));
            case FILE -> {
                try {
                    yield RunOutputs.mergedTheta(spec.init().path(), layout, sc.hadoopConfiguration());
                } catch (IllegalArgumentException e) {
                    throw new ConfigException("model.init: " + e.getMessage());
                }
            }
        };
    }
}
