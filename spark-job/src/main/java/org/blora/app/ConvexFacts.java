package org.blora.app;

import java.io.PrintStream;
import java.util.List;
import org.blora.config.ConfigException;
import org.blora.config.DataSource;
import org.blora.config.LabelKind;
import org.blora.config.LossKind;
import org.blora.config.OptimSection;
import org.blora.config.StepRuleKind;
import org.blora.config.TrainSpec;
import org.blora.core.linalg.Dense;
import org.blora.core.objective.DataBlock;
import org.blora.core.objective.FStar;
import org.blora.core.objective.ReferenceSolve;
import org.blora.data.regression.RegressionGenerator;
import org.blora.spark.RowStatistics;

/**
 * What the convex non-smooth theorems need of a model.loss=lad or hinge run (docs/THEORY.md), learned before
 * training: the Lipschitz constant L0 (optim.subgradient.l0, or the mean row norm by one pass), f* with its
 * accuracy and a minimiser W* (known by construction for the generator's noiseless lad and sign-label hinge data,
 * else a certified reference solve of lad on the driver when the run needs it), and R = ||W0 - W*||
 * (optim.subgradient.r, or from W*). Each value says where it came from; a missing one is null or NaN.
 */
record ConvexFacts(double l0, String l0How, FStar fStar, double r, String rHow) {
    /** The reference solve collects the rows on the driver: at most this many numbers (16 MB). */
    static final long REFERENCE_SOLVE_LIMIT = 2_000_000;

    static ConvexFacts resolve(TrainSpec spec, DataSession.Loaded data, double[] theta0, PrintStream log) {
        RowStatistics.Result stats = RowStatistics.of(data.blocks(), spec.model().loss() == LossKind.HINGE);
        if (stats.badRow() >= 0) {
            throw new ConfigException("model.loss=hinge needs labels -1 or +1, but row " + stats.badRow() + " of the "
                    + dataName(spec) + " has " + stats.badLabel() + "; map the two classes to -1 and +1"
                    + (spec.data().source() == DataSource.SYNTHETIC_REGRESSION ? " (data.labels=sign)" : ""));
        }
        double l0 = Double.isNaN(spec.optim().subgradientL0()) ? stats.meanRowNorm() : spec.optim().subgradientL0();
        String l0How = Double.isNaN(spec.optim().subgradientL0()) ? "mean row norm (1/N) sum ||x_i||"
                : OptimSection.SUBGRADIENT_L0.name();

        FStar fStar = known(spec);
        boolean rAuto = Double.isNaN(spec.optim().subgradientR());
        boolean need = spec.optim().polyakFStarAuto() || (rAuto && spec.optim().stepRule() == StepRuleKind.THEORY);
        if (fStar == null && !Double.isNaN(spec.optim().polyakFStar())) {
            fStar = new FStar(spec.optim().polyakFStar(), 0.0, null, OptimSection.POLYAK_FSTAR + " (given)");
        }
        if ((fStar == null || (rAuto && fStar.minimiser() == null)) && (need || rAuto) && spec.model().loss() == LossKind.LAD) {
            long numbers = stats.rows() * data.features();
            String why = null;
            if (numbers > REFERENCE_SOLVE_LIMIT) {
                why = "the reference solve collects the rows on the driver and is limited to N d <= " + REFERENCE_SOLVE_LIMIT
                        + " numbers, here " + numbers;
            } else {
                log.printf("[train] reference solve of least absolute deviations on the driver (%d x %d)%n",
                        stats.rows(), data.features());
                try {
                    List<DataBlock> rows = data.blocks().collect();
                    FStar solved = ReferenceSolve.leastAbsoluteDeviations(rows);
                    fStar = new FStar(solved.value(), solved.accuracy(), solved.minimiser(),
                            "reference solve on the driver: " + solved.how());
                    log.printf("[train] f* = %.12e (certified gap %.3e)%n", fStar.value(), fStar.accuracy());
                } catch (IllegalArgumentException e) {
                    why = e.getMessage();
                }
            }
            if (why != null && need) {
                throw new ConfigException((spec.optim().polyakFStarAuto() ? "optim.polyak.fstar=auto"
                        : "optim.subgradient.r=auto")
                        + ": " + why + "; set "
                        + (spec.optim().polyakFStarAuto() ? "optim.polyak.fstar=F" : "optim.subgradient.r=R"));
            }
        }
        if (fStar == null && spec.optim().polyakFStarAuto()) {
            throw new ConfigException("optim.polyak.fstar=auto: f* of the hinge loss is known here only for the synthetic "
                    + "data with data.labels=sign (separable, f* = 0); set optim.polyak.fstar=F");
        }
        double r = spec.optim().subgradientR();
        String rHow = OptimSection.SUBGRADIENT_R.name();
        if (rAuto && fStar != null && fStar.minimiser() != null) {
            r = Math.sqrt(Dense.normSq(Dense.minus(theta0, fStar.minimiser())));
            rHow = "||W0 - W*|| with W* from the "
                    + (fStar.how().startsWith("reference") ? "reference minimiser" : "construction");
        } else if (rAuto) {
            rHow = "unknown";
        }
        if (rAuto && spec.optim().stepRule() == StepRuleKind.THEORY && !(r > 0)) {
            throw new ConfigException("optim.step.rule=theory with model.loss=" + spec.model().loss().key()
                    + " is gamma = R / (L0 sqrt(lambda_max T)) "
                    + "and R = ||W0 - W*|| is " + (r == 0 ? "0 (W0 is a minimiser)" : "not known for these data")
                    + ": set optim.subgradient.r=R, or optim.step.rule=constant or polyak");
        }
        return new ConvexFacts(l0, l0How, fStar, r, rHow);
    }

    /** f* and W* known by construction of the synthetic data, or null. */
    private static FStar known(TrainSpec spec) {
        if (spec.data().source() != DataSource.SYNTHETIC_REGRESSION) {
            return null;
        }
        if (spec.model().loss() == LossKind.HINGE && spec.labels() == LabelKind.SIGN) {
            return new FStar(0.0, 0.0, DataSession.marginLabels(spec).minimiser(),
                    "sign labels with margin " + spec.data().margin() + ": f(u / margin) = 0");
        }
        if (spec.model().loss() == LossKind.LAD && spec.labels() == LabelKind.VALUES && spec.data().synthetic().noise() == 0.0
                && spec.data().synthetic().bias() == 0.0 && spec.data().split().shift() == 0.0) {
            return new FStar(0.0, 0.0, RegressionGenerator.coefficients(spec.data().synthetic()),
                    "noiseless targets y = x . w: f(w) = 0");
        }
        return null;
    }

    private static String dataName(TrainSpec spec) {
        return spec.data().path().isEmpty() ? spec.data().source().key() + " data" : "data at " + spec.data().path();
    }
}
