package org.blora.core.model;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * How a model's parameters lie in one flat vector theta: an ordered list of {@link Module}s, each a contiguous
 * row-major slice. Everything that works on vectors (estimators, compressors, federated protocols, the wire)
 * sees theta; only the chain methods and the model's loss look through the layout. The linear regression of
 * the paper is the one-module layout {@link #single}.
 */
public final class ModelLayout implements Serializable {
    private static final long serialVersionUID = 1L;

    private final List<Module> modules;
    private final int size;

    private ModelLayout(List<Module> modules) {
        this.modules = Collections.unmodifiableList(modules);
        this.size = modules.isEmpty() ? 0 : modules.get(modules.size() - 1).end();
    }

    /** One adaptable m x n matrix named {@code name}: the linear-regression model W. */
    public static ModelLayout single(String name, int m, int n) {
        return builder().add(name, m, n, true).build();
    }

    public static Builder builder() {
        return new Builder();
    }

    public List<Module> modules() {
        return modules;
    }

    /** Length of theta. */
    public int size() {
        return size;
    }

    /** The module called {@code name}; IllegalArgumentException listing the names when there is none. */
    public Module module(String name) {
        for (Module m : modules) {
            if (m.name().equals(name)) {
                return m;
            }
        }
        throw new IllegalArgumentException("unknown module '" + name + "'; the model has " + names());
    }

    public int indexOf(String name) {
        return modules.indexOf(module(name));
    }

    /** The adaptable modules' names, in layout order. */
    public List<String> adaptableNames() {
        List<String> out = new ArrayList<>();
        for (Module m : modules) {
            if (m.adaptable()) {
                out.add(m.name());
            }
        }
        return out;
    }

    public List<String> names() {
        List<String> out = new ArrayList<>();
        for (Module m : modules) {
            out.add(m.name());
        }
        return out;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ModelLayout l && l.modules.equals(modules);
    }

    @Override
    public int hashCode() {
        return modules.hashCode();
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        for (Module m : modules) {
            sb.append(sb.length() == 0 ? "" : ", ").append(m.name()).append(' ').append(m.rows()).append('x').append(m.cols());
        }
        return sb.toString();
    }

    public static final class Builder {
        private final List<Module> modules = new ArrayList<>();
        private int offset;

        public Builder add(String name, int rows, int cols, boolean adaptable) {
            for (Module m : modules) {
                if (m.name().equals(name)) {
                    throw new IllegalArgumentException("module '" + name + "' appears twice");
                }
            }
            Module m = new Module(name, rows, cols, offset, adaptable);
            modules.add(m);
            offset = Math.addExact(offset, m.size());
            return this;
        }

        public ModelLayout build() {
            return new ModelLayout(new ArrayList<>(modules));
        }
    }
}
