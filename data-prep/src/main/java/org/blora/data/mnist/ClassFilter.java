package org.blora.data.mnist;

import java.io.Serializable;
import java.util.Arrays;
import java.util.Collection;
import java.util.TreeSet;

/**
 * Which classes of a classification data set a run keeps (the key {@code data.classes}): {@code all}, or classes
 * and ranges separated by commas, such as {@code 0-4} (the paper's pre-training digits), {@code 5-9} (its
 * fine-tuning digits) or {@code 0,3,7}. With relabelling, the kept classes map in increasing order to
 * 0..K−1, so 5-9 becomes 0-4 and the pre-trained 5-way head is re-used, as in the paper's code.
 */
public final class ClassFilter implements Serializable {
    private static final long serialVersionUID = 1L;
    /** Largest class accepted: labels are small non-negative integers. */
    public static final int MAX_CLASS = 65_535;
    public static final ClassFilter ALL = new ClassFilter("all", null);

    private final String text;
    /** Ascending, distinct; null for all. */
    private final int[] classes;

    private ClassFilter(String text, int[] classes) {
        this.text = text;
        this.classes = classes;
    }

    public static ClassFilter parse(String text) {
        String t = text == null ? "" : text.trim();
        if (t.equals("all")) {
            return ALL;
        }
        TreeSet<Integer> set = new TreeSet<>();
        for (String item : t.split(",", -1)) {
            String s = item.trim();
            int dash = s.indexOf('-', 1);
            int lo = number(s.substring(0, dash < 0 ? s.length() : dash), text);
            int hi = dash < 0 ? lo : number(s.substring(dash + 1), text);
            if (hi < lo) {
                throw new IllegalArgumentException("data.classes: range " + s + " runs backwards in '" + text
                        + "' (write it low-high, e.g. 5-9)");
            }
            for (int c = lo; c <= hi; c++) {
                set.add(c);
            }
        }
        return new ClassFilter(t, set.stream().mapToInt(Integer::intValue).toArray());
    }

    private static int number(String s, String text) {
        String t = s.trim();
        if (!t.matches("[0-9]{1,5}") || Integer.parseInt(t) > MAX_CLASS) {
            throw new IllegalArgumentException("data.classes must be 'all' or classes and ranges in [0, " + MAX_CLASS
                    + "] such as 0-4, 5-9 or 0,3,7, got '" + text + "'");
        }
        return Integer.parseInt(t);
    }

    public boolean all() {
        return classes == null;
    }

    public boolean keeps(int label) {
        return classes == null || Arrays.binarySearch(classes, label) >= 0;
    }

    /**
     * The classes a run is labelled by, ascending: the listed ones, or for {@code all} the classes present in the
     * data. With relabelling, class {@code result[k]} becomes label k.
     */
    public int[] classes(Collection<Integer> present) {
        return classes != null ? classes.clone()
                : present.stream().sorted().distinct().mapToInt(Integer::intValue).toArray();
    }

    @Override
    public String toString() {
        return text;
    }
}
