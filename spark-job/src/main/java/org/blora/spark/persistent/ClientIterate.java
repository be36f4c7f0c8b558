package org.blora.spark.persistent;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import org.blora.core.chain.Step;
import org.blora.core.linalg.Shape;
import org.blora.core.oracle.Iterate;
import org.blora.core.sketch.Link;
import org.blora.core.sketch.Side;

/**
 * A task's copy of one data set's iterate W_t (and W_{t-1}), and the update a ROUND frame carries to keep it:
 * nothing (a request without an iterate), keep (the tasks hold W_t already), one step (the round's links, applied as
 * the stage mode's executor cache applies them, bit for bit) or the full iterate (after a launch of the stage).
 */
final class ClientIterate {
    private static final byte NO_ITERATE = 0;
    private static final byte KEEP = 1;
    private static final byte STEP = 2;
    private static final byte SNAPSHOT = 3;

    private int round = -1;
    private double[] w;
    private double[] wPrev;

    /**
     * Writes how tasks whose copy is of round {@code tasksRound} (-1: none) reach {@code at} (null: the request needs
     * no iterate): the cheapest of keep, one step and the full iterate.
     */
    static void writeUpdate(DataOutput out, int tasksRound, Iterate at) throws IOException {
        if (at == null) {
            out.writeByte(NO_ITERATE);
        } else if (tasksRound == at.round()) {
            out.writeByte(KEEP);
        } else if (tasksRound >= 0 && tasksRound == at.round() - 1 && at.lastStep() != null) {
            writeStep(out, at.round(), at.lastStep());
        } else {
            out.writeByte(SNAPSHOT);
            out.writeInt(at.round());
            WireCodec.writeDoubles(out, at.w());
            WireCodec.writeDoubles(out, at.wPrev());
        }
    }

    private static void writeStep(DataOutput out, int round, Step step) throws IOException {
        out.writeByte(STEP);
        out.writeInt(round);
        out.writeInt(step.increments.length);
        for (int i = 0; i < step.increments.length; i++) {
            Link l = step.increments[i];
            out.writeBoolean(l != null);
            if (l != null) {
                out.writeInt(step.offset(i));
                out.writeByte(l.side.ordinal());
                out.writeInt(l.shape.m());
                out.writeInt(l.shape.n());
                out.writeInt(l.rank);
                WireCodec.writeDoubles(out, l.b);
                WireCodec.writeDoubles(out, l.a);
            }
        }
    }

    /** W_t after the last update. */
    double[] w() {
        return w;
    }

    /** W_{t-1} after the last update (null before the first step of a fresh run). */
    double[] wPrev() {
        return wPrev;
    }

    /**
     * Applies the update read from {@code in}, as the stage mode's executor cache does, bit for bit; false when the
     * request needs no iterate (a Gram pass).
     */
    boolean read(DataInput in) throws IOException {
        byte kind = in.readByte();
        switch (kind) {
            case NO_ITERATE -> {
                return false;
            }
            case KEEP -> {
                if (w == null) {
                    throw new IOException("no iterate to keep");
                }
            }
            case STEP -> {
                int next = in.readInt();
                if (round != next - 1 || w == null) {
                    throw new IOException("a step to round " + next + " for an iterate of round " + round);
                }
                if (wPrev == null) {
                    wPrev = new double[w.length];
                }
                System.arraycopy(w, 0, wPrev, 0, w.length);
                int modules = in.readInt();
                for (int i = 0; i < modules; i++) {
                    if (in.readBoolean()) {
                        int offset = in.readInt();
                        Side side = Side.values()[in.readByte()];
                        Shape shape = new Shape(in.readInt(), in.readInt());
                        int rank = in.readInt();
                        double[] b = WireCodec.readDoubles(in);
                        double[] a = WireCodec.readDoubles(in);
                        new Link(side, shape, rank, b, a).addTo(w, offset, 1.0);
                    }
                }
                round = next;
            }
            case SNAPSHOT -> {
                round = in.readInt();
                w = WireCodec.readDoubles(in);
                wPrev = WireCodec.readDoubles(in);
            }
            default -> throw new IOException("unknown iterate update " + kind);
        }
        return true;
    }
}
