package org.blora.io;

import java.util.List;
import java.util.Locale;
import org.blora.core.train.RoundRecord;
import org.blora.core.train.Scores;

/**
 * metrics.csv: one row per round. Classifier runs add the accuracy on the training clients and the loss and
 * accuracy on the validation and test data, evaluated on metric rounds (empty elsewhere).
 */
public final class MetricsCsv {
    public static final String HEADER =
            "round,epoch,wall_ms,loss,grad_norm_sq,step_size,side,uplink_bits,downlink_bits,cum_uplink_bits";
    public static final String SCORES = "accuracy,val_loss,val_accuracy,test_loss,test_accuracy";

    private MetricsCsv() {
    }

    /** Every column but wall_ms is a deterministic function of (configuration, seed): equal across reruns. */
    public static String render(List<RoundRecord> rows) {
        return render(rows, null, null);
    }

    /**
     * With a theorem's bound per row ({@code bound[i]}, NaN where none) and its name: the columns {@code bound,
     * bound_name} at the end.
     */
    public static String render(List<RoundRecord> rows, double[] bound, String boundName) {
        boolean scores = rows.stream().anyMatch(r -> !Scores.NONE.equals(r.scores()));
        StringBuilder sb = new StringBuilder(HEADER).append(scores ? "," + SCORES : "")
                .append(bound != null ? ",bound,bound_name" : "").append('\n');
        for (int i = 0; i < rows.size(); i++) {
            RoundRecord r = rows.get(i);
            sb.append(r.round()).append(',')
                    .append(num(r.epoch())).append(',')
                    .append(r.wallMs()).append(',')
                    .append(num(r.loss())).append(',')
                    .append(num(r.gradNormSq())).append(',')
                    .append(num(r.stepSize())).append(',')
                    .append(r.side()).append(',')
                    .append(r.uplinkBits()).append(',')
                    .append(r.downlinkBits()).append(',')
                    .append(r.cumUplinkBits());
            if (scores) {
                Scores c = r.scores();
                sb.append(',').append(num(c.accuracy())).append(',').append(num(c.valLoss())).append(',')
                        .append(num(c.valAccuracy())).append(',').append(num(c.testLoss())).append(',')
                        .append(num(c.testAccuracy()));
            }
            if (bound != null) {
                sb.append(',').append(num(bound[i])).append(',').append(boundName);
            }
            sb.append('\n');
        }
        return sb.toString();
    }

    /** Parses a metrics.csv written by {@link #render}. */
    public static List<RoundRecord> parse(String text) {
        List<RoundRecord> rows = new java.util.ArrayList<>();
        String[] lines = text.split("\n");
        if (lines.length == 0 || !lines[0].startsWith("round,epoch")) {
            throw new IllegalArgumentException("not a metrics.csv: the header must start with 'round,epoch'");
        }
        for (int i = 1; i < lines.length; i++) {
            if (lines[i].isBlank()) {
                continue;
            }
            String[] f = lines[i].split(",", -1);
            Scores scores = f.length >= 15
                    ? new Scores(dbl(f[10]), dbl(f[11]), dbl(f[12]), dbl(f[13]), dbl(f[14])) : Scores.NONE;
            rows.add(new RoundRecord(Integer.parseInt(f[0]), dbl(f[1]), Long.parseLong(f[2]), dbl(f[3]), dbl(f[4]),
                    dbl(f[5]), f[6], Long.parseLong(f[7]), Long.parseLong(f[8]), Long.parseLong(f[9]), scores));
        }
        return rows;
    }

    /** The bound column of a metrics.csv written with one (NaN where empty), or null without one. */
    public static double[] boundColumn(String text) {
        int k = boundIndex(text);
        if (k < 0) {
            return null;
        }
        String[] lines = text.split("\n");
        double[] b = new double[lines.length - 1];
        for (int i = 1; i < lines.length; i++) {
            String[] f = lines[i].split(",", -1);
            b[i - 1] = k < f.length ? dbl(f[k]) : Double.NaN;
        }
        return b;
    }

    /** The bound_name of a metrics.csv written with a bound (the same on every row), or null without one. */
    public static String boundName(String text) {
        int k = boundIndex(text);
        String[] lines = text.split("\n");
        return k < 0 || lines.length < 2 ? null : lines[1].split(",", -1)[k + 1];
    }

    private static int boundIndex(String text) {
        return java.util.Arrays.asList(text.substring(0, Math.max(0, text.indexOf('\n'))).split(",", -1)).indexOf("bound");
    }

    private static double dbl(String s) {
        if (s.isEmpty()) {
            return Double.NaN;
        }
        // num() lower-cases, so a diverged run's values read back as "infinity".
        return switch (s) {
            case "infinity" -> Double.POSITIVE_INFINITY;
            case "-infinity" -> Double.NEGATIVE_INFINITY;
            default -> Double.parseDouble(s);
        };
    }

    /** Shortest text that parses back to the same double; empty for NaN (not evaluated). */
    static String num(double v) {
        if (Double.isNaN(v)) {
            return "";
        }
        return Double.toString(v).toLowerCase(Locale.ROOT);
    }
}
