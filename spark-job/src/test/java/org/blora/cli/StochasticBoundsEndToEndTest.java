package org.blora.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The live bounds of the stochastic and federated estimators through the command line on generated data: a tiny
 * run of each of sgd, mvr, page, and fed qgd, marina, ef21 writes a finite bound on every metrics row after 0, its
 * name, and whether it held; a step above the theorem's condition gives a note and no bound.
 */
class StochasticBoundsEndToEndTest {
    @TempDir
    Path tmp;

    private static final String[] BASE = {"data.rows=300", "data.features=16", "clients=3", "lora.rank=1",
        "optim.rounds=40", "optim.batch=30"};

    private JsonNode run(String name, String... sets) throws IOException {
        Path out = tmp.resolve(name);
        String[] all = new String[BASE.length + sets.length];
        System.arraycopy(BASE, 0, all, 0, BASE.length);
        System.arraycopy(sets, 0, all, BASE.length, sets.length);
        CliRunner.Result r = CliRunner.run(TrainEndToEndTest.args(out, all));
        assertEquals(0, r.exitCode(), r.err());
        return RunFiles.summary(out);
    }

    /** The bound column of every row after row 0 is a finite positive number, and bound_name is on every row. */
    private void assertBoundOnEveryRow(String name, String boundName) throws IOException {
        List<String> metrics = Files.readAllLines(tmp.resolve(name).resolve("metrics.csv"));
        String[] header = metrics.get(0).split(",");
        assertEquals("bound", header[header.length - 2], metrics.get(0));
        assertEquals(41, metrics.size() - 1, "rows 0..40");
        for (int i = 2; i < metrics.size(); i++) {
            String[] f = metrics.get(i).split(",", -1);
            double b = Double.parseDouble(f[f.length - 2]);
            assertTrue(Double.isFinite(b) && b > 0, metrics.get(i));
            assertEquals(boundName, f[f.length - 1], metrics.get(i));
        }
    }

    private void check(String name, String bound, String... sets) throws IOException {
        JsonNode s = run(name, sets);
        assertTrue(s.has("bound_held"), s.toString());
        assertTrue(s.get("bound_name").asText().startsWith(bound), s.toString());
        assertTrue(s.get("bound_ratio").asDouble() > 0 && Double.isFinite(s.get("bound_ratio").asDouble()), s.toString());
        assertFalse(s.has("bound_note"), s.toString());
        assertBoundOnEveryRow(name, s.get("bound_name").asText());
        System.out.println(name + ": " + s.get("bound_name").asText() + " ratio " + s.get("bound_ratio").asDouble()
                + " held " + s.get("bound_held").asBoolean());
    }

    @Test
    void sgdMvrAndPageWriteTheirBounds() throws IOException {
        check("sgd", "sgd; f* <= min f(W_s) used in C", "optim.estimator=sgd", "optim.step.c=0.5");
        check("mvr", "mvr; sigma^2", "optim.estimator=mvr", "optim.mvr.b=0.5", "optim.step.c=0.05");
        check("page", "page", "optim.estimator=page", "optim.page.q=0.5", "optim.step.c=0.1");
    }

    @Test
    void federatedQgdMarinaAndEf21WriteTheirBounds() throws IOException {
        check("qgd", "qgd; Delta_inf <= min f(W_s) used", "fed.protocol=qgd", "fed.compressor=randk",
                "fed.compressor.k=0.5", "optim.step.c=0.5");
        check("marina", "marina", "fed.protocol=marina", "fed.compressor=randk", "fed.compressor.k=0.5",
                "fed.marina.q=0.5", "optim.step.c=0.1", "fed.weighting=uniform");
        check("ef21", "ef21", "fed.protocol=ef21", "fed.compressor=topk", "fed.compressor.k=0.5",
                "optim.step.c=0.1");
    }

    @Test
    void aStepAboveTheTheoremsConditionGivesANoteAndNoBound() throws IOException {
        JsonNode s = run("page-big", "optim.estimator=page", "optim.page.q=0.05", "optim.step.c=1.0");
        assertFalse(s.has("bound_held"), s.toString());
        assertFalse(s.has("bound_name"), s.toString());
        assertTrue(s.get("bound_note").asText().startsWith("the stepsize gamma = "), s.toString());
        assertTrue(s.get("bound_note").asText().contains("1 / (L + Ltilde sqrt(lambda_max (1 - q) / (q b')))"), s.toString());
        String header = Files.readAllLines(tmp.resolve("page-big").resolve("metrics.csv")).get(0);
        assertFalse(header.contains("bound"), header);
    }
}
