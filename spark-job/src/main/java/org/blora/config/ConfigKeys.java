package org.blora.config;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Every configuration key with its default and meaning: the public contract. Unknown keys are
 * rejected; {@code train --help} prints this table.
 */
public final class ConfigKeys {
    public record Key(String name, String defaultValue, String help) {
    }

    private static final Map<String, Key> KEYS = new LinkedHashMap<>();

    static {
        key("data.source", "synthetic-regression", "synthetic-regression (generated on the executors), cached-regression "
                + "(generated once into data.cache.dir with data.postprocess, then read), path, or counterexample "
                + "(the RAC-LoRA quadratic, no data)");
        key("data.preset", "none", "none, paper-pretrain or paper-finetune: the paper's generator settings and "
                + "post-processing as defaults of the data.* keys (implies data.source=cached-regression)");
        key("data.postprocess", "none", "cached-regression: none, standardize (pre-training data) or rescale "
                + "(fine-tuning data: mean 1, std 2)");
        key("data.cache.dir", "data", "folder (Hadoop URI) of generated data sets and pre-trained W0, keyed by their parameters");
        key("data.curvature", "10", "counterexample: M = diag(curvature, 1, ..., 1), so L = curvature");
        key("data.path", "", "Hadoop URI of the data (file://, hdfs://, s3a://) when data.source=path");
        key("data.format", "parquet", "parquet (label, features[, client]), libsvm, or csv (dense, label first, no header)");
        key("data.rows", "4000", "synthetic: number of rows N");
        key("data.features", "256", "synthetic: number of features d (= m n of model.shape)");
        key("data.informative", "auto", "synthetic: features with a nonzero true coefficient (auto = all)");
        key("data.effective.rank", "0", "synthetic: make_regression effective_rank (0 = plain Gaussian features)");
        key("data.tail.strength", "0.5", "synthetic: make_regression tail_strength");
        key("data.noise", "1.0", "synthetic: standard deviation of the label noise");
        key("data.bias", "0.0", "synthetic: intercept added to every label");
        key("data.seed", "42", "synthetic: generator seed (each client draws from (seed, client))");
        key("data.split", "iid", "synthetic: iid (equal shares) or dirichlet (client sizes ~ Dirichlet(alpha), shifted targets)");
        key("data.dirichlet.alpha", "0.5", "synthetic: Dirichlet concentration of the client sizes (smaller = more uneven)");
        key("data.client.shift", "0.0", "synthetic: client c's targets are shifted by shift * N(0, 1) (heterogeneity)");
        key("data.block.mb", "128", "upper bound on one cached block of a client's rows, in MB");
        key("clients", "2", "number of federated clients = Spark partitions");
        key("model.shape", "auto", "MxN view of the parameter vector as W (row-major); auto = square root of d");
        key("model.init", "", "W0: path of an adapter.safetensors (its merged W), gaussian (N(0, I) from run.seed), or empty for zeros");
        key("pretrain", "false", "true: first pre-train W0 with GD on the pre-training set (cached in data.cache.dir), then fine-tune from it");
        key("pretrain.preset", "paper-pretrain", "data preset of the pre-training set");
        key("pretrain.rows", "auto", "rows of the pre-training set (auto = the preset's; smaller for reduced-size runs)");
        key("pretrain.tol", "1e-8", "pre-training stops when ||grad f||^2 <= tol");
        key("pretrain.rounds", "10000", "pre-training GD round budget");
        key("pretrain.seed", "42", "seed of the pre-training start x ~ N(0, I)");
        key("lora.method", "bernoulli", "bernoulli, rac (p = 0 or 1), fpft (full-parameter baseline), lora, cola "
                + "(both factors trained jointly), asymm (one factor frozen forever; p = 0 or 1)");
        key("lora.merge.every", "10", "cola: rounds between merges (W0 := W, factors re-initialised)");
        key("lora.rank", "1", "rank r of every chain link");
        key("lora.p", "0.5", "probability of the left sketch (B random and frozen, A trained)");
        key("lora.sketch", "gaussian", "law of the random factor: gaussian (N(0,1) entries)");
        key("optim.estimator", "gd", "gd, sgd (minibatch without replacement), page, mvr");
        key("optim.batch", "100", "minibatch size b for sgd, page and mvr");
        key("optim.page.q", "auto", "PAGE full-gradient probability; auto = b / (b + N)");
        key("optim.mvr.b", "0.1", "MVR momentum parameter b in (0, 1]");
        key("optim.step.rule", "theory", "theory (gamma = c / L_hat, L_hat estimated on the data), constant, polyak");
        key("optim.step.c", "1.0", "c in gamma = c / L_hat for the theory rule");
        key("optim.step.size", "", "gamma for the constant rule");
        key("optim.polyak.fstar", "0.0", "f* (or a lower bound) for the Polyak rule");
        key("optim.rounds", "1000", "round budget T");
        key("optim.epochs", "inf", "epoch budget (passes over the data by the algorithm's own gradients)");
        key("optim.tol", "1e-12", "stop when ||grad f||^2 <= tol (checked on metric rounds)");
        key("fed.protocol", "none", "none, qgd (compressed gradients), marina (compressed differences), ef21 (error feedback)");
        key("fed.compressor", "identity", "identity, randk, topk, natural, qsgd, scaled-randk, scaled-natural, scaled-qsgd");
        key("fed.compressor.k", "0.01", "randk/topk: fraction of the m n entries kept");
        key("fed.compressor.levels", "16", "qsgd: number of levels s");
        key("fed.marina.q", "0.1", "MARINA: probability of a full synchronisation round");
        key("fed.participation", "1.0", "fraction of clients drawn each round (uniformly, from the seeded stream)");
        key("fed.sketch.first", "false", "GD/SGD: draw the sketch before the stage; clients send r x n (or m x r) coordinates");
        key("reg.lambda", "auto", "weight of the non-convex regulariser; auto = ||X^T X / N||_2 (the paper); 0 disables");
        key("smoothness.tol", "1e-6", "relative accuracy of the Lanczos estimate of ||X^T X / N||_2");
        key("run.metrics.every", "1", "rounds between full-gradient evaluations of loss and ||grad f||^2");
        key("run.seed", "1", "seed of every random draw: (seed, round, client, purpose)");
        key("run.progress.seconds", "5", "seconds between progress lines");
        key("run.snapshot.every", "auto", "rounds between full-W broadcasts executors can rebuild from (auto = only when an executor cannot advance its copy; each round ships just the new link with its tasks)");
        key("run.checkpoint.every", "0", "rounds between checkpoints in --out/checkpoints (0 = none); the last 2 are kept");
        key("run.checkpoint.keep", "false", "keep the checkpoints after a successful finish (removed otherwise)");
        key("run.resume", "false", "continue from the newest valid checkpoint in --out (same configuration required)");
        key("spark.master", "", "Spark master when not set by spark-submit (default local[*])");
    }

    private ConfigKeys() {
    }

    private static void key(String name, String def, String help) {
        KEYS.put(name, new Key(name, def, help));
    }

    public static Map<String, Key> all() {
        return KEYS;
    }

    public static boolean known(String name) {
        return KEYS.containsKey(name);
    }

    /**
     * The key table of README.md, in Markdown: one row per key in registration order, the default in backticks
     * ("(none)" when empty), pipes in the meaning escaped.
     */
    public static String markdownTable() {
        StringBuilder sb = new StringBuilder("| key | default | meaning |\n|---|---|---|\n");
        for (Key k : KEYS.values()) {
            sb.append("| `").append(k.name).append("` | ")
                    .append(k.defaultValue.isEmpty() ? "(none)" : "`" + k.defaultValue + "`").append(" | ")
                    .append(k.help.replace("|", "\\|")).append(" |\n");
        }
        return sb.toString();
    }

    /** The key table for --help. */
    public static String table() {
        StringBuilder sb = new StringBuilder();
        for (Key k : KEYS.values()) {
            sb.append(String.format("  %-22s %-22s %s%n", k.name, k.defaultValue.isEmpty() ? "(none)" : k.defaultValue, k.help));
        }
        return sb.toString();
    }
}
