package org.blora.data.regression;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Per-feature standardisation of the pre-training data, as scikit-learn's {@code StandardScaler}:
 * x_j ← (x_j − mean_j) / std_j with the population std (a zero std is replaced by 1, as StandardScaler does),
 * and the label standardised the same way: y ← (y − mean_y) / std_y.
 */
public final class Standardize implements PostProcessing {
    private static final long serialVersionUID = 1L;

    private final double[] mean;
    private final double[] std;
    private final double yMean;
    private final double yStd;

    public Standardize(MomentStats stats) {
        if (stats.count() == 0) {
            throw new IllegalArgumentException("cannot standardise an empty data set");
        }
        this.mean = stats.featureMeans();
        this.std = stats.featureStds();
        for (int j = 0; j < std.length; j++) {
            if (std[j] == 0) {
                std[j] = 1;
            }
        }
        this.yMean = stats.labelMean();
        double s = stats.labelStd();
        this.yStd = s == 0 ? 1 : s;
    }

    @Override
    public double apply(double[] x, double y) {
        for (int j = 0; j < x.length; j++) {
            x[j] = (x[j] - mean[j]) / std[j];
        }
        return (y - yMean) / yStd;
    }

    @Override
    public Map<String, String> describe() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("postprocess", STANDARDIZE);
        m.put("postprocess.label.mean", Double.toString(yMean));
        m.put("postprocess.label.std", Double.toString(yStd));
        return m;
    }
}
