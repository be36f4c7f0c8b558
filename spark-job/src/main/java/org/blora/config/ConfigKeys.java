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
        key("data.source", "synthetic-regression", "synthetic-regression (generated on the executors), mnist (a folder written by prep-mnist), cached-regression "
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
        key("data.split", "iid", "synthetic: iid (equal shares) or dirichlet (client sizes ~ Dirichlet(alpha); targets shifted only with data.client.shift)");
        key("data.dirichlet.alpha", "0.5", "synthetic: Dirichlet concentration of the client sizes (smaller = more uneven)");
        key("data.client.shift", "0.0", "synthetic: client c's targets are shifted by shift * N(0, 1) (heterogeneity)");
        key("data.labels", "auto", "synthetic: values (the make_regression targets) or sign (-1/+1: the side of the true "
                + "coefficients' hyperplane, each row moved to at least data.margin from it, so the hinge loss has f* = 0); auto = sign for model.loss=hinge");
        key("data.margin", "0.1", "synthetic, data.labels=sign: least distance of a row from the hyperplane (W* = unit normal / margin)");
        key("data.classes", "all", "mnist: the classes kept (0-4, 5-9, 0,3,7 or all), relabelled in increasing order to 0..K-1");
        key("data.block.mb", "128", "upper bound on one cached block of a client's rows, in MB");
        key("clients", "2", "number of federated clients = Spark partitions");
        key("model.type", "linear", "linear (least squares, one weight matrix W) or mlp (classifier: Linear, ReLU, dropout; log-softmax + NLL)");
        key("model.loss", "squares", "linear: squares (least squares, the paper), lad (|x.w - y|) or hinge (max(0, 1 - y x.w), "
                + "labels -1/+1); lad and hinge are convex non-smooth: subgradient steps, docs/THEORY.md");
        key("model.layers", "784,64,64,5", "mlp: widths from the input features to the classes; modules l1, l2, ... (out x in) with biases");
        key("model.dropout", "0.1", "mlp: dropout rate after every hidden layer, training minibatches only");
        key("model.shape", "auto", "MxN view of the parameter vector as W (row-major); auto = the squarest MxN = d (M <= N; 1xd for a prime d)");
        key("model.init", "", "theta0: path of a finished run's adapter.safetensors (its merged modules) or of a PyTorch state_dict saved as safetensors (l1.weight, l1.bias, ...; F32 or F64), gaussian (N(0, I) from run.seed), or empty (linear: zeros; mlp: PyTorch's default init from run.seed)");
        key("pretrain", "false", "true: first pre-train W0 with GD on the pre-training set (cached in data.cache.dir), then fine-tune from it");
        key("pretrain.preset", "paper-pretrain", "data preset of the pre-training set");
        key("pretrain.rows", "auto", "rows of the pre-training set (auto = the preset's; smaller for reduced-size runs)");
        key("pretrain.tol", "1e-8", "pre-training stops when ||grad f||^2 <= tol");
        key("pretrain.rounds", "10000", "pre-training GD round budget");
        key("pretrain.seed", "42", "seed of the pre-training start x ~ N(0, I)");
        key("pretrain.classes", "0-4", "mlp: the classes of the pre-training run (full-parameter AdamW from PyTorch's init)");
        key("pretrain.epochs", "50", "mlp: pre-training epoch budget");
        key("pretrain.lr", "2e-4", "mlp: pre-training AdamW learning rate");
        key("pretrain.early.stop.patience", "10", "mlp: pre-training stops after this many epochs without a better validation loss");
        key("lora.method", "bernoulli", "bernoulli, rac (p = 0 or 1), fpft (full-parameter baseline), lora, cola "
                + "(both factors trained jointly), asymm (one factor frozen forever; p = 0 or 1)");
        key("lora.link.steps", "auto", "optimiser steps (rounds) per chain link before it merges; auto = 1 (bernoulli, rac), 10 (cola), never (lora, asymm, fpft)");
        key("lora.link.epochs", "", "merge every this many epochs instead (steps = epochs N / optim.batch); the paper's MNIST runs merge every epoch");
        key("lora.modules", "", "the adapted weight matrices, comma-separated (e.g. l1,l2,l3); empty = every weight matrix of the model");
        key("lora.coin", "shared", "shared (one coin per link: every module trains A, or every module B) or per-module");
        key("lora.first.side", "random", "the first link's trained side: random (the coin), A or B (the paper's deterministic first link)");
        key("lora.gaussian.factor", "A", "lora, cola: the factor initialised N(0, 1); the other starts at zero");
        key("lora.alpha", "auto", "LoRA scale alpha in W = W0 + (alpha / r) B A; auto = r (scale 1); the projected step does not depend on it");
        key("lora.rank", "1", "rank r of every chain link");
        key("lora.p", "0.5", "probability of the left sketch (B random and frozen, A trained)");
        key("lora.sketch", "gaussian", "law of the random factor: gaussian (N(0,1) entries)");
        key("optim.estimator", "gd", "gd, sgd (minibatch without replacement), page, mvr");
        key("optim.batch", "100", "minibatch size b for sgd, page and mvr");
        key("optim.page.q", "auto", "PAGE full-gradient probability; auto = b / (b + N)");
        key("optim.mvr.b", "0.1", "MVR momentum parameter b in (0, 1]");
        key("optim.optimizer", "sgd", "sgd (the paper's projected step on the trained factor; plain steps for lora, cola, fpft) or adamw (learning rate = the step size)");
        key("optim.adamw.betas", "0.9,0.999", "adamw: beta1,beta2");
        key("optim.adamw.eps", "1e-8", "adamw: eps");
        key("optim.adamw.weight.decay", "0.01", "adamw: decoupled weight decay");
        key("optim.plateau.patience", "0", "reduce the step size 10x after this many evaluations without a better validation loss (0 = off)");
        key("optim.early.stop.patience", "0", "stop after this many evaluations without a better validation loss (0 = off)");
        key("optim.step.rule", "theory", "theory (gamma = c / L_hat, L_hat estimated on the data; lad, hinge: the convex theorem's "
                + "gamma = R / (L0 sqrt(lambda_max T))), constant, polyak");
        key("optim.step.c", "1.0", "c in gamma = c / L_hat for the theory rule (lad, hinge: gamma = c R / (L0 sqrt(lambda_max T)))");
        key("optim.step.size", "", "gamma for the constant rule");
        key("optim.polyak.fstar", "", "f*, the optimal value, for the Polyak rule: required with optim.step.rule=polyak (no default: a wrong f* makes the rule overshoot or stall); "
                + "auto (lad, hinge) = known by construction, or a certified reference solve of lad on the driver");
        key("optim.subgradient.r", "auto", "lad, hinge: R >= ||W0 - W*|| for the theory step and the live bound; auto = from the "
                + "generator's known minimiser (noiseless lad, sign labels) or the lad reference solve");
        key("optim.subgradient.l0", "auto", "lad, hinge: the Lipschitz constant L0 of f; auto = mean row norm (1/N) sum ||x_i||, one pass");
        key("optim.rounds", "1000", "round budget T");
        key("optim.epochs", "inf", "epoch budget (passes over the data by the algorithm's own gradients)");
        key("optim.tol", "1e-12", "stop when ||grad f||^2 <= tol (checked on metric rounds)");
        key("fed.protocol", "none", "none, qgd (compressed gradients), marina (compressed differences), ef21 (error feedback)");
        key("fed.compressor", "identity", "identity, randk, topk, natural, qsgd, scaled-randk, scaled-natural, scaled-qsgd");
        key("fed.compressor.k", "0.01", "randk/topk: fraction of the m n entries kept");
        key("fed.compressor.levels", "16", "qsgd: number of levels s");
        key("fed.marina.q", "0.1", "MARINA: probability of a full synchronisation round");
        key("fed.participation", "1.0", "fraction of clients drawn each round (uniformly, from the seeded stream)");
        key("fed.weighting", "rows", "how client results are combined: rows (f = (1/N) sum over all rows, clients weighted by their row counts) or uniform (f = (1/M) sum_l f_l, f_l the mean over client l's rows)");
        key("fed.sketch.first", "false", "GD/SGD: draw the sketch before the stage; clients send r x n (or m x r) coordinates");
        key("reg.lambda", "auto", "weight of the non-convex regulariser; auto = ||X^T X / N||_2 (the paper); 0 disables");
        key("smoothness.tol", "1e-6", "relative accuracy of the Lanczos estimate of ||X^T X / N||_2");
        key("run.metrics.every", "1", "rounds between full-gradient evaluations of loss and ||grad f||^2 (and the validation/test scores), or epoch");
        key("run.seed", "1", "seed of every random draw: (seed, round, client, purpose)");
        key("run.diverge.factor", "1e4", "stop as diverged when the loss or ||grad f||^2 of a metric round exceeds this factor times its first value (0 = only when not finite)");
        key("run.progress.seconds", "5", "seconds between progress lines");
        key("run.snapshot.every", "auto", "rounds between full-W broadcasts executors can rebuild from (auto = only when an executor cannot advance its copy; each round ships just the new link with its tasks)");
        key("run.rounds", "stage", "stage (one Spark stage per round) or persistent (every round inside one barrier stage whose "
                + "tasks keep the clients' blocks and talk to the driver over an authenticated connection; needs a task slot per "
                + "task at once, no dynamic allocation; same metrics bit for bit, docs/PERFORMANCE.md)");
        key("run.rounds.timeout", "600", "run.rounds=persistent: seconds a round may take before its tasks count as lost "
                + "and the stage is relaunched");
        key("run.checkpoint.every", "0", "rounds between checkpoints in --out/checkpoints (0 = none); the last 2 are kept");
        key("run.checkpoint.keep", "false", "keep the checkpoints after a successful finish (removed otherwise)");
        key("run.resume", "false", "continue from the newest valid checkpoint in --out (same configuration required)");
        key("export.peft.dtype", "f32", "the PEFT LoRA export in adapter/peft: f32 or f64 tensors");
        key("export.rank", "0", "the PEFT export's LoRA rank: 0 = exact (the chain's rank r T, never above min(out, in): a longer chain is written exactly by SVD at that rank), else at most this, by truncated SVD of each module's update");
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
     * The key table of docs/CONFIG.md, in Markdown: one row per key in registration order, the default in backticks
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
