package org.blora.core.linalg;

import java.io.Serializable;
import java.util.Locale;

/**
 * How the parameter vector is viewed as the weight matrix W (m rows, n columns, row-major: entry (i, j) is
 * element i*n + j), as the paper reshapes x in R^4096 into W in R^{64x64}.
 */
public record Shape(int m, int n) implements Serializable {
    public Shape {
        if (m <= 0 || n <= 0) {
            throw new IllegalArgumentException("model.shape must be positive, got " + m + "x" + n);
        }
    }

    public int size() {
        return m * n;
    }

    /**
     * The squarest view of d parameters: m x n = d with m the largest divisor of d not above sqrt(d), so m <= n
     * (64 x 64 for 4,096; 2 x 5 for 10; 1 x d, where only rank 1 fits, for a prime d).
     */
    public static Shape squarest(int d) {
        if (d <= 0) {
            throw new IllegalArgumentException("a shape needs a positive number of entries, got " + d);
        }
        int m = (int) Math.sqrt(d);
        while ((long) (m + 1) * (m + 1) <= d) {
            m++;
        }
        while (d % m != 0) {
            m--;
        }
        return new Shape(m, d / m);
    }

    /** Parses "64x64"; the message names the key and the expected form. */
    public static Shape parse(String text) {
        String[] parts = text.trim().toLowerCase(Locale.ROOT).split("x");
        try {
            if (parts.length == 2) {
                return new Shape(Integer.parseInt(parts[0].trim()), Integer.parseInt(parts[1].trim()));
            }
        } catch (NumberFormatException e) {
            // fall through to the message below
        }
        throw new IllegalArgumentException("model.shape must look like MxN (e.g. 64x64), got '" + text + "'");
    }

    @Override
    public String toString() {
        return m + "x" + n;
    }
}
