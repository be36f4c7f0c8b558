package org.blora.data;

import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.io.LongWritable;
import org.apache.hadoop.io.Text;
import org.apache.hadoop.mapreduce.InputSplit;
import org.apache.hadoop.mapreduce.Job;
import org.apache.hadoop.mapreduce.JobContext;
import org.apache.hadoop.mapreduce.RecordReader;
import org.apache.hadoop.mapreduce.TaskAttemptID;
import org.apache.hadoop.mapreduce.lib.input.FileSplit;
import org.apache.hadoop.mapreduce.lib.input.TextInputFormat;
import org.apache.hadoop.mapreduce.task.TaskAttemptContextImpl;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.util.SerializableConfiguration;

/**
 * Text files cut into Hadoop input splits, as Spark's own text readers cut them: {@link TextInputFormat} decides
 * the splits (at most {@code mapreduce.input.fileinputformat.split.maxsize} bytes, by default the file system's
 * block size; a compressed file that cannot be split is one), and a task reads one split with Hadoop's
 * {@code LineRecordReader}, which gives every line to exactly one split. Splits are ordered by file (in the order
 * given) and then by offset, so the rows keep the input order.
 *
 * <p>Line numbers: a split that starts a file starts at line 1. A later split's first line number is one plus
 * the lines of the splits before it in the same file, which one job counts (reading those splits again, without
 * parsing) before the rows are read; files of one split, the usual case for small files, need no such job.
 */
public final class TextSplits {
    private TextSplits() {
    }

    /** One input split of a text file and the number of its first line (1-based, blank lines counted). */
    public record Split(String file, long start, long length, long firstLine) implements Serializable {
    }

    /** A line of a split with its 1-based line number in the file. */
    public record Line(long number, String text) {
    }

    /** The splits of {@code files}, in file order and then by offset, with their first line numbers. */
    public static List<Split> plan(JavaSparkContext sc, List<String> files, Broadcast<SerializableConfiguration> hadoop)
            throws IOException {
        Configuration conf = hadoop.value().value();
        List<FileStatus> statuses = new ArrayList<>();
        for (String f : files) {
            Path p = new Path(f);
            statuses.add(p.getFileSystem(conf).getFileStatus(p));
        }
        List<InputSplit> raw = new GivenFiles(statuses).getSplits(Job.getInstance(conf));
        List<Split> splits = new ArrayList<>();
        int fileIndex = 0;
        long nextStart = 0;
        for (InputSplit s : raw) {
            FileSplit fs = (FileSplit) s;
            // getSplits walks the files in the given order and each file by increasing offset; check it.
            while (fileIndex < files.size() && !statuses.get(fileIndex).getPath().equals(fs.getPath())) {
                fileIndex++;
                nextStart = 0;
            }
            if (fileIndex == files.size() || fs.getStart() != nextStart) {
                throw new IllegalStateException("input splits out of order at " + fs);
            }
            nextStart = fs.getStart() + fs.getLength();
            splits.add(new Split(files.get(fileIndex), fs.getStart(), fs.getLength(), fs.getStart() == 0 ? 1 : -1));
        }
        return numberLines(sc, splits, hadoop);
    }

    /** Fills in the first line of every split that does not start its file, counting the lines before it. */
    private static List<Split> numberLines(JavaSparkContext sc, List<Split> splits, Broadcast<SerializableConfiguration> hadoop) {
        List<Split> toCount = new ArrayList<>();
        for (int i = 0; i + 1 < splits.size(); i++) {
            if (splits.get(i + 1).start() > 0) {
                toCount.add(splits.get(i));
            }
        }
        if (toCount.isEmpty()) {
            return splits;
        }
        sc.setJobDescription("numbering the lines of split text files");
        List<Long> counts = sc.parallelize(toCount, toCount.size())
                .map(s -> count(s, hadoop.value().value())).collect();
        List<Split> out = new ArrayList<>(splits.size());
        int k = 0;
        for (Split s : splits) {
            if (s.start() == 0) {
                out.add(s);
            } else {
                Split previous = out.get(out.size() - 1);
                out.add(new Split(s.file(), s.start(), s.length(), previous.firstLine() + counts.get(k++)));
            }
        }
        return out;
    }

    private static long count(Split s, Configuration conf) throws IOException {
        long n = 0;
        for (Iterator<Line> it = lines(s, conf); it.hasNext(); it.next()) {
            n++;
        }
        return n;
    }

    /** The lines of a split, numbered from its first line; the reader closes at the end. */
    public static Iterator<Line> lines(Split s, Configuration conf) throws IOException {
        FileSplit split = new FileSplit(new Path(s.file()), s.start(), s.length(), new String[0]);
        TaskAttemptContextImpl ctx = new TaskAttemptContextImpl(conf, new TaskAttemptID());
        RecordReader<LongWritable, Text> reader = new TextInputFormat().createRecordReader(split, ctx);
        try {
            reader.initialize(split, ctx);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
        return new Iterator<>() {
            private long number = s.firstLine();
            private Boolean ready;

            @Override
            public boolean hasNext() {
                if (ready == null) {
                    try {
                        ready = reader.nextKeyValue();
                        if (!ready) {
                            reader.close();
                        }
                    } catch (IOException e) {
                        throw new UncheckedIOException(s.file() + ": " + e.getMessage(), e);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new IllegalStateException(e);
                    }
                }
                return ready;
            }

            @Override
            public Line next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                ready = null;
                try {
                    return new Line(number++, reader.getCurrentValue().toString());
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException(e);
                }
            }
        };
    }

    /** TextInputFormat over exactly the given files, in the given order (no listing, no hidden-file filter). */
    private static final class GivenFiles extends TextInputFormat {
        private final List<FileStatus> files;

        GivenFiles(List<FileStatus> files) {
            this.files = files;
        }

        @Override
        protected List<FileStatus> listStatus(JobContext job) {
            return files;
        }
    }
}
