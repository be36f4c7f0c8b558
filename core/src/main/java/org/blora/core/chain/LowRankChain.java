package org.blora.core.chain;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.blora.core.linalg.Shape;
import org.blora.core.sketch.Link;

/**
 * The chain W = W0 + sum_t B_t A_t: the pre-trained W0, the links in order, and the merged W kept up to date
 * (each append costs O(r m n)). The previous W is kept too, for estimators that evaluate at both points.
 */
public final class LowRankChain {
    private final Shape shape;
    private final double[] w0;
    private final List<Link> links = new ArrayList<>();
    private double[] w;
    private double[] wPrev;

    public LowRankChain(Shape shape, double[] w0) {
        if (w0.length != shape.size()) {
            throw new IllegalArgumentException("model.init has " + w0.length + " entries but model.shape=" + shape
                    + " needs " + shape.size());
        }
        this.shape = shape;
        this.w0 = w0.clone();
        this.w = w0.clone();
    }

    public void append(Link link) {
        if (wPrev == null) {
            wPrev = new double[w.length];
        }
        System.arraycopy(w, 0, wPrev, 0, w.length);
        link.addTo(w);
        links.add(link);
    }

    public Shape shape() {
        return shape;
    }

    public double[] w0() {
        return w0;
    }

    /** The merged W_t (live view: do not modify). */
    public double[] w() {
        return w;
    }

    /** W_{t-1}, or null before the first link. */
    public double[] wPrev() {
        return wPrev;
    }

    public List<Link> links() {
        return Collections.unmodifiableList(links);
    }

    public Link lastLink() {
        return links.isEmpty() ? null : links.get(links.size() - 1);
    }

    public int length() {
        return links.size();
    }
}
