package org.blora.core.chain;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.blora.core.linalg.Shape;
import org.blora.core.model.ModelLayout;
import org.blora.core.model.Module;
import org.blora.core.sketch.Link;

/**
 * The chains of a model, W_i = W0_i + sum_t B_t,i A_t,i for every adapted module i: the pre-trained parameters
 * theta0 (all modules, in the layout's flat order), the links in order (per link one {@link Link} per module,
 * null where a module is not adapted), and the merged theta kept up to date (each round costs O(r m n) per
 * module). The previous theta is kept too, for estimators that evaluate at both points. For the paper's linear
 * regression the layout has one module and theta is the matrix W.
 */
public final class LowRankChain {
    private final ModelLayout layout;
    private final double[] w0;
    private final List<Link[]> links = new ArrayList<>();
    private double[] w;
    private double[] wPrev;
    private Step last;
    private int steps;

    public LowRankChain(ModelLayout layout, double[] theta0) {
        if (theta0.length != layout.size()) {
            throw new IllegalArgumentException("model.init has " + theta0.length + " parameters but the model ("
                    + layout + ") needs " + layout.size());
        }
        this.layout = layout;
        this.w0 = theta0.clone();
        this.w = theta0.clone();
    }

    /** The one-matrix model of the paper's linear regression: module "W" of the given shape. */
    public LowRankChain(Shape shape, double[] w0) {
        this(ModelLayout.single("W", shape.m(), shape.n()), w0);
    }

    /**
     * A chain as a checkpoint holds it: theta0, the links, theta and theta_prev after {@code steps} rounds. The
     * last step itself is not kept (a resumed run sends the clients a full snapshot first).
     */
    public static LowRankChain restore(ModelLayout layout, double[] theta0, List<Link[]> links, double[] theta,
                                       double[] thetaPrev, int steps) {
        LowRankChain c = new LowRankChain(layout, theta0);
        for (Link[] l : links) {
            c.links.add(l.clone());
        }
        c.w = theta.clone();
        c.wPrev = thetaPrev == null ? null : thetaPrev.clone();
        c.steps = steps;
        return c;
    }

    /** Applies one round's step: theta moves by the increments, and the step's link is opened or updated. */
    public void append(Step step) {
        if (step.link != links.size() && step.link != links.size() - 1) {
            throw new IllegalArgumentException("a step of link " + step.link + " cannot follow " + links.size() + " links");
        }
        if (wPrev == null) {
            wPrev = new double[w.length];
        }
        System.arraycopy(w, 0, wPrev, 0, w.length);
        step.addTo(w);
        if (step.link == links.size()) {
            links.add(step.factors.clone());
        } else {
            links.set(step.link, step.factors.clone());
        }
        last = step;
        steps++;
    }

    public ModelLayout layout() {
        return layout;
    }

    /** The shape of a one-module model (the linear regression's W). */
    public Shape shape() {
        if (layout.modules().size() != 1) {
            throw new IllegalStateException("the model has " + layout.modules().size() + " modules; use layout()");
        }
        Module m = layout.modules().get(0);
        return new Shape(m.rows(), m.cols());
    }

    /** theta0 (do not modify). */
    public double[] w0() {
        return w0;
    }

    /** The merged theta_t (live view: do not modify). */
    public double[] w() {
        return w;
    }

    /** theta_{t-1}, or null before the first step. */
    public double[] wPrev() {
        return wPrev;
    }

    /** The chain links, each one Link per module (null where the module is not adapted). */
    public List<Link[]> links() {
        return Collections.unmodifiableList(links);
    }

    /** The step of the latest round, or null before the first. */
    public Step lastStep() {
        return last;
    }

    /** Rounds applied so far (equal to the number of links when each link lasts one round). */
    public int steps() {
        return steps;
    }

    /** Number of links. */
    public int length() {
        return links.size();
    }
}
