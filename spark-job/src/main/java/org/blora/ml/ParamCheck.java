package org.blora.ml;

import java.io.Serializable;
import java.util.List;
import org.apache.spark.ml.param.ParamValidators;
import scala.Function1;
import scala.runtime.AbstractFunction1;

/**
 * A Param's validator: one of Spark's {@link ParamValidators} (a range, a list of allowed values) or a predicate,
 * and what it allows, so a bad value fails when it is set with one line naming the Param, not a train key
 * ("p must be in [0, 1], got 2.0").
 */
final class ParamCheck extends AbstractFunction1<Object, Object> implements Serializable {
    private static final long serialVersionUID = 1L;

    /** A predicate that can travel with its Param. */
    interface Test extends Serializable {
        boolean accepts(Object value);
    }

    private final String name;
    private final String allowed;
    private final Test test;

    private ParamCheck(String name, String allowed, Test test) {
        this.name = name;
        this.allowed = allowed;
        this.test = test;
    }

    private static ParamCheck of(String name, String allowed, Function1<Object, Object> validator) {
        return new ParamCheck(name, allowed, v -> (Boolean) validator.apply(v));
    }

    static ParamCheck any(String name) {
        return new ParamCheck(name, "anything", v -> true);
    }

    static ParamCheck atLeast(String name, double lo) {
        return of(name, ">= " + text(lo), ParamValidators.gtEq(lo));
    }

    static ParamCheck above(String name, double lo) {
        return of(name, "> " + text(lo), ParamValidators.gt(lo));
    }

    /** lo <= v <= hi, or lo <= v < hi when {@code hiInclusive} is false. */
    static ParamCheck between(String name, double lo, double hi, boolean hiInclusive) {
        return of(name, "in [" + text(lo) + ", " + text(hi) + (hiInclusive ? "]" : ")"),
                ParamValidators.inRange(lo, hi, true, hiInclusive));
    }

    static ParamCheck oneOf(String name, List<String> values) {
        return of(name, "one of " + values, ParamValidators.inArray(List.<Object>copyOf(values)));
    }

    static ParamCheck that(String name, String allowed, Test test) {
        return new ParamCheck(name, allowed, test);
    }

    @Override
    public Object apply(Object value) {
        boolean ok;
        try {
            ok = value != null && test.accepts(value);
        } catch (RuntimeException e) {
            ok = false;
        }
        if (!ok) {
            Object shown = value instanceof String ? "'" + value + "'" : value;
            throw new IllegalArgumentException(name + " must be " + allowed + ", got " + shown);
        }
        return Boolean.TRUE;
    }

    private static String text(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v);
    }
}
