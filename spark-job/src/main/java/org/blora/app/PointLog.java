package org.blora.app;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * The log of one sweep point when several run at the same time: every line the run prints is written whole to
 * the shared stream with the point's name in front ({@code [rank=2_s1] [train] round 40/100 ...}), so the lines of
 * concurrent points interleave but never mix.
 */
final class PointLog extends OutputStream {
    private final PrintStream target;
    private final byte[] prefix;
    private final ByteArrayOutputStream line = new ByteArrayOutputStream();

    private PointLog(PrintStream target, String point) {
        this.target = target;
        this.prefix = ("[" + point + "] ").getBytes(StandardCharsets.UTF_8);
    }

    /** A stream printing to {@code target} with {@code [point] } before every line. */
    static PrintStream of(PrintStream target, String point) {
        return new PrintStream(new PointLog(target, point), true, StandardCharsets.UTF_8);
    }

    @Override
    public synchronized void write(int b) {
        line.write(b);
        if (b == '\n') {
            emit();
        }
    }

    @Override
    public synchronized void write(byte[] b, int off, int len) {
        int start = off;
        for (int i = off; i < off + len; i++) {
            if (b[i] == '\n') {
                line.write(b, start, i + 1 - start);
                emit();
                start = i + 1;
            }
        }
        line.write(b, start, off + len - start);
    }

    @Override
    public synchronized void flush() {
        // Only whole lines are written; a partial line waits for its end (or close).
    }

    @Override
    public synchronized void close() {
        if (line.size() > 0) {
            line.write('\n');
            emit();
        }
    }

    private void emit() {
        byte[] text = line.toByteArray();
        line.reset();
        synchronized (target) {
            target.write(prefix, 0, prefix.length);
            target.write(text, 0, text.length);
            target.flush();
        }
    }
}
