package org.blora.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.blora.io.SafetensorsWriter.Dtype;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opentest4j.AssertionFailedError;

/** The PEFT export read back by an independent reader ({@link PeftReader}); no Spark, the local Hadoop FS. */
class PeftAdapterTest {
    @TempDir
    Path tmp;

    /** A chain with Gaussian base and factors; the ranks are those of its links. */
    static ModuleChain chain(String module, int out, int in, long seed, int... ranks) {
        Random rnd = new Random(seed);
        List<double[]> b = new ArrayList<>();
        List<double[]> a = new ArrayList<>();
        List<Integer> rs = new ArrayList<>();
        for (int r : ranks) {
            b.add(gaussian(rnd, out * r));
            a.add(gaussian(rnd, r * in));
            rs.add(r);
        }
        return new ModuleChain(module, out, in, gaussian(rnd, out * in), b, a, rs);
    }

    private static double[] gaussian(Random rnd, int n) {
        double[] v = new double[n];
        Arrays.setAll(v, i -> rnd.nextGaussian());
        return v;
    }

    /** Three modules of chain ranks 5, 2 and 5, so r = 5 and one rank_pattern entry. */
    static List<ModuleChain> sample() {
        return List.of(chain("layers.0.q", 6, 5, 1, 2, 1, 2), chain("layers.0.v", 4, 7, 2, 1, 1),
                chain("layers.1.q", 6, 5, 3, 3, 2));
    }

    /** Four modules whose names trip a careless rank_pattern key: only "blk.q" has rank 1, the others 2. */
    static List<ModuleChain> patternModules() {
        return List.of(chain("blk.q", 3, 4, 1, 1), chain("blkxq", 3, 4, 2, 2),
                chain("a.blk.q", 3, 4, 3, 1, 1), chain("q", 3, 4, 4, 2));
    }

    /** sum_t B_t A_t computed here, not by the code under test. */
    static double[] chainProduct(ModuleChain m) {
        double[] dw = new double[m.out() * m.in()];
        for (int t = 0; t < m.length(); t++) {
            int r = m.ranks().get(t);
            for (int i = 0; i < m.out(); i++) {
                for (int j = 0; j < m.in(); j++) {
                    for (int k = 0; k < r; k++) {
                        dw[i * m.in() + j] += m.b().get(t)[i * r + k] * m.a().get(t)[k * m.in() + j];
                    }
                }
            }
        }
        return dw;
    }

    private static double frobenius(double[] v) {
        double s = 0;
        for (double x : v) {
            s += x * x;
        }
        return Math.sqrt(s);
    }

    private static double relativeDistance(double[] x, double[] y) {
        double[] d = new double[x.length];
        Arrays.setAll(d, i -> x[i] - y[i]);
        return frobenius(d) / frobenius(y);
    }

    private org.apache.hadoop.fs.Path dir(String name) {
        return new org.apache.hadoop.fs.Path(tmp.resolve(name).toUri());
    }

    private static FileSystem localFs() throws IOException {
        return FileSystem.getLocal(new Configuration());
    }

    private PeftAdapter.Report export(String name, List<ModuleChain> modules, Dtype dtype, int exportRank) throws IOException {
        return PeftAdapter.write(localFs(), dir(name), modules, new PeftAdapter.Options(dtype, exportRank));
    }

    private Map<String, PeftReader.Tensor> adapter(String name) throws IOException {
        return PeftReader.safetensors(Files.readAllBytes(tmp.resolve(name).resolve("adapter_model.safetensors")));
    }

    /**
     * The check every export must pass: exactly PEFT's two keys per module, and per module B A within {@code tol}
     * (relative Frobenius) of the chain's merged update.
     */
    static void checkAdapter(Map<String, PeftReader.Tensor> tensors, List<ModuleChain> modules, double tol) {
        Set<String> keys = new TreeSet<>();
        for (ModuleChain m : modules) {
            keys.add("base_model.model." + m.module() + ".lora_A.weight");
            keys.add("base_model.model." + m.module() + ".lora_B.weight");
        }
        assertEquals(keys, new TreeSet<>(tensors.keySet()), "the adapter's keys");
        for (ModuleChain m : modules) {
            double err = relativeDistance(PeftReader.update(tensors, m.module(), m.out(), m.in()), chainProduct(m));
            assertTrue(err <= tol, m.module() + ": ||B A - sum_t B_t A_t|| / ||sum_t B_t A_t|| = " + err + " > " + tol);
        }
    }

    @Test
    void mergedUpdateIsTheSumOfTheLinkProducts() {
        // B_1 A_1 = [1;2][3 4] = [3 4; 6 8], B_2 A_2 = [0 1; 1 0][1 0; 0 -1] = [0 -1; 1 0]
        ModuleChain m = new ModuleChain("w", 2, 2, new double[4], List.of(new double[] {1, 2}, new double[] {0, 1, 1, 0}),
                List.of(new double[] {3, 4}, new double[] {1, 0, 0, -1}), List.of(1, 2));
        assertArrayEquals(new double[] {3, 3, 7, 8}, m.mergedUpdate(), 0.0);
        assertEquals(3, m.totalRank());
        assertArrayEquals(chainProduct(sample().get(0)), sample().get(0).mergedUpdate(), 1e-14);
    }

    @Test
    void exactF64ExportIsTheChainToRoundOff() throws IOException {
        List<ModuleChain> modules = sample();
        PeftAdapter.Report report = export("f64", modules, Dtype.F64, 0);
        Map<String, PeftReader.Tensor> tensors = adapter("f64");
        checkAdapter(tensors, modules, 1e-12);
        assertTrue(tensors.values().stream().allMatch(t -> t.dtype().equals("F64")));
        for (int i = 0; i < modules.size(); i++) {
            ModuleChain m = modules.get(i);
            PeftAdapter.ModuleReport r = report.modules().get(i);
            assertEquals(m.module(), r.module());
            assertEquals(m.totalRank(), r.rank(), "one LoRA of rank sum_t r_t");
            assertFalse(r.svd());
            assertTrue(r.relativeError() < 1e-15, "reported error " + r.relativeError());
        }
        Map<String, PeftReader.Tensor> base =
                PeftReader.safetensors(Files.readAllBytes(tmp.resolve("f64/base_model.safetensors")));
        assertEquals(Set.of("layers.0.q.weight", "layers.0.v.weight", "layers.1.q.weight"), base.keySet());
        for (ModuleChain m : modules) {
            assertArrayEquals(new int[] {m.out(), m.in()}, base.get(m.module() + ".weight").shape());
            assertArrayEquals(m.base(), base.get(m.module() + ".weight").data(), 0.0);
        }
    }

    @Test
    void f32ExportIsTheChainToSinglePrecision() throws IOException {
        List<ModuleChain> modules = sample();
        PeftAdapter.Report report = PeftAdapter.write(localFs(), dir("f32"), modules, PeftAdapter.Options.DEFAULT);
        Map<String, PeftReader.Tensor> tensors = adapter("f32");
        checkAdapter(tensors, modules, 1e-6);
        assertTrue(tensors.values().stream().allMatch(t -> t.dtype().equals("F32")));
        // The report measures the factors as written, so it sees single precision, not zero.
        assertTrue(report.modules().stream().allMatch(r -> r.relativeError() > 1e-10 && r.relativeError() < 1e-6),
                report.toString());
        ModuleChain m = modules.get(1);
        double[] base = PeftReader.safetensors(Files.readAllBytes(tmp.resolve("f32/base_model.safetensors")))
                .get("layers.0.v.weight").data();
        for (int i = 0; i < base.length; i++) {
            assertEquals((float) m.base()[i], base[i], 0.0, "W0 rounded to nearest float");
        }
    }

    @Test
    void wrongKeyNamesShapesOrValuesFailTheCheck() throws IOException {
        List<ModuleChain> modules = sample();
        export("good", modules, Dtype.F64, 0);
        Map<String, PeftReader.Tensor> good = adapter("good");
        checkAdapter(good, modules, 1e-12);

        // Keys without PEFT's prefix: PEFT would only warn and leave the LoRA at zero.
        Map<String, PeftReader.Tensor> unprefixed = new HashMap<>();
        good.forEach((k, v) -> unprefixed.put(k.substring("base_model.model.".length()), v));
        assertThrows(AssertionFailedError.class, () -> checkAdapter(reread(unprefixed), modules, 1e-12));

        // lora_A stored transposed (in x R, as a fan_in_fan_out layer would hold it).
        Map<String, PeftReader.Tensor> transposed = new HashMap<>(good);
        String key = "base_model.model.layers.0.v.lora_A.weight";
        PeftReader.Tensor a = good.get(key);
        double[] at = new double[a.data().length];
        int r = a.shape()[0];
        int in = a.shape()[1];
        for (int k = 0; k < r; k++) {
            for (int j = 0; j < in; j++) {
                at[j * r + k] = a.data()[k * in + j];
            }
        }
        transposed.put(key, new PeftReader.Tensor("F64", new int[] {in, r}, at));
        assertThrows(AssertionFailedError.class, () -> checkAdapter(reread(transposed), modules, 1e-12));

        // One flipped bit in the last stored double (mantissa bit 40, a relative change of 2^-12): far beyond 1e-12.
        byte[] file = Files.readAllBytes(tmp.resolve("good/adapter_model.safetensors"));
        file[file.length - 3] ^= 0x01;
        assertThrows(AssertionFailedError.class, () -> checkAdapter(PeftReader.safetensors(file), modules, 1e-12));

        // A header that is not padded to 8 bytes.
        byte[] unpadded = Arrays.copyOf(file, file.length);
        unpadded[0] -= 1;
        assertThrows(AssertionFailedError.class, () -> PeftReader.safetensors(unpadded));
    }

    /** Writes tensors with the writer under test and reads them back, to feed a deliberately wrong file to the check. */
    private static Map<String, PeftReader.Tensor> reread(Map<String, PeftReader.Tensor> tensors) throws IOException {
        List<SafetensorsWriter.Tensor> list = new ArrayList<>();
        tensors.forEach((k, v) -> list.add(new SafetensorsWriter.Tensor(k, v.shape(), v.data())));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        SafetensorsWriter.write(out, list, Dtype.F64, Map.of());
        return PeftReader.safetensors(out.toByteArray());
    }

    private JsonNode config(String name) throws IOException {
        return new ObjectMapper().readTree(tmp.resolve(name).resolve("adapter_config.json").toFile());
    }

    /**
     * The rank (or alpha) PEFT gives a module: the first pattern key k with re.match(r"(.*\.)?(k)$", module), else the default.
     */
    private static int peftValue(JsonNode pattern, int fallback, String module) {
        for (Map.Entry<String, JsonNode> e : pattern.properties()) {
            if (Pattern.compile("(.*\\.)?(" + e.getKey() + ")$").matcher(module).lookingAt()) {
                return e.getValue().asInt();
            }
        }
        return fallback;
    }

    @Test
    void configHasWhatPeftNeedsAndScaleOne() throws IOException {
        List<ModuleChain> modules = sample();
        export("cfg", modules, Dtype.F32, 0);
        JsonNode c = config("cfg");
        assertEquals("LORA", c.get("peft_type").asText());
        assertEquals(5, c.get("r").asInt(), "the rank most modules share");
        assertEquals(5, c.get("lora_alpha").asInt());
        assertEquals(Set.of("layers.0.q", "layers.0.v", "layers.1.q"), textSet(c.get("target_modules")));
        assertFalse(c.get("fan_in_fan_out").asBoolean(true));
        assertFalse(c.get("use_rslora").asBoolean(true));
        assertEquals("none", c.get("bias").asText());
        assertEquals(0.0, c.get("lora_dropout").asDouble(1), 0.0);
        assertTrue(c.get("task_type").isNull());
        assertTrue(c.get("base_model_name_or_path").isNull());
        assertTrue(c.get("inference_mode").asBoolean());
        for (ModuleChain m : modules) {
            int r = peftValue(c.get("rank_pattern"), c.get("r").asInt(), m.module());
            int alpha = peftValue(c.get("alpha_pattern"), c.get("lora_alpha").asInt(), m.module());
            assertEquals(m.totalRank(), r, m.module() + ": the rank PEFT builds is the stored one");
            assertEquals(r, alpha, m.module() + ": scale alpha / r is 1");
        }
        assertEquals(1, c.get("rank_pattern").size(), c.toString());
    }

    private static Set<String> textSet(JsonNode array) {
        Set<String> s = new TreeSet<>();
        array.forEach(n -> s.add(n.asText()));
        return s;
    }

    @Test
    void rankPatternKeysMatchOnlyTheirOwnModule() throws IOException {
        // "blkxq" (a dot read as any character) and "a.blk.q" (a suffix match) must not get the rank of "blk.q".
        List<ModuleChain> modules = patternModules();
        export("patterns", modules, Dtype.F64, 0);
        JsonNode rankPattern = config("patterns").get("rank_pattern");
        for (ModuleChain m : modules) {
            assertEquals(m.totalRank(), peftValue(rankPattern, 2, m.module()), m.module());
        }
        // The check bites: the bare module name as key would give "blkxq" and "a.blk.q" rank 1.
        JsonNode bare = new ObjectMapper().createObjectNode().put("blk.q", 1);
        assertNotEquals(2, peftValue(bare, 2, "blkxq"));
        assertNotEquals(2, peftValue(bare, 2, "a.blk.q"));
    }

    /** Eigenvalues of a symmetric n x n row-major matrix by cyclic Jacobi rotations, descending. */
    private static double[] eigenvalues(double[] sym, int n) {
        double[] m = sym.clone();
        for (int sweep = 0; sweep < 100; sweep++) {
            double off = 0;
            for (int p = 0; p < n; p++) {
                for (int q = p + 1; q < n; q++) {
                    off += m[p * n + q] * m[p * n + q];
                }
            }
            if (off < 1e-32) {
                break;
            }
            for (int p = 0; p < n; p++) {
                for (int q = p + 1; q < n; q++) {
                    double apq = m[p * n + q];
                    if (apq == 0) {
                        continue;
                    }
                    double theta = (m[q * n + q] - m[p * n + p]) / (2 * apq);
                    double t = theta == 0 ? 1 : Math.signum(theta) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
                    double c = 1 / Math.sqrt(t * t + 1);
                    double s = t * c;
                    for (int k = 0; k < n; k++) {
                        double mkp = m[k * n + p];
                        double mkq = m[k * n + q];
                        m[k * n + p] = c * mkp - s * mkq;
                        m[k * n + q] = s * mkp + c * mkq;
                    }
                    for (int k = 0; k < n; k++) {
                        double mpk = m[p * n + k];
                        double mqk = m[q * n + k];
                        m[p * n + k] = c * mpk - s * mqk;
                        m[q * n + k] = s * mpk + c * mqk;
                    }
                }
            }
        }
        double[] e = new double[n];
        for (int i = 0; i < n; i++) {
            e[i] = -m[i * n + i];
        }
        Arrays.sort(e);
        for (int i = 0; i < n; i++) {
            e[i] = -e[i];
        }
        return e;
    }

    /** sqrt(sum_{j >= keep} s_j^2 / sum_j s_j^2) with s_j^2 the eigenvalues of dW^T dW: the best rank-keep error. */
    private static double tailShare(double[] dw, int out, int in, int keep) {
        double[] gram = new double[in * in];
        for (int i = 0; i < in; i++) {
            for (int j = 0; j < in; j++) {
                for (int k = 0; k < out; k++) {
                    gram[i * in + j] += dw[k * in + i] * dw[k * in + j];
                }
            }
        }
        double[] ev = eigenvalues(gram, in);
        double tail = 0;
        double total = 0;
        for (int j = 0; j < in; j++) {
            double s2 = Math.max(ev[j], 0);
            total += s2;
            tail += j >= keep ? s2 : 0;
        }
        return Math.sqrt(tail / total);
    }

    /** 8 x 6, links of ranks 2, 2, 1 with B_2 = B_1 M: R = 5 but dW = B_1 (A_1 + M A_2) + B_3 A_3 has rank 3. */
    static ModuleChain rankThreeOfFive() {
        ModuleChain c = chain("mlp.fc", 8, 6, 7, 2, 2, 1);
        double[] b1 = c.b().get(0);
        double[] m = {0.5, -1.0, 2.0, 0.25};
        double[] b2 = new double[16];
        for (int i = 0; i < 8; i++) {
            for (int j = 0; j < 2; j++) {
                b2[i * 2 + j] = b1[i * 2] * m[j] + b1[i * 2 + 1] * m[2 + j];
            }
        }
        return new ModuleChain(c.module(), 8, 6, c.base(), List.of(b1, b2, c.b().get(2)), c.a(), c.ranks());
    }

    @Test
    void svdAtOrAboveTheTrueRankIsExact() throws IOException {
        ModuleChain m = rankThreeOfFive();
        for (int keep : new int[] {3, 4}) {
            PeftAdapter.ModuleReport r = export("svd" + keep, List.of(m), Dtype.F64, keep).modules().get(0);
            assertTrue(r.svd());
            assertEquals(keep, r.rank());
            assertTrue(r.relativeError() < 1e-13, "R' = " + keep + ": reported error " + r.relativeError());
            checkAdapter(adapter("svd" + keep), List.of(m), 1e-13);
        }
        PeftAdapter.ModuleReport exact = export("svd5", List.of(m), Dtype.F64, 5).modules().get(0);
        assertFalse(exact.svd(), "R' >= R keeps the chain itself");
        assertEquals(5, exact.rank());
    }

    @Test
    void chainRankAboveMinOutInIsWrittenExactlyAtThatRank() throws IOException {
        // R = 24 links' worth on a 16 x 16 matrix, R = 7 on a 5 x 9 one, R = 12 on a 10 x 3 one: no matrix of these
        // shapes has a rank above min(out, in), so that is the rank written, by an SVD that keeps every triplet.
        List<ModuleChain> modules = List.of(chain("square", 16, 16, 21, 8, 8, 8), chain("wide", 5, 9, 22, 3, 4),
                chain("tall", 10, 3, 23, 4, 4, 4));
        for (Dtype dtype : Dtype.values()) {
            String name = "capped-" + dtype;
            PeftAdapter.Report report = export(name, modules, dtype, 0);
            for (int i = 0; i < modules.size(); i++) {
                ModuleChain m = modules.get(i);
                PeftAdapter.ModuleReport r = report.modules().get(i);
                assertEquals(m.totalRank(), r.chainRank());
                assertEquals(Math.min(m.out(), m.in()), r.rank(), m.module() + ": rank capped at min(out, in)");
                assertTrue(r.svd());
                double tol = dtype == Dtype.F64 ? 1e-13 : 1e-6;
                assertTrue(r.relativeError() < tol, m.module() + " " + dtype + ": reported error " + r.relativeError());
            }
            checkAdapter(adapter(name), modules, dtype == Dtype.F64 ? 1e-13 : 1e-6);
            assertEquals(16, config(name).get("r").asInt());
        }
        // An export rank above min(out, in) is capped the same way; one below it still truncates.
        assertEquals(16, export("capped-rank", modules.subList(0, 1), Dtype.F64, 20).modules().get(0).rank());
        assertEquals(7, export("capped-trunc", modules.subList(0, 1), Dtype.F64, 7).modules().get(0).rank());
        JsonNode modulesReport = new ObjectMapper().readTree(tmp.resolve("capped-F64/export_report.json").toFile())
                .get("modules");
        assertEquals("SVD at rank min(out, in) (exact)", modulesReport.get(0).get("method").asText());
    }

    @Test
    void truncatedSvdErrorIsTheTailSingularValuesShare() throws IOException {
        // A rank-deficient tall chain, a full-rank tall one, and a wide one whose R exceeds min(out, in).
        List<ModuleChain> cases = List.of(rankThreeOfFive(), chain("tall", 40, 30, 11, 4, 4, 4), chain("wide", 5, 9, 12, 3, 4));
        int[][] keeps = {{1, 2}, {1, 5, 11}, {1, 3, 4}};
        for (int c = 0; c < cases.size(); c++) {
            ModuleChain m = cases.get(c);
            double[] dw = chainProduct(m);
            for (int keep : keeps[c]) {
                String name = m.module() + keep;
                PeftAdapter.ModuleReport r = export(name, List.of(m), Dtype.F64, keep).modules().get(0);
                double expected = tailShare(dw, m.out(), m.in(), keep);
                double fromFile = relativeDistance(PeftReader.update(adapter(name), m.module(), m.out(), m.in()), dw);
                String what = m.module() + " R'=" + keep + ": ";
                assertEquals(keep, r.rank(), what + "rank");
                assertEquals(expected, fromFile, 1e-10 * expected, what + "error of the written factors");
                assertEquals(expected, r.relativeError(), 1e-10 * expected, what + "reported error");
                // A broken compression (keep the first R' columns of B and rows of A) misses by far more than the tolerance.
                assertTrue(naiveTruncationError(m, keep, dw) > expected * (1 + 1e-3), what + "naive truncation would pass");
            }
        }
    }

    private static double naiveTruncationError(ModuleChain m, int keep, double[] dw) {
        int rank = m.totalRank();
        double[] b = new double[m.out() * rank];
        double[] a = new double[rank * m.in()];
        int col = 0;
        for (int t = 0; t < m.length(); t++) {
            int r = m.ranks().get(t);
            for (int i = 0; i < m.out(); i++) {
                System.arraycopy(m.b().get(t), i * r, b, i * rank + col, r);
            }
            System.arraycopy(m.a().get(t), 0, a, col * m.in(), r * m.in());
            col += r;
        }
        double[] approx = new double[m.out() * m.in()];
        for (int i = 0; i < m.out(); i++) {
            for (int k = 0; k < keep; k++) {
                for (int j = 0; j < m.in(); j++) {
                    approx[i * m.in() + j] += b[i * rank + k] * a[k * m.in() + j];
                }
            }
        }
        return relativeDistance(approx, dw);
    }

    @Test
    void badInputIsOneClearLine() throws IOException {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new ModuleChain("w", 4, 5, new double[19], List.of(), List.of(), List.of()));
        assertEquals("module w: base needs 20 entries, got 19", e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> new ModuleChain("w", 2, 2, new double[4], List.of(new double[2]), List.of(new double[3]), List.of(1)));
        assertEquals("module w: A_0 needs 2 entries, got 3", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new PeftAdapter.Options(Dtype.F32, -1));
        assertTrue(e.getMessage().contains("got -1"), e.getMessage());

        ModuleChain ok = chain("w", 2, 3, 1, 1);
        e = assertThrows(IllegalArgumentException.class, () -> export("dup", List.of(ok, ok), Dtype.F32, 0));
        assertTrue(e.getMessage().contains("module w appears twice"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> export("name", List.of(chain("layers..0", 2, 3, 1, 1)), Dtype.F32, 0));
        assertTrue(e.getMessage().contains("\"layers..0\" is not a PyTorch module path"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> export("none", List.of(), Dtype.F32, 0));
        assertTrue(e.getMessage().contains("at least one module"), e.getMessage());
        ModuleChain empty = new ModuleChain("w", 2, 3, new double[6], List.of(), List.of(), List.of());
        e = assertThrows(IllegalArgumentException.class, () -> export("empty", List.of(empty), Dtype.F32, 0));
        assertTrue(e.getMessage().contains("PEFT needs r >= 1"), e.getMessage());

        // 1e300 fits a double, not a float: the F32 export refuses, names the way out, and leaves no file behind.
        ModuleChain huge = new ModuleChain("w", 1, 1, new double[] {0}, List.of(new double[] {1e300}), List.of(new double[] {1}),
                List.of(1));
        e = assertThrows(IllegalArgumentException.class, () -> export("huge", List.of(huge), Dtype.F32, 0));
        assertTrue(e.getMessage().contains("beyond the F32 range: export as F64"), e.getMessage());
        try (var files = Files.list(tmp.resolve("huge"))) {
            assertEquals(Set.of(), files.map(p -> p.getFileName().toString())
                    .filter(n -> !n.endsWith(".crc")).collect(Collectors.toSet()));
        }
    }
}
