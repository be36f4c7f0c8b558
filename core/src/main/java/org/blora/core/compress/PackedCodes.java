package org.blora.core.compress;

import java.io.Serializable;

/**
 * d unsigned codes of a fixed width w ∈ [1, 32] bits, packed back to back in longs: the in-memory form is the wire
 * form, d·w bits (plus padding of the last word, which is not sent).
 */
final class PackedCodes implements Serializable {

    private static final long serialVersionUID = 1L;

    private final int size;
    private final int width;
    private final long mask;
    private final long[] words;

    PackedCodes(int size, int width) {
        if (width < 1 || width > 32) {
            throw new IllegalArgumentException("code width must be in [1, 32], got " + width);
        }
        this.size = size;
        this.width = width;
        this.mask = (1L << width) - 1;
        this.words = new long[(int) (((long) size * width + 63) >>> 6)];
    }

    int size() {
        return size;
    }

    int width() {
        return width;
    }

    /** Bits on the wire: d·w. */
    long bits() {
        return (long) size * width;
    }

    /** Sets code i; each code is written once, into zeroed bits. */
    void set(int i, int code) {
        long c = code & mask;
        long pos = (long) i * width;
        int word = (int) (pos >>> 6);
        int offset = (int) (pos & 63);
        words[word] |= c << offset;
        if (offset + width > 64) {
            words[word + 1] |= c >>> (64 - offset);
        }
    }

    int get(int i) {
        long pos = (long) i * width;
        int word = (int) (pos >>> 6);
        int offset = (int) (pos & 63);
        long v = words[word] >>> offset;
        if (offset + width > 64) {
            v |= words[word + 1] << (64 - offset);
        }
        return (int) (v & mask);
    }
}
