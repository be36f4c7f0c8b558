package org.blora.data;

/**
 * Parsers for one line of the text formats: dense CSV (label first, no header) and libsvm
 * ("label idx:value ...", indices 1-based and increasing). Errors name the file and the line.
 */
public final class TextFormats {
    private TextFormats() {
    }

    public static LabeledRow csv(String line, String origin) {
        String[] parts = line.split(",", -1);
        if (parts.length < 2) {
            throw new DataException(origin + ": expected 'label,feature1,...' (dense CSV, label first, no header), got '"
                    + abbreviate(line) + "'");
        }
        double label = number(parts[0], origin, "label");
        double[] x = new double[parts.length - 1];
        for (int j = 1; j < parts.length; j++) {
            x[j - 1] = number(parts[j], origin, "column " + (j + 1));
        }
        return new LabeledRow(label, x, origin);
    }

    public static LabeledRow libsvm(String line, String origin, int features) {
        String[] parts = line.trim().split("\\s+");
        double label = number(parts[0], origin, "label");
        double[] x = new double[features];
        int last = 0;
        for (int k = 1; k < parts.length; k++) {
            int colon = parts[k].indexOf(':');
            if (colon <= 0) {
                throw new DataException(origin + ": expected 'index:value', got '" + abbreviate(parts[k]) + "' (libsvm format)");
            }
            int idx;
            try {
                idx = Integer.parseInt(parts[k].substring(0, colon));
            } catch (NumberFormatException e) {
                throw new DataException(origin + ": index '" + abbreviate(parts[k].substring(0, colon))
                        + "' is not an integer (libsvm format)");
            }
            if (idx <= last || idx > features) {
                throw new DataException(origin + ": index " + idx + " out of order or outside 1.." + features
                        + " (libsvm indices are 1-based, increasing; model.shape fixes the feature count)");
            }
            x[idx - 1] = number(parts[k].substring(colon + 1), origin, "feature " + idx);
            last = idx;
        }
        return new LabeledRow(label, x, origin);
    }

    private static double number(String s, String origin, String what) {
        try {
            double v = Double.parseDouble(s.trim());
            if (!Double.isFinite(v)) {
                throw new DataException(origin + ": " + what + " is " + s.trim() + " (NaN/Inf not allowed; clean the data)");
            }
            return v;
        } catch (NumberFormatException e) {
            throw new DataException(origin + ": " + what + " '" + abbreviate(s) + "' is not a number");
        }
    }

    private static String abbreviate(String s) {
        return s.length() <= 40 ? s : s.substring(0, 37) + "...";
    }
}
