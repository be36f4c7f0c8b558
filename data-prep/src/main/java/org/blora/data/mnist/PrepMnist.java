package org.blora.data.mnist;

import java.io.IOException;
import java.io.OutputStream;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.stream.IntStream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.blora.core.random.Purpose;
import org.blora.core.random.RandomStreams;
import org.blora.data.DataException;

/**
 * Spark job that turns the four MNIST IDX files into Parquet with columns {@code id} (long: the image's index,
 * training images first, then the test images), {@code label} (int), {@code features} (array&lt;double&gt;,
 * pixels normalised to (x/255 − {@value #MEAN})/{@value #STD} as in the Bernoulli-LoRA paper's MNIST code) and
 * {@code split} ({@code train}, {@code val}, {@code test}).
 *
 * <p>The training file is split into train and val by a seeded random permutation (55,000/5,000 by default, as
 * the paper's code does): the last {@code val} positions of the permutation go to val. The files are read on the
 * driver (55 MB of bytes) and broadcast; the executors build the rows of contiguous id ranges, so part files hold
 * the rows in id order. The output is written to a hidden sibling folder and renamed onto the target at the end,
 * together with {@value #PROPERTIES_FILE} (rows per split and per class, seed, SHA-256 of the inputs).
 */
public final class PrepMnist {
    /** Name of the small properties file stored next to the Parquet parts. */
    public static final String PROPERTIES_FILE = "_mnist.properties";
    /** Normalisation of the paper's code (torchvision's MNIST mean and standard deviation). */
    public static final double MEAN = 0.1307;
    public static final double STD = 0.3081;
    /** Validation images taken from the training file by default, as in the paper's code. */
    public static final int DEFAULT_VAL = 5000;
    public static final long DEFAULT_SEED = 1;
    /** Rows per Spark partition (and Parquet part file) of the output. */
    static final int ROWS_PER_PARTITION = 10_000;

    public static final String TRAIN_IMAGES = "train-images-idx3-ubyte";
    public static final String TRAIN_LABELS = "train-labels-idx1-ubyte";
    public static final String TEST_IMAGES = "t10k-images-idx3-ubyte";
    public static final String TEST_LABELS = "t10k-labels-idx1-ubyte";

    /** Split names, indexed by the split code the rows are built from. */
    public static final List<String> SPLITS = List.of("train", "val", "test");
    private static final byte TRAIN = 0;
    private static final byte VAL = 1;
    private static final byte TEST = 2;
    private static final int DIGITS = 10;

    public static final StructType SCHEMA = new StructType()
            .add("id", DataTypes.LongType, false)
            .add("label", DataTypes.IntegerType, false)
            .add("features", DataTypes.createArrayType(DataTypes.DoubleType, false), false)
            .add("split", DataTypes.StringType, false);

    private PrepMnist() {
    }

    /** What a preparation wrote: the content of {@value #PROPERTIES_FILE}, and warnings for the user. */
    public record Result(Map<String, String> properties, List<String> warnings) {
    }

    /** A pixel byte (0..255) as a feature. */
    public static double normalise(int pixel) {
        return (pixel / 255.0 - MEAN) / STD;
    }

    /**
     * Reads the four IDX files (plain or {@code .gz}) from {@code inDir} and writes the data set to {@code outUri}.
     *
     * @param val  images of the training file that go to the val split, in [0, training images)
     * @param seed seed of the train/val permutation
     */
    public static Result write(SparkSession spark, String inDir, String outUri, int val, long seed, boolean overwrite) {
        return write(spark, inDir, outUri, val, seed, overwrite, ROWS_PER_PARTITION);
    }

    static Result write(SparkSession spark, String inDir, String outUri, int val, long seed, boolean overwrite,
                        int rowsPerPartition) {
        if (val < 0) {
            throw new IllegalArgumentException("val must be >= 0 (images of the training file kept for validation), got "
                    + val);
        }
        Configuration conf = spark.sparkContext().hadoopConfiguration();
        try {
            Path given = new Path(outUri);
            FileSystem fs = FileSystem.get(given.toUri(), conf);
            Path out = fs.makeQualified(given);
            if (fs.exists(out) && !overwrite) {
                throw new IllegalArgumentException("output already exists: " + out + " (pass overwrite=true to replace it)");
            }
            Path parent = out.getParent();
            if (parent == null) {
                throw new IllegalArgumentException("output must not be a file system root: " + out);
            }
            List<IdxFile> files = new ArrayList<>();
            for (String name : List.of(TRAIN_IMAGES, TRAIN_LABELS, TEST_IMAGES, TEST_LABELS)) {
                files.add(IdxFile.read(conf, locate(conf, inDir, name), name.contains("images") ? IdxFile.IMAGES
                        : IdxFile.LABELS));
            }
            Images data = images(files, val, seed);
            fs.mkdirs(parent);
            Path tmp = new Path(parent, "." + out.getName() + ".tmp-" + UUID.randomUUID());
            try {
                JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
                int n = data.labels.length;
                int partitions = Math.max(1, (n + rowsPerPartition - 1) / rowsPerPartition);
                jsc.setJobDescription("prep-mnist: write " + n + " images (" + partitions + " parts)");
                Broadcast<Images> b = jsc.broadcast(data);
                JavaRDD<Row> rows = jsc.parallelize(IntStream.range(0, partitions).boxed().toList(), partitions)
                        .flatMap(p -> b.value().rows((long) p * n / partitions, (long) (p + 1) * n / partitions));
                spark.createDataFrame(rows, SCHEMA).write().parquet(tmp.toString());
                b.destroy();
                Map<String, String> props = properties(files, data, val, seed);
                writeProperties(fs, new Path(tmp, PROPERTIES_FILE), props);
                if (fs.exists(out)) {
                    fs.delete(out, true);
                }
                if (!fs.rename(tmp, out)) {
                    throw new IOException("could not rename " + tmp + " to " + out);
                }
                List<String> warnings = new ArrayList<>();
                files.forEach(f -> f.canonicalMismatch().ifPresent(warnings::add));
                return new Result(props, warnings);
            } finally {
                spark.sparkContext().setJobDescription(null);
                if (fs.exists(tmp)) {
                    fs.delete(tmp, true);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("writing " + outUri + ": " + e.getMessage(), e);
        }
    }

    /** The file {@code name} or {@code name.gz} in the folder (the plain one if both are there). */
    static String locate(Configuration conf, String inDir, String name) throws IOException {
        Path dir = new Path(inDir);
        FileSystem fs = dir.getFileSystem(conf);
        for (String candidate : new String[] {name, name + ".gz"}) {
            Path p = new Path(dir, candidate);
            if (fs.exists(p)) {
                return p.toString();
            }
        }
        throw new DataException(new Path(dir, name) + ": not found, nor " + name + ".gz (run data-prep/fetch-mnist.sh "
                + inDir + ", or point to the folder holding the four MNIST IDX files)");
    }

    /** Checks the four files against each other and assigns every image its split. */
    private static Images images(List<IdxFile> f, int val, long seed) {
        IdxFile trainImages = f.get(0);
        IdxFile trainLabels = f.get(1);
        IdxFile testImages = f.get(2);
        IdxFile testLabels = f.get(3);
        IdxFile.checkSameCount(trainImages, trainLabels);
        IdxFile.checkSameCount(testImages, testLabels);
        if (testImages.rows() != trainImages.rows() || testImages.cols() != trainImages.cols()) {
            throw new DataException(testImages.file() + ": images of " + testImages.rows() + " x " + testImages.cols()
                    + " but " + trainImages.file() + " has " + trainImages.rows() + " x " + trainImages.cols()
                    + " (both files must come from the same data set)");
        }
        int train = trainImages.count();
        if (val >= train) {
            throw new IllegalArgumentException("val must be below the " + train + " images of " + trainImages.file()
                    + " (it leaves no training images), got " + val);
        }
        int n = train + testImages.count();
        int d = trainImages.itemBytes();
        byte[] pixels = new byte[Math.multiplyExact(n, d)];
        System.arraycopy(trainImages.data(), 0, pixels, 0, train * d);
        System.arraycopy(testImages.data(), 0, pixels, train * d, testImages.count() * d);
        byte[] labels = new byte[n];
        System.arraycopy(trainLabels.data(), 0, labels, 0, train);
        System.arraycopy(testLabels.data(), 0, labels, train, testImages.count());
        for (int i = 0; i < n; i++) {
            if (labels[i] < 0 || labels[i] >= DIGITS) {
                IdxFile source = i < train ? trainLabels : testLabels;
                throw new DataException(source.file() + ": label " + Byte.toUnsignedInt(labels[i]) + " of item "
                        + (i < train ? i : i - train) + " is not a digit 0-9 (not an MNIST label file)");
            }
        }
        byte[] split = new byte[n];
        for (int i = 0; i < n; i++) {
            split[i] = i < train ? TRAIN : TEST;
        }
        for (int i : validation(train, val, seed)) {
            split[i] = VAL;
        }
        return new Images(pixels, labels, split, d);
    }

    /**
     * Indices of the training file that go to val: the last {@code val} entries of a Fisher–Yates permutation of
     * 0..train−1 drawn from (seed, SHUFFLE).
     */
    static int[] validation(int train, int val, long seed) {
        int[] perm = new int[train];
        for (int i = 0; i < train; i++) {
            perm[i] = i;
        }
        SplittableRandom rng = RandomStreams.of(seed, 0, RandomStreams.DRIVER, Purpose.SHUFFLE);
        for (int i = train - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int t = perm[i];
            perm[i] = perm[j];
            perm[j] = t;
        }
        int[] out = new int[val];
        System.arraycopy(perm, train - val, out, 0, val);
        return out;
    }

    private static Map<String, String> properties(List<IdxFile> files, Images data, int val, long seed) {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("mnist.seed", Long.toString(seed));
        p.put("mnist.val", Integer.toString(val));
        p.put("mnist.normalise.mean", Double.toString(MEAN));
        p.put("mnist.normalise.std", Double.toString(STD));
        p.put("mnist.image.rows", Integer.toString(files.get(0).rows()));
        p.put("mnist.image.cols", Integer.toString(files.get(0).cols()));
        long[][] counts = new long[SPLITS.size()][DIGITS];
        for (int i = 0; i < data.labels.length; i++) {
            counts[data.split[i]][data.labels[i]]++;
        }
        for (int s = 0; s < SPLITS.size(); s++) {
            long total = 0;
            for (long c : counts[s]) {
                total += c;
            }
            p.put(SPLITS.get(s) + ".rows", Long.toString(total));
            for (int k = 0; k < DIGITS; k++) {
                p.put(SPLITS.get(s) + ".class." + k, Long.toString(counts[s][k]));
            }
        }
        for (IdxFile f : files) {
            p.put("sha256." + f.baseName(), f.sha256());
        }
        p.put("data.columns", "id:long,label:int,features:array<double>,split:string");
        return p;
    }

    private static void writeProperties(FileSystem fs, Path file, Map<String, String> props) throws IOException {
        StringBuilder text = new StringBuilder("# blora-spark MNIST data set (LeCun and Cortes, CC BY-SA 3.0), "
                + "written by prep-mnist\n");
        for (Map.Entry<String, String> e : props.entrySet()) {
            text.append(e.getKey()).append('=').append(e.getValue()).append('\n');
        }
        try (OutputStream os = fs.create(file, false)) {
            os.write(text.toString().getBytes(StandardCharsets.ISO_8859_1));
        }
    }

    /** All images in id order as raw bytes, with labels and split codes: what the executors build rows from. */
    private record Images(byte[] pixels, byte[] labels, byte[] split, int itemBytes) implements Serializable {
        /** Rows of ids [from, to), in id order. */
        Iterator<Row> rows(long from, long to) {
            double[] table = new double[256];
            for (int v = 0; v < 256; v++) {
                table[v] = normalise(v);
            }
            return new Iterator<>() {
                private long id = from;

                @Override
                public boolean hasNext() {
                    return id < to;
                }

                @Override
                public Row next() {
                    if (!hasNext()) {
                        throw new NoSuchElementException();
                    }
                    int i = (int) id++;
                    double[] x = new double[itemBytes];
                    for (int j = 0; j < itemBytes; j++) {
                        x[j] = table[Byte.toUnsignedInt(pixels[i * itemBytes + j])];
                    }
                    return RowFactory.create((long) i, (int) labels[i], x, SPLITS.get(split[i]));
                }
            };
        }
    }
}
