package org.blora.core.compress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CompressorsTest {

    @Test
    void parsesEveryName() {
        assertInstanceOf(Identity.class, Compressors.parse("identity", 0.1, 4));
        assertEquals(0.1, assertInstanceOf(RandK.class, Compressors.parse("randk", 0.1, 4)).kFraction());
        assertEquals(0.2, assertInstanceOf(TopK.class, Compressors.parse("topk", 0.2, 4)).kFraction());
        assertInstanceOf(NaturalCompression.class, Compressors.parse("natural", 0.1, 4));
        assertEquals(7, assertInstanceOf(Qsgd.class, Compressors.parse("qsgd", 0.1, 7)).levels());
        ScaledContractive s = assertInstanceOf(ScaledContractive.class, Compressors.parse("scaled-randk", 0.3, 4));
        assertEquals(0.3, assertInstanceOf(RandK.class, s.unbiased()).kFraction());
        assertInstanceOf(NaturalCompression.class,
                ((ScaledContractive) Compressors.parse("scaled-natural", 0.3, 4)).unbiased());
        assertInstanceOf(Qsgd.class, ((ScaledContractive) Compressors.parse("scaled-qsgd", 0.3, 4)).unbiased());
    }

    @Test
    void namesAreCaseInsensitiveAndTrimmed() {
        assertInstanceOf(TopK.class, Compressors.parse("  TopK ", 0.1, 1));
        assertInstanceOf(ContractiveCompressor.class, Compressors.parse("SCALED-QSGD", 0.1, 2));
    }

    @Test
    void parametersAreCheckedOnlyWhereUsed() {
        assertInstanceOf(NaturalCompression.class, Compressors.parse("natural", -1.0, 0));
        assertInstanceOf(TopK.class, Compressors.parse("topk", 0.5, 0));
        assertInstanceOf(Qsgd.class, Compressors.parse("qsgd", 7.0, 3));
    }

    @ParameterizedTest
    @CsvSource({"sparse", "rand-k", "top_k", "''"})
    void unknownNamesAreRejectedNamingTheKeyAndTheChoices(String name) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Compressors.parse(name, 0.1, 4));
        assertTrue(e.getMessage().startsWith("fed.compressor "), e.getMessage());
        assertTrue(e.getMessage().contains("identity, randk, topk, natural, qsgd"), e.getMessage());
    }

    @Test
    void nullNameIsRejectedNamingTheKey() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Compressors.parse(null, 0.1, 4));
        assertTrue(e.getMessage().contains("fed.compressor"), e.getMessage());
    }

    @ParameterizedTest
    @CsvSource({"randk, 0.0", "topk, 1.5", "scaled-randk, -0.2", "topk, NaN"})
    void badKFractionsNameTheKeyAndTheRange(String name, double k) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Compressors.parse(name, k, 4));
        assertTrue(e.getMessage().startsWith("fed.compressor.k = "), e.getMessage());
        assertTrue(e.getMessage().contains("(0, 1]"), e.getMessage());
    }

    @ParameterizedTest
    @CsvSource({"qsgd, 0", "scaled-qsgd, -3"})
    void badLevelsNameTheKey(String name, int levels) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Compressors.parse(name, 0.1, levels));
        assertTrue(e.getMessage().startsWith("fed.compressor.levels = " + levels), e.getMessage());
        assertTrue(e.getMessage().contains(">= 1"), e.getMessage());
    }

    @ParameterizedTest(name = "k({0}, {1}) = {2}")
    @CsvSource({"0.01, 1000, 10", "1e-9, 1000, 1", "1.0, 7, 7", "0.5, 3, 2", "0.0049, 100, 1", "0.999, 10, 10",
        "0.1, 16777216, 1677722"})
    void kIsMaxOneRoundFractionTimesD(double f, int d, int k) {
        assertEquals(k, Compressors.kOf(f, d));
    }
}
