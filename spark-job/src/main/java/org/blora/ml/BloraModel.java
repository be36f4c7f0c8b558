package org.blora.ml;

import org.apache.spark.ml.Model;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.util.DefaultParamsReader;
import org.apache.spark.ml.util.DefaultParamsReader$;
import org.apache.spark.ml.util.DefaultParamsWriter$;
import org.apache.spark.ml.util.MLWritable;
import org.apache.spark.ml.util.MLWriter;
import org.apache.spark.sql.SparkSession;
import org.blora.io.AdapterFiles;
import org.blora.io.RunFolder;
import scala.Option;

/**
 * What the fitted models share: the uid, the Params, the run's adapter files, the training summary of the fit
 * that made the model, and one way to save: the Params as Spark ML metadata and the adapter files under
 * {@code path/data} (an adapter folder the apply and score jobs read: {@code --adapter PATH/data}).
 */
public abstract class BloraModel<M extends BloraModel<M>> extends Model<M> implements BloraParams<M>, MLWritable {
    private static final long serialVersionUID = 1L;

    private final String uid;
    private final ParamTable params = new ParamTable();
    private final RunAdapter adapter;
    private BernoulliLoRATrainingSummary summary;

    protected BloraModel(String uid, RunAdapter adapter) {
        this.uid = uid;
        this.adapter = adapter;
    }

    @Override
    public final String uid() {
        return uid;
    }

    @Override
    public final ParamTable paramTable() {
        return params;
    }

    final RunAdapter adapter() {
        return adapter;
    }

    /** Whether the model has the summary of the fit that made it (a loaded model has none). */
    public final boolean hasSummary() {
        return summary != null;
    }

    /** The summary of the fit that made this model. */
    public final BernoulliLoRATrainingSummary summary() {
        if (summary == null) {
            throw new IllegalStateException("no training summary: " + uid + " was loaded, not fitted (hasSummary() is false)");
        }
        return summary;
    }

    final void setSummary(BernoulliLoRATrainingSummary s) {
        summary = s;
    }

    /** A copy made by {@code copy(extra)}: the same summary, parent and Params, with {@code extra} on top. */
    protected final M copied(M copy, ParamMap extra) {
        copy.setSummary(summary);
        return copyValues(copy, extra).setParent(parent());
    }

    @Override
    public final MLWriter write() {
        BloraModel<M> model = this;
        return new MLWriter() {
            @Override
            public void saveImpl(String path) {
                DefaultParamsWriter$.MODULE$.saveMetadata(model, path, sparkSession());
                model.adapter.writeTo(new RunFolder(path + "/data", sparkSession().sparkContext().hadoopConfiguration()));
            }
        };
    }

    /** What a saved model holds: its metadata, the model its adapter describes, and the adapter files. */
    record Saved(DefaultParamsReader.Metadata metadata, AdapterFiles.Adapter model, RunAdapter adapter) {
        /** Sets the saved Params on {@code m}. */
        <T extends BloraModel<T>> T restore(T m) {
            metadata.getAndSetParams(m, Option.empty());
            return m;
        }
    }

    static Saved read(String path, SparkSession spark, Class<?> type) {
        DefaultParamsReader.Metadata meta = DefaultParamsReader$.MODULE$.loadMetadata(path, spark, type.getName());
        RunFolder data = new RunFolder(path + "/data", spark.sparkContext().hadoopConfiguration());
        return new Saved(meta, RunAdapter.model(data), RunAdapter.in(data));
    }
}
