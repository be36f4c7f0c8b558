package org.blora.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.blora.io.SafetensorsWriter.Dtype;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The export as a Python user loads it: check_peft_export.py parses the safetensors files with struct and json,
 * applies PEFT's rank_pattern rule with Python's own re, and compares W0 + (alpha / r) B A with the weights this
 * test computes; where torch and peft import, it also merges the adapter with PeftModel.from_pretrained.
 * Skipped, with a message, without python3 and numpy.
 */
class PeftAdapterIT {
    @TempDir
    Path tmp;

    @BeforeAll
    static void needsNumpy() throws Exception {
        boolean found;
        try {
            Process p = new ProcessBuilder("python3", "-c", "import numpy").redirectErrorStream(true).start();
            found = p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            found = false;
        }
        assumeTrue(found, "skipped: python3 with numpy is not installed (apt-get install python3-numpy)");
    }

    private record Result(int exitCode, String output) {
    }

    /**
     * Exports the modules, writes W0 + sum_t B_t A_t as computed here (its first entry moved by {@code nudge}), and
     * runs the script on both.
     */
    private Result run(String name, List<ModuleChain> modules, PeftAdapter.Options options, double tolerance, double nudge)
            throws Exception {
        Path dir = tmp.resolve(name);
        PeftAdapter.write(FileSystem.getLocal(new Configuration()), new org.apache.hadoop.fs.Path(dir.toUri()), modules, options);
        ObjectMapper json = new ObjectMapper();
        ObjectNode expected = json.createObjectNode().put("tolerance", tolerance);
        ArrayNode list = expected.putArray("modules");
        for (ModuleChain m : modules) {
            double[] dw = PeftAdapterTest.chainProduct(m);
            ArrayNode w = list.addObject().put("module", m.module()).put("out", m.out()).put("in", m.in()).putArray("weight");
            for (int i = 0; i < dw.length; i++) {
                w.add(m.base()[i] + dw[i] + (i == 0 ? nudge : 0));
            }
        }
        Path expectedFile = tmp.resolve(name + "-expected.json");
        json.writeValue(expectedFile.toFile(), expected);
        Path script = Path.of(getClass().getResource("check_peft_export.py").toURI());
        Process p = new ProcessBuilder("python3", script.toString(), dir.toString(), expectedFile.toString())
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(5, TimeUnit.MINUTES), "python3 timed out");
        System.out.println(name + ": " + out.trim());
        return new Result(p.exitValue(), out);
    }

    private String check(String name, List<ModuleChain> modules, Dtype dtype, int exportRank, double tolerance) throws Exception {
        Result r = run(name, modules, new PeftAdapter.Options(dtype, exportRank), tolerance, 0.0);
        assertEquals(0, r.exitCode(), r.output());
        return r.output();
    }

    @Test
    void f64ExportMatchesTheChainInNumpy() throws Exception {
        String out = check("f64", PeftAdapterTest.sample(), Dtype.F64, 0, 1e-12);
        assertTrue(out.contains("numpy: 3 modules"), out);
    }

    @Test
    void f32ExportMatchesToSinglePrecision() throws Exception {
        String out = check("f32", PeftAdapterTest.sample(), Dtype.F32, 0, 1e-6);
        assertTrue(out.contains("numpy: 3 modules"), out);
    }

    @Test
    void rankPatternResolvesPerModuleInPythonsRe() throws Exception {
        String out = check("patterns", PeftAdapterTest.patternModules(), Dtype.F64, 0, 1e-12);
        assertTrue(out.contains("numpy: 4 modules"), out);
    }

    @Test
    void svdExportAtTheTrueRankIsExact() throws Exception {
        String out = check("svd", List.of(PeftAdapterTest.rankThreeOfFive()), Dtype.F64, 3, 1e-12);
        assertTrue(out.contains("numpy: 1 modules"), out);
    }

    @Test
    void aWrongWeightFailsTheScript() throws Exception {
        // The script's comparison bites: an expected weight 1e-9 away from the export is rejected.
        Result r = run("wrong", List.of(PeftAdapterTest.rankThreeOfFive()), new PeftAdapter.Options(Dtype.F64, 0), 1e-12, 1e-9);
        assertEquals(1, r.exitCode(), r.output());
        assertTrue(r.output().contains("FAIL: mlp.fc"), r.output());
    }
}
