package org.blora.config;

import java.util.Arrays;
import org.blora.core.linalg.Shape;
import org.blora.core.model.ModelKind;
import org.blora.core.model.ModelKinds;

/** The model.* keys and reg.lambda: the model the chains adapt, its loss and regulariser, and W0. */
public final class ModelSection {
    public static final KeyGroup KEYS = new KeyGroup("Model", "the model the chains adapt, its loss, W0 and the regulariser");

    public static final Key<ModelKind> TYPE = KEYS.key("model.type", "linear",
            (k, v) -> ConfigException.translated(() -> ModelKinds.named(v)),
            "linear (least squares, one weight matrix W) or mlp (classifier: Linear, ReLU, dropout; log-softmax + NLL)");
    public static final Key<LossKind> LOSS = KEYS.key("model.loss", "squares", Key.choice(LossKind.class),
            "linear: squares (least squares, the paper), lad (|x.w - y|) or hinge (max(0, 1 - y x.w), "
                    + "labels -1/+1); lad and hinge are convex non-smooth: subgradient steps, docs/THEORY.md");
    public static final Key<int[]> LAYERS = KEYS.key("model.layers", "784,64,64,5", ModelSection::layers,
            "mlp: widths from the input features to the classes; modules l1, l2, ... (out x in) with biases");
    public static final Key<Double> DROPOUT = KEYS.key("model.dropout", "0.1", Key.number(0, 0.999),
            "mlp: dropout rate after every hidden layer, training minibatches only");
    /** MxN, or null for auto. */
    public static final Key<Shape> SHAPE = KEYS.key("model.shape", "auto",
            Key.orAuto(null, (k, v) -> ConfigException.translated(() -> Shape.parse(v))),
            "MxN view of the parameter vector as W (row-major); auto = the squarest MxN = d (M <= N; 1xd for a prime d)");
    public static final Key<ModelInit> INIT = KEYS.key("model.init", "", (k, v) -> ModelInit.parse(v),
            "theta0: path of a finished run's adapter.safetensors (its merged modules) or of a PyTorch state_dict saved "
                    + "as safetensors (l1.weight, l1.bias, ...; F32 or F64), gaussian (N(0, I) from run.seed), or empty "
                    + "(linear: zeros; mlp: PyTorch's default init from run.seed)");
    /** NaN for auto (= ||X^T X / N||_2, known once the data are). */
    public static final Key<Double> LAMBDA = KEYS.key("reg.lambda", "auto",
            Key.orAuto(Double.NaN, Key.number(0, Double.MAX_VALUE)),
            "weight of the non-convex regulariser; auto = ||X^T X / N||_2 (the paper); 0 disables");

    private final ModelKind type;
    private final LossKind loss;
    private final int[] layers;
    private final double dropout;
    private final String shapeText;
    private final Shape fixedShape;
    private final ModelInit init;
    private final double lambda;

    ModelSection(RunConfig c) {
        shapeText = c.text(SHAPE);
        init = c.get(INIT);
        type = c.get(TYPE);
        layers = c.get(LAYERS);
        dropout = c.get(DROPOUT);
        loss = c.get(LOSS);
        lambda = c.get(LAMBDA);
        fixedShape = c.get(SHAPE);
    }

    private static int[] layers(String key, String text) {
        try {
            int[] l = Arrays.stream(text.split(",")).map(String::trim).mapToInt(Integer::parseInt).toArray();
            if (l.length >= 2 && Arrays.stream(l).allMatch(w -> w > 0)) {
                return l;
            }
        } catch (NumberFormatException e) {
            // the message below
        }
        throw new ConfigException(key + " must be positive widths from the inputs to the classes, e.g. 784,64,64,5; got '"
                + text + "'");
    }

    /** The shape of W for d features: model.shape, or the squarest m x n = d when auto ({@link Shape#squarest}). */
    public Shape shapeFor(int d) {
        if (fixedShape == null) {
            return Shape.squarest(d);
        }
        if (fixedShape.size() != d) {
            throw new ConfigException(SHAPE.is(fixedShape) + " has " + fixedShape.size() + " entries but the data has " + d
                    + " features (set model.shape=MxN with M*N=" + d + ")");
        }
        return fixedShape;
    }

    /** model.type: the kind of model the chains adapt (core's registered {@link ModelKind}s). */
    public ModelKind type() {
        return type;
    }

    public LossKind loss() {
        return loss;
    }

    /** model.layers: the MLP's widths from the input features to the classes. */
    public int[] layers() {
        return layers.clone();
    }

    public double dropout() {
        return dropout;
    }

    /** model.shape as written: MxN or auto. */
    public String shapeText() {
        return shapeText;
    }

    /** model.shape when it is MxN, null when auto (the shape then follows from the data). */
    public Shape fixedShape() {
        return fixedShape;
    }

    public ModelInit init() {
        return init;
    }

    /** reg.lambda; NaN for auto (= ||X^T X / N||_2, known once the data are). */
    public double lambda() {
        return lambda;
    }
}
