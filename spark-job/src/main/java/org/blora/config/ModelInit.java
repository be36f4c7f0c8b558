package org.blora.config;

/** W0 as model.init gives it: zeros (empty), N(0, I) from run.seed (gaussian), or the merged W of an adapter file. */
public record ModelInit(Kind kind, String path) {
    public enum Kind {
        ZEROS,
        GAUSSIAN,
        FILE
    }

    public ModelInit {
        if ((kind == Kind.FILE) == (path == null || path.isEmpty())) {
            throw new IllegalArgumentException("a path is expected exactly for Kind.FILE, got " + kind + " with '" + path + "'");
        }
    }

    static ModelInit parse(String value) {
        String v = value.trim();
        if (v.isEmpty()) {
            return new ModelInit(Kind.ZEROS, null);
        }
        return "gaussian".equalsIgnoreCase(v) ? new ModelInit(Kind.GAUSSIAN, null) : new ModelInit(Kind.FILE, v);
    }
}
