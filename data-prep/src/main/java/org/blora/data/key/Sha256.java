package org.blora.data.key;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * SHA-256 of a canonical text, in lower-case hex: the content keys of generated data sets, pre-training runs and
 * checkpoint configurations (equal text, equal key; any change, another key).
 */
public final class Sha256 {
    private Sha256() {
    }

    /** The 64 hex digits of SHA-256 over the UTF-8 bytes of {@code text}. */
    public static String hex(String text) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available in this JVM", e);
        }
    }
}
