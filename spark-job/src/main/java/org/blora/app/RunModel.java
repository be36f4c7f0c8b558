package org.blora.app;

import org.apache.spark.api.java.JavaSparkContext;
import org.blora.config.ConfigException;
import org.blora.config.ModelType;
import org.blora.config.TrainSpec;
import org.blora.core.linalg.Shape;
import org.blora.core.model.Mlp;
import org.blora.core.model.ModelLayout;
import org.blora.core.objective.DataLoss;
import org.blora.core.objective.Hinge;
import org.blora.core.objective.LeastAbsoluteDeviations;
import org.blora.core.objective.LeastSquares;
import org.blora.core.random.Purpose;
import org.blora.core.random.RandomStreams;
import org.blora.core.sketch.GaussianSketch;
import org.blora.io.RunOutputs;

/**
 * The model of a run, from model.type: its loss (what the executors evaluate), its parameter layout, and theta0.
 * Training and scoring build the model here and nowhere else.
 */
final class RunModel {
    private RunModel() {
    }

    /** The model of the spec: its loss, what the executors evaluate. */
    static DataLoss loss(TrainSpec spec) {
        if (spec.model().type() == ModelType.MLP) {
            return new Mlp(spec.model().layers(), spec.model().dropout(), spec.run().seed());
        }
        return switch (spec.model().loss()) {
            case SQUARES -> new LeastSquares();
            case LAD -> new LeastAbsoluteDeviations();
            case HINGE -> new Hinge();
        };
    }

    /** The parameter layout: the MLP's modules, or the linear model's one matrix W of model.shape. */
    static ModelLayout layout(TrainSpec spec, int features) {
        if (spec.model().type() == ModelType.MLP) {
            try {
                loss(spec).parameters(features);
            } catch (IllegalArgumentException e) {
                throw new ConfigException(e.getMessage());
            }
            return Mlp.layout(spec.model().layers());
        }
        Shape shape = spec.model().shapeFor(features);
        spec.checkRank(shape);
        return ModelLayout.single("W", shape.m(), shape.n());
    }

    /**
     * theta0: the default is zeros for the linear model and PyTorch's default init for the MLP (from run.seed's INIT
     * stream), gaussian = N(0, I), or a finished run's merged modules.
     */
    static double[] initialTheta(TrainSpec spec, ModelLayout layout, JavaSparkContext sc) {
        return switch (spec.model().init().kind()) {
            case ZEROS -> spec.model().type() == ModelType.MLP
                    ? Mlp.init(layout, RandomStreams.of(spec.run().seed(), 0, RandomStreams.DRIVER, Purpose.INIT))
                    : new double[layout.size()];
            case GAUSSIAN -> new GaussianSketch().sampleRight(1, layout.size(),
                    RandomStreams.of(spec.run().seed(), 0, RandomStreams.DRIVER, Purpose.INIT));
            case FILE -> {
                try {
                    yield RunOutputs.mergedTheta(spec.model().init().path(), layout, sc.hadoopConfiguration());
                } catch (IllegalArgumentException e) {
                    throw new ConfigException("model.init: " + e.getMessage());
                }
            }
        };
    }
}
