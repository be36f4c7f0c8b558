package org.blora.data.regression;

import java.io.Serializable;
import java.util.SplittableRandom;

/**
 * A fixed orthogonal d×d matrix V applied to vectors, playing the role of the right singular vectors in
 * {@code make_low_rank_matrix}: x = V diag(s) u. Because V is orthogonal, XᵀX = V (S UᵀU S) Vᵀ has the same
 * eigenvalues as S UᵀU S, so the singular-value profile of X does not depend on which V is used; V only decides
 * in which directions the strong components lie.
 *
 * <p>Small d ({@value #DENSE_MAX} or less) gets a dense Haar-distributed V (LAPACK's QR of a Gaussian matrix,
 * as scikit-learn's), O(d²) per vector. Larger d gets {@link StructuredHadamardTransform},
 * O(d log d) per vector with O(d) state, so every executor rebuilds it from the seed in microseconds instead of
 * running a 4096×4096 QR.
 */
public interface OrthogonalTransform extends Serializable {
    /** Largest dimension that gets the dense Haar transform. */
    int DENSE_MAX = 256;

    int dimension();

    /** Replaces v (length d) by V v. */
    void apply(double[] v);

    /** The transform for dimension d drawn from {@code rng} (dense for small d, structured otherwise). */
    static OrthogonalTransform random(int d, SplittableRandom rng) {
        return d <= DENSE_MAX ? DenseOrthogonalTransform.random(d, rng) : StructuredHadamardTransform.random(d, rng);
    }
}
