package org.blora.data.regression;

import java.io.Serializable;
import java.util.Locale;
import java.util.Map;

/**
 * The paper's post-processing of a generated data set (docs/METHOD.md section 7), applied row by row on the
 * executors after the statistics were gathered in a first distributed pass:
 * {@code none}, {@code standardize} ({@link Standardize}, pre-training data) or {@code rescale}
 * ({@link GlobalRescale}, fine-tuning data).
 */
public interface PostProcessing extends Serializable {
    String NONE = "none";
    String STANDARDIZE = "standardize";
    String RESCALE = "rescale";

    /** Transforms the features in place and returns the transformed label. */
    double apply(double[] x, double y);

    /** The parameters, for the data set's {@code _spec.properties}. */
    Map<String, String> describe();

    /** Checks and normalises a post-processing name; the message names the option. */
    static String checkName(String name) {
        String n = name == null ? "" : name.trim().toLowerCase(Locale.ROOT);
        if (!n.equals(NONE) && !n.equals(STANDARDIZE) && !n.equals(RESCALE)) {
            throw new IllegalArgumentException("postprocess must be one of none, standardize, rescale, got '" + name + "'");
        }
        return n;
    }

    /** Whether {@code name} needs the statistics pass. */
    static boolean needsStatistics(String name) {
        return !checkName(name).equals(NONE);
    }

    /** The post-processing called {@code name}, built from the data set's statistics (ignored for none). */
    static PostProcessing of(String name, MomentStats stats) {
        switch (checkName(name)) {
            case STANDARDIZE:
                return new Standardize(stats);
            case RESCALE:
                return new GlobalRescale(stats, GlobalRescale.PAPER_MEAN, GlobalRescale.PAPER_STD);
            default:
                return Identity.INSTANCE;
        }
    }

    /** Leaves the data as generated. */
    final class Identity implements PostProcessing {
        private static final long serialVersionUID = 1L;
        static final Identity INSTANCE = new Identity();

        private Identity() {
        }

        @Override
        public double apply(double[] x, double y) {
            return y;
        }

        @Override
        public Map<String, String> describe() {
            return Map.of("postprocess", NONE);
        }

        private Object readResolve() {
            return INSTANCE;
        }
    }
}
