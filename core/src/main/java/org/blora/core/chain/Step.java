package org.blora.core.chain;

import java.io.Serializable;
import org.blora.core.model.ModelLayout;
import org.blora.core.sketch.Link;
import org.blora.core.sketch.Side;

/**
 * What one round adds to the model: per module of the layout a low-rank increment B A (or a dense one for full
 * fine-tuning), null for a module the round leaves alone. This is what travels to the clients each round
 * (r (m + n) numbers per adapted module), whatever the method.
 *
 * <p>It also says which chain link the round belongs to and what that link's factors are after it
 * ({@code factors}): with one optimiser step per link the increment is the link itself; with several steps on
 * the trained factor (Algorithm 1 of Bernoulli-LoRA solving its sub-problem approximately) the increments of a
 * link share its frozen factor and the link's trained factor is their sum; for LoRA and COLA the link is the
 * current pair (B, A) while the increment is B'A' - BA.
 */
public final class Step implements Serializable {
    private static final long serialVersionUID = 1L;

    /** The chain link (0-based) this round belongs to. */
    public final int link;
    /** Per module: the increment of this round, or null. */
    public final Link[] increments;
    /** Per module: the link's factors after this round (the adapter's view), or null for an untouched module. */
    public final Link[] factors;
    /** Per module: where its block starts in theta, so a client applies the step knowing nothing of the model. */
    private final int[] offsets;

    public Step(int link, Link[] increments, Link[] factors, ModelLayout layout) {
        int modules = layout.modules().size();
        if (increments.length != modules || factors.length != modules) {
            throw new IllegalArgumentException("a step needs one increment and one link per module (" + modules
                    + "), got " + increments.length + " and " + factors.length);
        }
        this.link = link;
        this.increments = increments;
        this.factors = factors;
        this.offsets = new int[modules];
        for (int i = 0; i < modules; i++) {
            offsets[i] = layout.modules().get(i).offset();
        }
    }

    /** A step whose increments are its link's factors (one optimiser step per link). */
    public static Step of(int link, Link[] links, ModelLayout layout) {
        return new Step(link, links, links, layout);
    }

    /** Where module {@code i}'s block starts in theta: a remote client applies {@code increments[i]} there. */
    public int offset(int i) {
        return offsets[i];
    }

    /** theta += the increments, each into its module's block. */
    public void addTo(double[] theta) {
        for (int i = 0; i < increments.length; i++) {
            if (increments[i] != null) {
                increments[i].addTo(theta, offsets[i], 1.0);
            }
        }
    }

    /** Numbers on the wire: sum over modules of r (m + n), or m n for dense increments. */
    public long numbers() {
        long n = 0;
        for (Link l : increments) {
            n += l == null ? 0 : l.numbers();
        }
        return n;
    }

    /** Parameters trained in this round: the trained factors' sizes summed over modules. */
    public long trainedParams() {
        long n = 0;
        for (Link l : increments) {
            n += l == null ? 0 : l.trainedParams();
        }
        return n;
    }

    /**
     * The trained side as metrics.csv shows it: the side when every adapted module trained the same one (always so
     * with a shared coin), else one letter per adapted module in layout order (e.g. "ABA").
     */
    public String sides() {
        Side first = null;
        boolean same = true;
        StringBuilder each = new StringBuilder();
        for (Link l : increments) {
            if (l == null) {
                continue;
            }
            if (first == null) {
                first = l.side;
            }
            same &= l.side == first;
            each.append(l.side == Side.FULL ? "F" : l.side.name());
        }
        if (first == null) {
            return "";
        }
        return same ? first.name() : each.toString();
    }
}
