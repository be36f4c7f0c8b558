package org.blora.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The training job's acceptance problem, through the command line in Spark local mode: 2,000 rows, 256 features
 * viewed as 16x16, rank 2, Bernoulli-LoRA-GD with the theory stepsize reaches ||grad f||^2 <= 1e-12.
 */
class SmallProblemIT {
    @TempDir
    Path tmp;

    @Test
    void reachesOneEMinusTwelve() throws Exception {
        Path out = tmp.resolve("small");
        CliRunner.Result r = CliRunner.run(TrainEndToEndTest.args(out, "data.rows=2000", "data.features=256",
                "model.shape=16x16", "lora.rank=2", "lora.p=0.5", "optim.estimator=gd", "optim.tol=1e-12",
                "optim.rounds=40000", "run.progress.seconds=30"));
        assertEquals(0, r.exitCode(), r.err());
        JsonNode summary = RunFiles.summary(out);
        assertTrue(summary.get("converged").asBoolean(), summary.toString());
        double g = summary.get("grad_norm_sq").asDouble();
        assertTrue(g <= 1e-12, "grad_norm_sq " + g);
    }
}
