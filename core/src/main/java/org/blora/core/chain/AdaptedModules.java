package org.blora.core.chain;

import java.util.ArrayList;
import java.util.List;
import org.blora.core.linalg.Shape;
import org.blora.core.model.ModelLayout;
import org.blora.core.model.Module;

/** The modules a chain method adapts (lora.modules, default every adaptable one), checked against the model. */
final class AdaptedModules {
    private AdaptedModules() {
    }

    /** Layout indices of the adapted modules, in layout order; bad names and ranks throw naming the key. */
    static int[] resolve(ChainSpec spec, ModelLayout layout) {
        List<String> names = spec.modules().isEmpty() ? layout.adaptableNames() : spec.modules();
        if (names.isEmpty()) {
            throw new IllegalArgumentException("the model has no adaptable module");
        }
        List<Integer> idx = new ArrayList<>();
        for (int i = 0; i < layout.modules().size(); i++) {
            Module m = layout.modules().get(i);
            if (!names.contains(m.name())) {
                continue;
            }
            if (!m.adaptable()) {
                throw new IllegalArgumentException("lora.modules: " + m.name() + " is a bias, not a weight matrix; "
                        + "adaptable modules are " + layout.adaptableNames());
            }
            int maxRank = Math.min(m.rows(), m.cols());
            if (spec.method() != Method.FPFT && (spec.rank() < 1 || spec.rank() > maxRank)) {
                String what = layout.modules().size() == 1 ? "model.shape=" + shape(m)
                        : "module " + m.name() + " (" + shape(m) + ")";
                throw new IllegalArgumentException("lora.rank must be in [1, min(m, n)] = [1, " + maxRank + "] for "
                        + what + ", got " + spec.rank());
            }
            idx.add(i);
        }
        for (String n : names) {
            layout.module(n); // throws for an unknown name, listing the model's modules
        }
        return idx.stream().mapToInt(Integer::intValue).toArray();
    }

    static Shape shape(Module m) {
        return new Shape(m.rows(), m.cols());
    }

    /** The module's block of theta (or of a gradient), copied. */
    static double[] slice(double[] theta, Module m) {
        double[] out = new double[m.size()];
        System.arraycopy(theta, m.offset(), out, 0, m.size());
        return out;
    }
}
