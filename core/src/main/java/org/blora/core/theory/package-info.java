/**
 * The convergence theorems of Bernoulli-LoRA (arXiv 2508.03820; RAC-LoRA, arXiv 2410.08305, is its p in {0, 1}
 * case) as functions of what a run measures or is told: each {@link org.blora.core.theory.Bound} gives, for round
 * t, the theorem's upper bound on one measured quantity ({@link org.blora.core.theory.Measure}) and a short name
 * for the {@code bound_name} column. One class per theorem family; each says which constants are the paper's and
 * which come from the standard re-derivation written in its comment. Pure math, no Spark.
 *
 * <p>All bounds are on expectations over the coins, sketches and samples; one run can exceed them, so a run
 * reports the ratio measured / bound rather than treating a single excess as a failure.
 */
package org.blora.core.theory;
