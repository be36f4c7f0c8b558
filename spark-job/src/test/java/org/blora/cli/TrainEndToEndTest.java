package org.blora.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.blora.io.Safetensors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The train job through its command line, in Spark local mode, on data it generates. */
class TrainEndToEndTest {
    @TempDir
    Path tmp;

    static String[] args(Path out, String... sets) {
        String[] a = new String[2 + 2 * sets.length + 2];
        int k = 0;
        a[k++] = "train";
        for (String s : sets) {
            a[k++] = "--set";
            a[k++] = s;
        }
        a[k++] = "--set";
        a[k++] = "spark.master=local[2]";
        a[k] = "--out=" + out;
        return a;
    }

    /** metrics.csv without the wall_ms column: every other column is a function of the configuration and seed. */
    static List<String> deterministicColumns(Path metrics) throws IOException {
        return deterministicColumns(Files.readAllLines(metrics));
    }

    /** The lines of a metrics.csv without the wall_ms column. */
    static List<String> deterministicColumns(List<String> lines) {
        return lines.stream().map(l -> {
            String[] f = l.split(",", -1);
            f[2] = "";
            return String.join(",", f);
        }).collect(Collectors.toList());
    }

    @Test
    void convergesAndWritesTheRunFolder() throws IOException {
        Path out = tmp.resolve("run");
        CliRunner.Result r = CliRunner.run(args(out, "data.rows=1500", "data.features=64", "lora.rank=2",
                "optim.rounds=4000", "optim.tol=1e-10", "run.seed=3"));
        assertEquals(0, r.exitCode(), r.err());
        JsonNode summary = RunFiles.summary(out);
        assertTrue(summary.get("converged").asBoolean(), summary.toString());
        for (String f : new String[] {"config.properties", "metrics.csv", "convergence.png",
                "adapter/chain.json", "adapter/adapter.safetensors"}) {
            assertTrue(Files.size(out.resolve(f)) > 0, f);
        }
        List<String> metrics = Files.readAllLines(out.resolve("metrics.csv"));
        assertTrue(metrics.get(0).startsWith("round,epoch,wall_ms,loss,grad_norm_sq,step_size,side"));
        // Theorem 1's bound is checked live: GD, gamma = 1/L_hat, the gradient every round.
        assertTrue(metrics.get(0).endsWith(",bound,bound_name"), metrics.get(0));
        assertTrue(summary.get("bound_held").asBoolean(), summary.toString());
        assertTrue(summary.get("bound_ratio").asDouble() <= 1.0, summary.toString());
        // The adapter is loadable and consistent: W0 + sum_t B_t A_t equals the merged W.
        Map<String, Safetensors.Tensor> t =
                Safetensors.read(Files.readAllBytes(out.resolve("adapter/adapter.safetensors")), "adapter");
        double[] w = t.get("W.base").data().clone();
        int links = 0;
        while (t.containsKey("W.chain." + links + ".B")) {
            double[] b = t.get("W.chain." + links + ".B").data();
            double[] a = t.get("W.chain." + links + ".A").data();
            int rank = t.get("W.chain." + links + ".B").shape()[1];
            for (int i = 0; i < 8; i++) {
                for (int j = 0; j < 8; j++) {
                    for (int k = 0; k < rank; k++) {
                        w[i * 8 + j] += b[i * rank + k] * a[k * 8 + j];
                    }
                }
            }
            links++;
        }
        assertEquals(metrics.size() - 2, links, "one link per round, plus header and final row");
        assertArrayEquals(t.get("W.merged").data(), w, 1e-9);
        // A finished run is not overwritten without --overwrite.
        CliRunner.Result again = CliRunner.run(args(out, "data.rows=1500", "data.features=64"));
        assertEquals(2, again.exitCode());
        assertTrue(again.err().contains("already holds a finished run"), again.err());
    }

    @Test
    void sameSeedGivesIdenticalMetrics() throws IOException {
        String[] sets = {"data.rows=1200", "data.features=36", "lora.rank=1", "optim.estimator=page", "optim.batch=50",
                "optim.rounds=60", "optim.tol=0", "run.seed=7", "clients=3"};
        CliRunner.Result a = CliRunner.run(args(tmp.resolve("a"), sets));
        CliRunner.Result b = CliRunner.run(args(tmp.resolve("b"), sets));
        assertEquals(0, a.exitCode(), a.err());
        assertEquals(0, b.exitCode(), b.err());
        List<String> ma = deterministicColumns(tmp.resolve("a/metrics.csv"));
        assertEquals(62, ma.size());
        assertEquals(ma, deterministicColumns(tmp.resolve("b/metrics.csv")));
        assertArrayEquals(Files.readAllBytes(tmp.resolve("a/adapter/adapter.safetensors")),
                Files.readAllBytes(tmp.resolve("b/adapter/adapter.safetensors")));
    }

    @Test
    void scoreOnTheTrainingDataReproducesTheFinalLoss() throws IOException {
        Path out = tmp.resolve("scored");
        CliRunner.Result r = CliRunner.run(args(out, "data.rows=800", "data.features=16", "lora.rank=1",
                "optim.rounds=60", "optim.tol=0", "run.seed=5"));
        assertEquals(0, r.exitCode(), r.err());
        CliRunner.Result s = CliRunner.run("score", "--run", out.toString(), "--master", "local[2]");
        assertEquals(0, s.exitCode(), s.err());
        com.fasterxml.jackson.databind.JsonNode score = new com.fasterxml.jackson.databind.ObjectMapper()
                .readTree(s.out().substring(s.out().indexOf('{'), s.out().lastIndexOf('}') + 1));
        com.fasterxml.jackson.databind.JsonNode summary = RunFiles.summary(out);
        assertEquals(summary.get("loss").asDouble(), score.get("loss").asDouble(),
                1e-12 * Math.abs(summary.get("loss").asDouble()), s.out());
        assertEquals(summary.get("grad_norm_sq").asDouble(), score.get("grad_norm_sq").asDouble(),
                1e-9 * summary.get("grad_norm_sq").asDouble());
        assertEquals(800, score.get("rows").asInt());
        // Other data (another generator seed) score differently.
        CliRunner.Result other = CliRunner.run("score", "--run", out.toString(), "--master", "local[2]", "--set", "data.seed=43");
        assertEquals(0, other.exitCode(), other.err());
        assertTrue(other.out().contains("\"loss\""), other.out());
        assertTrue(!other.out().contains(Double.toString(score.get("loss").asDouble())), other.out());
    }

    /**
     * fed.weighting on 10 CSV rows in 3 clients of 4, 3 and 3 rows (contiguous shares): round 0 (W0 = 0, so the
     * regulariser is 0) has loss (1/N) Σ_i y_i²/2 with rows and (1/M) Σ_l mean_l y_i²/2 with uniform, and the
     * gradient -(1/N) Σ_i y_i x_i or its uniform average.
     */
    @Test
    void clientWeightingIsTheObjectivesDefinition() throws IOException {
        double[][] x = new double[10][4];
        double[] y = new double[10];
        StringBuilder csv = new StringBuilder();
        for (int i = 0; i < 10; i++) {
            y[i] = i < 4 ? 1.0 + i : 10.0 + i;
            csv.append(y[i]);
            for (int j = 0; j < 4; j++) {
                x[i][j] = ((i * 7 + j * 3) % 5) - 2.0;
                csv.append(',').append(x[i][j]);
            }
            csv.append('\n');
        }
        Path data = tmp.resolve("weighting.csv");
        Files.writeString(data, csv.toString());
        int[] client = {0, 0, 0, 0, 1, 1, 1, 2, 2, 2};
        int[] size = {4, 3, 3};
        for (String weighting : new String[] {"rows", "uniform"}) {
            Path out = tmp.resolve("w-" + weighting);
            List<String> sets = new java.util.ArrayList<>(List.of("data.source=path", "data.path=" + data,
                    "data.format=csv", "model.shape=2x2", "clients=3", "optim.rounds=3", "run.seed=4"));
            sets.add("fed.weighting=" + weighting);
            CliRunner.Result r = CliRunner.run(args(out, sets.toArray(String[]::new)));
            assertEquals(0, r.exitCode(), r.err());
            String[] round0 = Files.readAllLines(out.resolve("metrics.csv")).get(1).split(",");
            double loss = 0;
            double[] g = new double[4];
            for (int i = 0; i < 10; i++) {
                double weight = weighting.equals("uniform") ? 1.0 / (3 * size[client[i]]) : 1.0 / 10;
                loss += weight * 0.5 * y[i] * y[i];
                for (int j = 0; j < 4; j++) {
                    g[j] -= weight * y[i] * x[i][j];
                }
            }
            double gn2 = 0;
            for (double v : g) {
                gn2 += v * v;
            }
            assertEquals(loss, Double.parseDouble(round0[3]), 1e-12 * loss, weighting);
            assertEquals(gn2, Double.parseDouble(round0[4]), 1e-12 * gn2, weighting);
        }
        assertTrue(!deterministicColumns(tmp.resolve("w-rows/metrics.csv"))
                .equals(deterministicColumns(tmp.resolve("w-uniform/metrics.csv"))));
    }
}
