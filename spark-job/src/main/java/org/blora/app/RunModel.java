package org.blora.app;

import org.apache.spark.api.java.JavaSparkContext;
import org.blora.config.ConfigException;
import org.blora.config.TrainSpec;
import org.blora.core.linalg.Shape;
import org.blora.core.model.Model;
import org.blora.core.model.ModelLayout;
import org.blora.core.model.ModelSettings;
import org.blora.core.model.Module;
import org.blora.core.objective.DataLoss;
import org.blora.core.objective.Hinge;
import org.blora.core.objective.LeastAbsoluteDeviations;
import org.blora.core.objective.LeastSquares;
import org.blora.core.random.Purpose;
import org.blora.core.random.RandomStreams;
import org.blora.core.sketch.GaussianSketch;
import org.blora.io.RunOutputs;

/**
 * The model of a run: model.type's kind built from the model settings for the data's width, and theta0 from
 * model.init. Training and scoring build the model here and nowhere else.
 */
final class RunModel {
    private RunModel() {
    }

    /** The model of the spec on data with {@code features} columns; a ConfigException when the settings do not fit. */
    static Model of(TrainSpec spec, int features) {
        Model model;
        try {
            model = spec.model().type().build(settings(spec), features);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(e.getMessage());
        }
        ModelLayout layout = model.layout();
        if (layout.modules().size() == 1) {
            // A one-matrix model's W is model.shape's view of theta, so the rank check names model.shape; the modules
            // of a larger model are checked one by one when the chains are built.
            Module w = layout.modules().get(0);
            spec.checkRank(new Shape(w.rows(), w.cols()));
        }
        return model;
    }

    /** What the kinds build from: the model.* keys and run.seed as typed values. */
    static ModelSettings settings(TrainSpec spec) {
        return new ModelSettings(spec.model().fixedShape(), rowLoss(spec), spec.model().layers(), spec.model().dropout(),
                spec.run().seed());
    }

    /** model.loss as the per-row loss of a linear model. */
    private static DataLoss rowLoss(TrainSpec spec) {
        return switch (spec.model().loss()) {
            case SQUARES -> new LeastSquares();
            case LAD -> new LeastAbsoluteDeviations();
            case HINGE -> new Hinge();
        };
    }

    /**
     * theta0: the model's default (zeros for the linear model, PyTorch's default init for the MLP; random ones from
     * run.seed's INIT stream), gaussian = N(0, I), or a finished run's merged modules or a PyTorch state_dict.
     */
    static double[] initialTheta(TrainSpec spec, Model model, JavaSparkContext sc) {
        ModelLayout layout = model.layout();
        return switch (spec.model().init().kind()) {
            case ZEROS -> model.defaultTheta(RandomStreams.of(spec.run().seed(), 0, RandomStreams.DRIVER, Purpose.INIT));
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
