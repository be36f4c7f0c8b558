package org.blora.cli;

import org.blora.config.ConfigException;
import org.blora.data.DataException;

/** Turns a failure into the one line the user sees: the innermost project error, else the first line. */
final class Errors {
    private static final String DATA_EXCEPTION = DataException.class.getName() + ": ";
    private static final String CONFIG_EXCEPTION = ConfigException.class.getName() + ": ";

    private Errors() {
    }

    /** Whether the failure is bad configuration or data (exit code 2) rather than a crash. */
    static boolean isBadInput(Throwable e) {
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

    private static String firstLine(String m) {
        int nl = m.indexOf('\n');
        return nl < 0 ? m : m.substring(0, nl);
    }
}
