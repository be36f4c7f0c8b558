package org.blora.data.regression;

import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.blora.data.key.Sha256;

/**
 * Parameters of a synthetic regression data set with scikit-learn {@code make_regression} semantics
 * (see {@link RegressionGenerator}); the configuration keys are {@code data.rows}, {@code data.features},
 * {@code data.informative}, {@code data.effective.rank}, {@code data.tail.strength}, {@code data.noise},
 * {@code data.bias} and {@code data.seed}.
 *
 * <p>Immutable; the constructor rejects bad values with one line that names the key and shows the value.
 */
public final class RegressionSpec implements Serializable {
    private static final long serialVersionUID = 1L;

    public static final String ROWS = "data.rows";
    public static final String FEATURES = "data.features";
    public static final String INFORMATIVE = "data.informative";
    public static final String EFFECTIVE_RANK = "data.effective.rank";
    public static final String TAIL_STRENGTH = "data.tail.strength";
    public static final String NOISE = "data.noise";
    public static final String BIAS = "data.bias";
    public static final String SEED = "data.seed";

    private final long rows;
    private final int features;
    private final int informative;
    private final int effectiveRank;
    private final double tailStrength;
    private final double noise;
    private final double bias;
    private final long seed;

    /**
     * @param rows          N, number of samples (at least 1)
     * @param features      d, number of features (at least 1)
     * @param informative   number of nonzero true coefficients, 0..d
     * @param effectiveRank R of the low-rank-with-tail singular profile; 0 means i.i.d. N(0, 1) features
     * @param tailStrength  weight of the slowly decaying tail of the profile, in [0, 1]
     * @param noise         standard deviation of the Gaussian label noise, at least 0
     * @param bias          intercept added to every label
     * @param seed          master seed of all random streams, at least 0
     */
    public RegressionSpec(long rows, int features, int informative, int effectiveRank, double tailStrength,
                          double noise, double bias, long seed) {
        if (rows < 1) {
            throw new IllegalArgumentException(ROWS + " must be at least 1, got " + rows);
        }
        if (features < 1) {
            throw new IllegalArgumentException(FEATURES + " must be at least 1, got " + features);
        }
        if (informative < 0 || informative > features) {
            throw new IllegalArgumentException(INFORMATIVE + " must be in [0, " + FEATURES + "=" + features
                    + "], got " + informative);
        }
        if (effectiveRank < 0) {
            throw new IllegalArgumentException(EFFECTIVE_RANK + " must be at least 0 (0 = plain Gaussian features), got "
                    + effectiveRank);
        }
        if (!(tailStrength >= 0.0 && tailStrength <= 1.0)) {
            throw new IllegalArgumentException(TAIL_STRENGTH + " must be in [0, 1], got " + tailStrength);
        }
        if (!(noise >= 0.0) || Double.isInfinite(noise)) {
            throw new IllegalArgumentException(NOISE + " must be finite and at least 0, got " + noise);
        }
        if (!Double.isFinite(bias)) {
            throw new IllegalArgumentException(BIAS + " must be finite, got " + bias);
        }
        if (seed < 0) {
            throw new IllegalArgumentException(SEED + " must be at least 0, got " + seed);
        }
        this.rows = rows;
        this.features = features;
        this.informative = informative;
        this.effectiveRank = effectiveRank;
        this.tailStrength = tailStrength;
        this.noise = noise;
        this.bias = bias;
        this.seed = seed;
    }

    /**
     * Pre-training data of the paper's linear-regression experiment: {@code make_regression(n_samples=90000,
     * n_features=4096, n_informative=4096, noise=20, bias=0, tail_strength=0.8, effective_rank=64,
     * random_state=42)} (docs/METHOD.md section 7), post-processed with {@code standardize}.
     */
    public static RegressionSpec paperPretrain() {
        return new RegressionSpec(90_000, 4096, 4096, 64, 0.8, 20.0, 0.0, 42);
    }

    /**
     * Fine-tuning data of the paper's linear-regression experiment: {@code make_regression(n_samples=10000,
     * n_features=4096, n_informative=2048, noise=50, bias=10, tail_strength=0.9, effective_rank=32,
     * random_state=84)} (docs/METHOD.md section 7), post-processed with {@code rescale}.
     */
    public static RegressionSpec paperFinetune() {
        return new RegressionSpec(10_000, 4096, 2048, 32, 0.9, 50.0, 10.0, 84);
    }

    public long rows() {
        return rows;
    }

    public int features() {
        return features;
    }

    public int informative() {
        return informative;
    }

    public int effectiveRank() {
        return effectiveRank;
    }

    public double tailStrength() {
        return tailStrength;
    }

    public double noise() {
        return noise;
    }

    public double bias() {
        return bias;
    }

    public long seed() {
        return seed;
    }

    /** The spec as configuration keys, in a fixed order; doubles in Java's shortest round-trip form. */
    public Map<String, String> toProperties() {
        Map<String, String> p = new LinkedHashMap<>();
        p.put(ROWS, Long.toString(rows));
        p.put(FEATURES, Integer.toString(features));
        p.put(INFORMATIVE, Integer.toString(informative));
        p.put(EFFECTIVE_RANK, Integer.toString(effectiveRank));
        p.put(TAIL_STRENGTH, Double.toString(tailStrength));
        p.put(NOISE, Double.toString(noise));
        p.put(BIAS, Double.toString(bias));
        p.put(SEED, Long.toString(seed));
        return p;
    }

    /** Inverse of {@link #toProperties()}; every key is required, a malformed value is reported with its key. */
    public static RegressionSpec fromProperties(Map<String, String> p) {
        return new RegressionSpec(parseLong(p, ROWS), (int) parseLong(p, FEATURES), (int) parseLong(p, INFORMATIVE),
                (int) parseLong(p, EFFECTIVE_RANK), parseDouble(p, TAIL_STRENGTH), parseDouble(p, NOISE),
                parseDouble(p, BIAS), parseLong(p, SEED));
    }

    private static String required(Map<String, String> p, String key) {
        String v = p.get(key);
        if (v == null) {
            throw new IllegalArgumentException(key + " is missing");
        }
        return v.trim();
    }

    private static long parseLong(Map<String, String> p, String key) {
        String v = required(p, key);
        try {
            long x = Long.parseLong(v);
            if (!key.equals(ROWS) && !key.equals(SEED) && (x < Integer.MIN_VALUE || x > Integer.MAX_VALUE)) {
                throw new IllegalArgumentException(key + " must fit in an int, got " + v);
            }
            return x;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + " must be an integer, got '" + v + "'");
        }
    }

    private static double parseDouble(Map<String, String> p, String key) {
        String v = required(p, key);
        try {
            return Double.parseDouble(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + " must be a number, got '" + v + "'");
        }
    }

    /**
     * A stable key for a generated copy on disk: the first 16 hex digits of SHA-256 over the generator version
     * and every parameter (doubles by their exact bits). It changes whenever the generated values could.
     */
    public String cacheKey() {
        StringBuilder canonical = new StringBuilder("blora-regression/v").append(RegressionGenerator.VERSION);
        canonical.append(";rows=").append(rows)
                .append(";features=").append(features)
                .append(";informative=").append(informative)
                .append(";effectiveRank=").append(effectiveRank)
                .append(";tail=").append(Long.toHexString(Double.doubleToLongBits(tailStrength)))
                .append(";noise=").append(Long.toHexString(Double.doubleToLongBits(noise)))
                .append(";bias=").append(Long.toHexString(Double.doubleToLongBits(bias)))
                .append(";seed=").append(seed);
        return "reg-" + Sha256.hex(canonical.toString()).substring(0, 16);
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof RegressionSpec)) {
            return false;
        }
        RegressionSpec s = (RegressionSpec) o;
        return rows == s.rows && features == s.features && informative == s.informative
                && effectiveRank == s.effectiveRank
                && Double.doubleToLongBits(tailStrength) == Double.doubleToLongBits(s.tailStrength)
                && Double.doubleToLongBits(noise) == Double.doubleToLongBits(s.noise)
                && Double.doubleToLongBits(bias) == Double.doubleToLongBits(s.bias) && seed == s.seed;
    }

    @Override
    public int hashCode() {
        return Objects.hash(rows, features, informative, effectiveRank, tailStrength, noise, bias, seed);
    }

    @Override
    public String toString() {
        return "RegressionSpec" + toProperties();
    }
}
