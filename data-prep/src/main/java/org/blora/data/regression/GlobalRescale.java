package org.blora.data.regression;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The fine-tuning data's global affine rescale ({@code scale_arrays_custom(target_mean=1, target_std=2)} in the
 * authors' code): all N·d feature entries together are mapped to mean 1 and std 2,
 * x ← (x − mean_X) / std_X · 2 + 1, and the labels separately, y ← (y − mean_y) / std_y · 2 + 1
 * (population stds; a zero std is replaced by 1).
 */
public final class GlobalRescale implements PostProcessing {
    private static final long serialVersionUID = 1L;

    public static final double PAPER_MEAN = 1.0;
    public static final double PAPER_STD = 2.0;

    private final double xMean;
    private final double xStd;
    private final double yMean;
    private final double yStd;
    private final double targetMean;
    private final double targetStd;

    public GlobalRescale(MomentStats stats, double targetMean, double targetStd) {
        if (stats.count() == 0) {
            throw new IllegalArgumentException("cannot rescale an empty data set");
        }
        this.xMean = stats.entryMean();
        double sx = stats.entryStd();
        this.xStd = sx == 0 ? 1 : sx;
        this.yMean = stats.labelMean();
        double sy = stats.labelStd();
        this.yStd = sy == 0 ? 1 : sy;
        this.targetMean = targetMean;
        this.targetStd = targetStd;
    }

    @Override
    public double apply(double[] x, double y) {
        for (int j = 0; j < x.length; j++) {
            x[j] = (x[j] - xMean) / xStd * targetStd + targetMean;
        }
        return (y - yMean) / yStd * targetStd + targetMean;
    }

    @Override
    public Map<String, String> describe() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("postprocess", RESCALE);
        m.put("postprocess.features.mean", Double.toString(xMean));
        m.put("postprocess.features.std", Double.toString(xStd));
        m.put("postprocess.label.mean", Double.toString(yMean));
        m.put("postprocess.label.std", Double.toString(yStd));
        m.put("postprocess.target.mean", Double.toString(targetMean));
        m.put("postprocess.target.std", Double.toString(targetStd));
        return m;
    }
}
