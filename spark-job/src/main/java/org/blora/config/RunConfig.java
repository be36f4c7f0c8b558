package org.blora.config;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;

/**
 * The resolved configuration: defaults of the keys ({@link ConfigKeys}), overlaid by a {@code --conf} properties file, then by
 * {@code --set key=value}. Unknown keys and unparsable values fail here, before Spark starts, with one line that
 * names the key and the fix. Values are kept as written; {@link #get(Key)} parses one by its key's definition.
 */
public final class RunConfig {
    private final Map<String, String> values = new LinkedHashMap<>();
    private final Set<String> explicit = new TreeSet<>();

    private RunConfig() {
        values.putAll(ConfigKeys.defaults());
    }

    /** One key=value from the command line, and where it came from (for error messages). */
    public record Setting(String key, String value, String origin, boolean fromConf) {
    }

    private static final Pattern URI_SCHEME = Pattern.compile("[a-zA-Z][a-zA-Z0-9+.-]+:.*");

    /** The settings of {@code --conf FILE} (keys sorted) then every {@code --set key=value}, in that order. */
    public static List<Setting> read(String confFile, List<String> sets) {
        List<Setting> out = new ArrayList<>();
        if (confFile != null) {
            Properties p = new Properties();
            try (Reader r = open(confFile)) {
                p.load(r);
            } catch (NoSuchFileException | FileNotFoundException e) {
                throw new ConfigException("--conf: " + confFile + " does not exist (give a .properties file, e.g. "
                        + "conf/demo.properties; in cluster deploy mode the driver runs on a cluster node, so give an "
                        + "hdfs://, s3a:// or other shared URI)");
            } catch (IOException | IllegalArgumentException e) {
                throw new ConfigException("--conf: cannot read " + confFile + ": " + firstLine(e.getMessage()));
            }
            for (String k : new TreeSet<>(p.stringPropertyNames())) {
                out.add(new Setting(k, p.getProperty(k).trim(), "in " + confFile, true));
            }
        }
        for (String s : sets) {
            int eq = s.indexOf('=');
            if (eq <= 0) {
                throw new ConfigException("--set expects key=value, got '" + s + "'");
            }
            out.add(new Setting(s.substring(0, eq).trim(), s.substring(eq + 1).trim(), "in --set", false));
        }
        return out;
    }

    /**
     * A path with a URI scheme (hdfs://, s3a://, file:) through the Hadoop FileSystem, so that a driver in cluster
     * deploy mode reads the file from the shared store, with the submission's {@code spark.hadoop.*} settings
     * (system properties of the driver JVM, as for every Spark setting) applied as Spark applies them to the
     * job's own files. A path without a scheme is a file of the driver's machine, as for spark-submit.
     */
    private static Reader open(String file) throws IOException {
        if (!URI_SCHEME.matcher(file).matches()) {
            return Files.newBufferedReader(Path.of(file), StandardCharsets.UTF_8);
        }
        Configuration conf = new Configuration();
        for (String k : System.getProperties().stringPropertyNames()) {
            if (k.startsWith("spark.hadoop.")) {
                conf.set(k.substring("spark.hadoop.".length()), System.getProperty(k));
            }
        }
        org.apache.hadoop.fs.Path path = new org.apache.hadoop.fs.Path(file);
        FileSystem fs = path.getFileSystem(conf);
        return new InputStreamReader(fs.open(path), StandardCharsets.UTF_8);
    }

    private static String firstLine(String m) {
        String s = String.valueOf(m);
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }

    public static RunConfig load(String confFile, List<String> sets) {
        RunConfig c = new RunConfig();
        for (Setting s : read(confFile, sets)) {
            if (s.fromConf() && s.key().startsWith("sweep.")) {
                continue; // read by the sweep job only, so one file can serve train and sweep
            }
            c.put(s.key(), s.value(), s.origin());
        }
        return c;
    }

    public static RunConfig of(Map<String, String> settings) {
        RunConfig c = new RunConfig();
        settings.forEach((k, v) -> c.put(k, v, "in the settings"));
        return c;
    }

    private void put(String key, String value, String where) {
        if (!ConfigKeys.known(key)) {
            throw new ConfigException("unknown key '" + key + "' " + where + closest(key)
                    + " (run 'train --help' for the list of keys)");
        }
        values.put(key, value);
        explicit.add(key);
    }

    private static String closest(String key) {
        String best = null;
        int bestD = Integer.MAX_VALUE;
        for (String k : ConfigKeys.all().keySet()) {
            int d = distance(key, k);
            if (d < bestD) {
                bestD = d;
                best = k;
            }
        }
        return bestD <= Math.max(2, key.length() / 4) ? "; did you mean '" + best + "'?" : "";
    }

    private static int distance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int sub = prev[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                cur[j] = Math.min(sub, Math.min(prev[j] + 1, cur[j - 1] + 1));
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }

    public boolean isExplicit(Key<?> key) {
        return explicit.contains(key.name());
    }

    /** The value of {@code key}, parsed and checked by its definition. */
    public <T> T get(Key<T> key) {
        return key.parse(text(key));
    }

    /** The value of {@code key} as written. */
    public String text(Key<?> key) {
        return get(key.name());
    }

    /** Whether {@code key} is set to auto (any case). */
    public boolean isAuto(Key<?> key) {
        return "auto".equalsIgnoreCase(text(key));
    }

    /** The value of a key known by name only (a sweep's grid names its keys as text). */
    public String get(String key) {
        if (!values.containsKey(key)) {
            throw new IllegalStateException("not a configuration key: " + key);
        }
        return values.get(key);
    }

    public RunConfig with(Key<?> key, String value) {
        return with(key.name(), value);
    }

    /** This configuration with the key called {@code key} set to {@code value}; an unknown key is refused. */
    public RunConfig with(String key, String value) {
        RunConfig c = new RunConfig();
        c.values.putAll(values);
        c.explicit.addAll(explicit);
        c.put(key, value, "in the settings");
        return c;
    }

    /** This configuration with {@code key} set to {@code value} unless it was set explicitly. */
    public RunConfig withDefault(Key<?> key, String value) {
        return isExplicit(key) ? this : with(key, value);
    }

    /** This configuration with the key called {@code key} set to {@code value} unless it was set explicitly. */
    public RunConfig withDefault(String key, String value) {
        return explicit.contains(key) ? this : with(key, value);
    }

    public Map<String, String> asMap() {
        return new LinkedHashMap<>(values);
    }

    /** The resolved configuration as properties text, keys in contract order. */
    public String toProperties(Map<String, String> extra) {
        StringBuilder sb = new StringBuilder("# resolved configuration of this run (defaults, --conf, --set)\n");
        values.forEach((k, v) -> sb.append(k).append('=').append(v).append('\n'));
        sb.append("# run facts\n");
        extra.forEach((k, v) -> sb.append("# ").append(k).append('=').append(v).append('\n'));
        return sb.toString();
    }
}
