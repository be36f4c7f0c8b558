package org.blora.cli;

import java.nio.file.AccessDeniedException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.blora.config.ConfigException;
import org.blora.data.DataException;

/** Turns a failure into the one line the user sees: the innermost project error, else the first line. */
final class Errors {
    private static final String DATA_EXCEPTION = DataException.class.getName() + ": ";
    private static final String CONFIG_EXCEPTION = ConfigException.class.getName() + ": ";
    private static final Pattern STATUS = Pattern.compile("Status Code: (\\d+)");
    /** The S3 error code S3A appends after the SDK's message, e.g. "...):InvalidAccessKeyId". */
    private static final Pattern S3_ERROR = Pattern.compile("\\):([A-Za-z]+)\\s*$");

    private Errors() {
    }

    /** Whether the failure is bad configuration or data (exit code 2) rather than a crash. */
    static boolean isBadInput(Throwable e) {
        if (s3AccessDenied(e) != null) {
            return true;
        }
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof DataException || t instanceof ConfigException) {
                return true;
            }
            String m = String.valueOf(t.getMessage());
            if (m.contains(DATA_EXCEPTION) || m.contains(CONFIG_EXCEPTION)) {
                return true;
            }
        }
        return false;
    }

    static String oneLine(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof DataException || t instanceof ConfigException) {
                return t.getMessage();
            }
        }
        // A task failure on an executor reaches the driver as a SparkException whose message quotes the cause.
        for (Throwable t = e; t != null; t = t.getCause()) {
            String m = String.valueOf(t.getMessage());
            for (String marker : new String[] {DATA_EXCEPTION, CONFIG_EXCEPTION}) {
                int i = m.indexOf(marker);
                if (i >= 0) {
                    String rest = m.substring(i + marker.length());
                    int nl = rest.indexOf('\n');
                    return nl < 0 ? rest : rest.substring(0, nl);
                }
            }
        }
        String s3 = s3AccessDenied(e);
        if (s3 != null) {
            return s3;
        }
        // An output that cannot be written: the message names the file, the reason and the fix.
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof java.io.UncheckedIOException && String.valueOf(t.getMessage()).startsWith("cannot write ")) {
                return firstLine(t.getMessage());
            }
        }
        String m = e.getClass().getSimpleName() + ": " + e.getMessage();
        int nl = m.indexOf('\n');
        return nl < 0 ? m : m.substring(0, nl);
    }

    /**
     * S3A turns the endpoint's 401/403 into {@link AccessDeniedException} named after the s3a:// path
     * (on an executor it reaches the driver quoted in a SparkException's message): the credentials are wrong or
     * lack the right. One line naming the path and the settings to check, or null if the failure is another.
     */
    private static String s3AccessDenied(Throwable e) {
        String marker = AccessDeniedException.class.getName() + ": ";
        for (Throwable t = e; t != null; t = t.getCause()) {
            String m = String.valueOf(t.getMessage());
            String path = null;
            if (t instanceof AccessDeniedException a && m.startsWith("s3a://")) {
                path = String.valueOf(a.getFile());
            } else if (m.contains(marker + "s3a://")) {
                String rest = m.substring(m.indexOf(marker) + marker.length());
                path = rest.substring(0, Math.max(rest.indexOf(':', "s3a://".length()), "s3a://".length()));
            }
            if (path != null) {
                Matcher status = STATUS.matcher(m);
                Matcher name = S3_ERROR.matcher(m);
                String code = (status.find() ? status.group(1) : "403")
                        + (name.find() && !name.group(1).equals("null") ? " " + name.group(1) : "");
                return path + ": access denied by the S3 endpoint (" + code + "): check spark.hadoop.fs.s3a.access.key and "
                        + "spark.hadoop.fs.s3a.secret.key (or the bucket's access policy)";
            }
        }
        return null;
    }

    private static String firstLine(String m) {
        int nl = m.indexOf('\n');
        return nl < 0 ? m : m.substring(0, nl);
    }
}
