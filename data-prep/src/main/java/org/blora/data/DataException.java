package org.blora.data;

/** Bad input data: the message is one line naming the problem (file, line, key) and the fix. */
public final class DataException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public DataException(String message) {
        super(message);
    }
}
