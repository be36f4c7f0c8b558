package org.blora.core.compress;

import java.util.SplittableRandom;

/**
 * Random dithering with s levels on the l2 norm (QSGD; Alistarh, Grubic, Li, Tomioka, Vojnović, "QSGD:
 * communication-efficient SGD via gradient quantization", NeurIPS 2017, eq. (4) and Lemma 3.1): with
 * ξ_i = s|x_i|/||x||, entry i becomes {@code sign(x_i) ||x|| l_i / s} where l_i = ⌊ξ_i⌋ + 1 with probability
 * ξ_i − ⌊ξ_i⌋ and ⌊ξ_i⌋ otherwise. Unbiased, {@code ω = min(d/s², √d/s)}.
 *
 * <p>Wire format ({@link QsgdMessage}): the norm as one double, then per entry a sign bit and a level in
 * {@code ceil(log2(s+1))} bits: {@code bits = 64 + d (1 + ceil(log2(s + 1)))}. A zero vector sends norm 0 and zero
 * levels. The norm is computed with rescaling when the plain sum of squares would under- or overflow. In floating
 * point ξ_i can exceed s by an ulp; the level is clamped to s (a bias of the order of one ulp).
 */
public final class Qsgd implements UnbiasedCompressor {

    private static final long serialVersionUID = 1L;

    private final int levels;

    /** @param levels s ≥ 1 (key {@code fed.compressor.levels}) */
    public Qsgd(int levels) {
        this.levels = Checks.requireLevels(levels);
    }

    public int levels() {
        return levels;
    }

    @Override
    public CompressedMessage compress(double[] x, SplittableRandom rng) {
        int d = Checks.requireNonEmpty(x);
        double norm = norm(x);
        int width = QsgdMessage.codeBits(levels);
        PackedCodes codes = new PackedCodes(d, width);
        if (norm > 0.0) {
            double perUnit = levels / norm;
            int signShift = width - 1;
            for (int i = 0; i < d; i++) {
                double xi = x[i];
                double xiScaled = Math.abs(xi) * perUnit;
                double floor = Math.floor(xiScaled);
                double frac = xiScaled - floor;
                long level = (long) floor;
                if (frac > 0.0 && rng.nextDouble() < frac) {
                    level++;
                }
                if (level > levels) {
                    level = levels;
                }
                if (level != 0) {
                    int sign = xi < 0 ? 1 : 0;
                    codes.set(i, (sign << signShift) | (int) level);
                }
            }
        }
        return new QsgdMessage(norm, levels, codes);
    }

    /** l2 norm, rejecting non-finite entries, rescaled by the largest magnitude when squares would under/overflow. */
    private double norm(double[] x) {
        double maxAbs = 0.0;
        double sumSq = 0.0;
        for (int i = 0; i < x.length; i++) {
            double a = Math.abs(x[i]);
            if (!(a <= Double.MAX_VALUE)) {
                throw Checks.nonFinite(name(), i, x[i]);
            }
            if (a > maxAbs) {
                maxAbs = a;
            }
            sumSq += a * a;
        }
        if (maxAbs == 0.0) {
            return 0.0;
        }
        if (sumSq >= 0x1p-900 && sumSq <= 0x1p900) {
            return Math.sqrt(sumSq);
        }
        double scaled = 0.0;
        for (double v : x) {
            double r = v / maxAbs;
            scaled += r * r;
        }
        return maxAbs * Math.sqrt(scaled);
    }

    @Override
    public double omega(int d) {
        return Math.min(d / ((double) levels * levels), Math.sqrt(d) / levels);
    }

    @Override
    public String name() {
        return "qsgd(s=" + levels + ")";
    }

    @Override
    public String toString() {
        return name();
    }
}
