package org.blora.spark.persistent;

import java.io.Serializable;
import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The secret of one run's persistent stage: 32 bytes drawn on the driver from {@link SecureRandom}, shipped to the
 * tasks inside the stage's closure (Spark's own channel, encrypted when the cluster sets spark.authenticate and
 * spark.network.crypto.enabled), never sent on the round connection. A task proves it holds the secret by answering
 * the driver's fresh nonce with HMAC-SHA256(secret, nonce, generation, task); the driver compares in constant time.
 */
final class RunSecret implements Serializable {
    private static final long serialVersionUID = 1L;
    static final int NONCE_BYTES = 32;
    static final int MAC_BYTES = 32;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final byte[] key;

    private RunSecret(byte[] key) {
        this.key = key;
    }

    static RunSecret draw() {
        byte[] k = new byte[32];
        RANDOM.nextBytes(k);
        return new RunSecret(k);
    }

    static byte[] nonce() {
        byte[] n = new byte[NONCE_BYTES];
        RANDOM.nextBytes(n);
        return n;
    }

    /** The answer to {@code nonce} of the task {@code task} of stage generation {@code generation}. */
    byte[] answer(byte[] nonce, int generation, int task) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            mac.update(nonce);
            mac.update(ByteBuffer.allocate(8).putInt(generation).putInt(task).array());
            return mac.doFinal();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every Java runtime", e);
        }
    }

    /** Whether {@code answer} is the right one, compared in time independent of where it differs. */
    boolean accepts(byte[] nonce, int generation, int task, byte[] answer) {
        return MessageDigest.isEqual(answer(nonce, generation, task), answer);
    }
}
