package org.blora.core.linalg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The same gradient, loss, Gram product, matrix products and QR, bit for bit, on JVMs that see other vector
 * widths: each child JVM (this java binary and classpath) prints {@link KernelBits}'s lines, which must equal the
 * lines computed in this JVM. The children stand for other executor hosts: a 256-bit (AVX2) host, a 128-bit
 * vector host (a NEON width), SSE-only, AVX and AVX2 hosts, a host without FMA instructions, a host without usable
 * vectors, and a JVM started without the vector module. netlib's ddot on the same data is printed too: it changes
 * with the width, which shows the comparison can fail.
 */
class CrossHostBitsTest {
    private static final String VECTOR = "--add-modules=jdk.incubator.vector";

    private static List<String> child(String... flags) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(List.of(flags));
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(KernelBits.class.getName());
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        List<String> lines = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).lines().toList();
        // Generous: a child warms up the vector loops before it computes, seconds on a quiet machine, far more on
        // a loaded one; the timeout only stops a hung child.
        assertTrue(p.waitFor(600, TimeUnit.SECONDS), "child JVM " + List.of(flags) + " did not finish");
        assertEquals(0, p.exitValue(), "child JVM " + List.of(flags) + " failed");
        return lines;
    }

    /** Our lines of {@code child} against ours here; the first difference is named. */
    private static void assertSameBits(List<String> here, List<String> child, String what) {
        List<String> mine = ours(here);
        List<String> theirs = ours(child);
        assertEquals(mine.size(), theirs.size(), what + ": number of values");
        for (int i = 0; i < mine.size(); i++) {
            assertEquals(mine.get(i), theirs.get(i), what + ": first differing value");
        }
    }

    private static List<String> ours(List<String> lines) {
        return lines.stream().filter(l -> !l.startsWith(KernelBits.NETLIB) && !l.startsWith(KernelBits.PATH))
                .toList();
    }

    private static String line(List<String> lines, String prefix) {
        return lines.stream().filter(l -> l.startsWith(prefix)).findFirst().orElseThrow();
    }

    @Test
    void sameBitsOnEveryVectorWidth() throws Exception {
        List<String> here = KernelBits.lines();
        List<String> neon = child(VECTOR, "-XX:MaxVectorSize=16");
        assertTrue(line(neon, KernelBits.PATH).contains("jdk.incubator.vector, 128-bit vectors"),
                "the 128-bit child runs the 2-lane path: " + line(neon, KernelBits.PATH));
        assertSameBits(here, neon, "-XX:MaxVectorSize=16");

        List<String> avx2 = child(VECTOR, "-XX:MaxVectorSize=32");
        assertTrue(line(avx2, KernelBits.PATH).contains("jdk.incubator.vector, 256-bit vectors"),
                "the 256-bit child runs the 4-lane path: " + line(avx2, KernelBits.PATH));
        assertSameBits(here, avx2, "-XX:MaxVectorSize=32");

        // x86 instruction sets below this host's: SSE only, AVX, AVX2 (IgnoreUnrecognizedVMOptions: a JVM without
        // the flag, as on ARM, runs its default, which must give the same bits too), and no FMA instructions.
        for (String isa : List.of("-XX:UseAVX=0", "-XX:UseAVX=1", "-XX:UseAVX=2", "-XX:-UseFMA")) {
            List<String> older = child(VECTOR, "-XX:+IgnoreUnrecognizedVMOptions", isa);
            assertSameBits(here, older, isa);
        }

        List<String> scalar = child(VECTOR, "-XX:MaxVectorSize=8");
        assertTrue(line(scalar, KernelBits.PATH).contains("scalar loops, slower than the vector loops (this JVM's"
                + " vectors are narrower than 128 bits"), "64-bit vectors run the scalar path: "
                + line(scalar, KernelBits.PATH));
        assertSameBits(here, scalar, "-XX:MaxVectorSize=8");

        List<String> noModule = child();
        assertTrue(line(noModule, KernelBits.PATH).contains("scalar loops, slower than the vector loops (the JVM"
                + " runs without jdk.incubator.vector"), "without the module the scalar path runs: "
                + line(noModule, KernelBits.PATH));
        assertSameBits(here, noModule, "no vector module");

        // The evidence that the comparison can fail: netlib's ddot on the same data gives other bits at 128 bits
        // (when this JVM runs wider vectors, as on any AVX2 or AVX-512 host).
        assumeTrue(jdk.incubator.vector.DoubleVector.SPECIES_PREFERRED.vectorBitSize() > 128,
                "this JVM's vectors are not wider than 128 bits");
        assertNotEquals(line(here, KernelBits.NETLIB), line(neon, KernelBits.NETLIB),
                "netlib ddot at the default width against 128 bits");
    }
}
