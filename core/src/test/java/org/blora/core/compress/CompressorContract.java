package org.blora.core.compress;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The contract every {@link Compressor} satisfies, as a JUnit test interface: a compressor's test class implements
 * it (and {@link UnbiasedContract} and/or {@link ContractiveContract}) and inherits these tests. An interface rather
 * than an abstract class so that {@link Identity}, which is both unbiased and contractive, inherits both contracts.
 */
interface CompressorContract {

    /** The compressor under test. */
    Compressor compressor();

    /** The documented bits formula, written out independently of the implementation. */
    long expectedBits(int d);

    /** Dimensions the exact (non-statistical) checks run on. */
    default int[] dimensions() {
        return new int[] {1, 2, 3, 37, 256, 1000};
    }

    @Test
    default void doesNotModifyItsInput() {
        for (int d : dimensions()) {
            double[] x = Vectors.sample(d, 11);
            double[] copy = x.clone();
            compressor().compress(x, new SplittableRandom(5));
            assertArrayEquals(copy, x, 0.0, "d = " + d);
        }
    }

    @Test
    default void sameSeedGivesIdenticalMessages() {
        for (int d : dimensions()) {
            double[] x = Vectors.sample(d, 12);
            CompressedMessage a = compressor().compress(x, new SplittableRandom(99));
            CompressedMessage b = compressor().compress(x, new SplittableRandom(99));
            assertBitIdentical(a.toDense(), b.toDense(), "d = " + d);
            assertEquals(a.bits(), b.bits());
        }
    }

    @Test
    default void messageIsIndependentOfLaterChangesToTheInput() {
        double[] x = Vectors.sample(100, 13);
        CompressedMessage m = compressor().compress(x, new SplittableRandom(3));
        double[] before = m.toDense();
        java.util.Arrays.fill(x, 1e9);
        assertBitIdentical(before, m.toDense(), "message must not alias its input");
    }

    @Test
    default void bitsMatchTheDocumentedFormula() {
        for (int d : dimensions()) {
            CompressedMessage m = compressor().compress(Vectors.sample(d, 14), new SplittableRandom(1));
            assertEquals(expectedBits(d), m.bits(), "bits for d = " + d);
        }
    }

    @Test
    default void dimensionIsTheInputLength() {
        for (int d : dimensions()) {
            CompressedMessage m = compressor().compress(Vectors.sample(d, 15), new SplittableRandom(1));
            assertEquals(d, m.dimension());
            assertEquals(d, m.toDense().length);
        }
    }

    @Test
    default void addToEqualsScaleTimesDenseExactly() {
        SplittableRandom r = new SplittableRandom(16);
        for (int d : dimensions()) {
            CompressedMessage m = compressor().compress(Vectors.sample(d, 17), new SplittableRandom(2));
            double[] dense = m.toDense();
            for (double s : new double[] {1.0, -0.37, 1.0 / 3.0, 1e-7}) {
                double[] acc = new double[d];
                for (int i = 0; i < d; i++) {
                    acc[i] = r.nextDouble() - 0.5;
                }
                double[] expected = new double[d];
                for (int i = 0; i < d; i++) {
                    expected[i] = acc[i] + s * dense[i];
                }
                m.addTo(acc, s);
                assertBitIdentical(expected, acc, "addTo with scale " + s + ", d = " + d);
            }
        }
    }

    @Test
    default void addToRejectsAWrongLengthAccumulator() {
        CompressedMessage m = compressor().compress(Vectors.sample(10, 18), new SplittableRandom(2));
        assertThrows(IllegalArgumentException.class, () -> m.addTo(new double[11], 1.0));
    }

    @Test
    default void forEachEntryVisitsIncreasingIndicesAndAgreesWithToDense() {
        for (int d : dimensions()) {
            CompressedMessage m = compressor().compress(Vectors.sample(d, 19), new SplittableRandom(4));
            double[] dense = m.toDense();
            double[] visited = new double[d];
            List<Integer> order = new ArrayList<>();
            m.forEachEntry((i, v) -> {
                order.add(i);
                visited[i] = v;
            });
            for (int j = 1; j < order.size(); j++) {
                assertTrue(order.get(j - 1) < order.get(j), "indices must increase");
            }
            assertBitIdentical(dense, visited, "forEachEntry vs toDense, d = " + d);
            assertEquals(Vectors.squaredNorm(dense), m.squaredNorm(), 1e-12 * Vectors.squaredNorm(dense));
        }
    }

    @Test
    default void compressorAndMessageSurviveJavaSerialization() throws IOException, ClassNotFoundException {
        double[] x = Vectors.sample(300, 20);
        Compressor copy = roundTrip(compressor());
        assertNotSame(compressor(), copy);
        assertEquals(compressor().name(), copy.name());
        CompressedMessage m = compressor().compress(x, new SplittableRandom(8));
        assertBitIdentical(m.toDense(), copy.compress(x, new SplittableRandom(8)).toDense(), "deserialised compressor");
        CompressedMessage mCopy = roundTrip(m);
        assertBitIdentical(m.toDense(), mCopy.toDense(), "deserialised message");
        assertEquals(m.bits(), mCopy.bits());
    }

    @Test
    default void rejectsAnEmptyVector() {
        assertThrows(IllegalArgumentException.class, () -> compressor().compress(new double[0], new SplittableRandom(1)));
    }

    @Test
    default void hasAName() {
        assertFalse(compressor().name().isBlank());
    }

    static void assertBitIdentical(double[] expected, double[] actual, String message) {
        assertEquals(expected.length, actual.length, message + ": length");
        for (int i = 0; i < expected.length; i++) {
            if (Double.doubleToLongBits(expected[i]) != Double.doubleToLongBits(actual[i])) {
                throw new AssertionError(message + ": entry " + i + " expected " + expected[i] + " but was " + actual[i]);
            }
        }
    }

    @SuppressWarnings("unchecked")
    static <T> T roundTrip(T object) throws IOException, ClassNotFoundException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(object);
        }
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            return (T) in.readObject();
        }
    }
}
