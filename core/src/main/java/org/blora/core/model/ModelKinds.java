package org.blora.core.model;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;

/**
 * The model kinds on the class path: every class named in a {@code META-INF/services/org.blora.core.model.ModelKind}
 * file (this module's names the linear model and the MLP), in the order of their keys, whatever the class path's.
 */
public final class ModelKinds {
    private ModelKinds() {
    }

    /** Every registered kind, by key. */
    public static List<ModelKind> all() {
        List<ModelKind> kinds = new ArrayList<>();
        ServiceLoader.load(ModelKind.class, ModelKind.class.getClassLoader()).forEach(kinds::add);
        kinds.sort(Comparator.comparing(ModelKind::key));
        return kinds;
    }

    /** The model.type values. */
    public static List<String> keys() {
        return all().stream().map(ModelKind::key).toList();
    }

    /** The kind named {@code key}; IllegalArgumentException listing the kinds otherwise. */
    public static ModelKind named(String key) {
        for (ModelKind k : all()) {
            if (k.key().equals(key)) {
                return k;
            }
        }
        throw new IllegalArgumentException("model.type must be one of " + keys() + ", got '" + key + "'");
    }

    /**
     * The model of a saved adapter, from its modules' shapes: the first kind that recognises them
     * ({@link ModelKind#fromModules}); IllegalArgumentException naming the modules and what each kind looks for.
     */
    public static Model fromModules(Map<String, int[]> shapes) {
        List<String> hints = new ArrayList<>();
        for (ModelKind k : all()) {
            Model m = k.fromModules(shapes);
            if (m != null) {
                return m;
            }
            hints.add(k.modulesHint());
        }
        throw new IllegalArgumentException("holds modules " + shapes.keySet() + ": none of the models " + hints);
    }
}
