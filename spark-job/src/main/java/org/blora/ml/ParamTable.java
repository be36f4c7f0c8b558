package org.blora.ml;

import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;
import org.apache.spark.ml.param.DoubleParam;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.LongParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.Params;
import scala.Function1;

/**
 * The Params of one stage, created on first use. The shared Params interfaces declare each Param in a default
 * method (a Java interface has no fields), and this table gives every instance its own Param objects, so a Param
 * is built, validated and given its default in exactly one place, however many stages declare it. A Param that
 * sets a train key documents itself with that key's definition too ({@link ParamKeys#doc}).
 */
public final class ParamTable implements Serializable {
    private static final long serialVersionUID = 1L;

    private final Map<String, Param<?>> params = new LinkedHashMap<>();

    /** The Param called {@code name}, made by {@code make} the first time it is asked for. */
    @SuppressWarnings("unchecked")
    synchronized <P extends Param<?>> P get(String name, Supplier<P> make) {
        Param<?> p = params.get(name);
        if (p == null) {
            p = make.get();
            params.put(name, p);
        }
        return (P) p;
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    static Param<String> string(Params owner, ParamTable t, String name, String doc, String dflt, ParamCheck check) {
        return t.get(name, () -> {
            Param<String> p = new Param<>(owner, name, ParamKeys.doc(name, doc), (Function1) check);
            owner.setDefault(p, dflt);
            return p;
        });
    }

    static IntParam integer(Params owner, ParamTable t, String name, String doc, int dflt, ParamCheck check) {
        return t.get(name, () -> {
            IntParam p = new IntParam(owner, name, ParamKeys.doc(name, doc), check);
            owner.setDefault(p, dflt);
            return p;
        });
    }

    static LongParam longInteger(Params owner, ParamTable t, String name, String doc, long dflt, ParamCheck check) {
        return t.get(name, () -> {
            LongParam p = new LongParam(owner, name, ParamKeys.doc(name, doc), check);
            owner.setDefault(p, dflt);
            return p;
        });
    }

    static DoubleParam real(Params owner, ParamTable t, String name, String doc, double dflt, ParamCheck check) {
        return t.get(name, () -> {
            DoubleParam p = new DoubleParam(owner, name, ParamKeys.doc(name, doc), check);
            owner.setDefault(p, dflt);
            return p;
        });
    }
}
