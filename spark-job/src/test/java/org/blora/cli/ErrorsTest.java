package org.blora.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import org.junit.jupiter.api.Test;

class ErrorsTest {
    private static final String FIX = "check spark.hadoop.fs.s3a.access.key and spark.hadoop.fs.s3a.secret.key "
            + "(or the bucket's access policy)";

    /** What S3A threw on the driver for a wrong secret key (S3IT against S3Proxy), wrapped as the run folder wraps it. */
    @Test
    void s3AccessDeniedOnTheDriverIsOneLineAndBadInput() {
        String path = "s3a://blora/runs/wrong-key/summary.json";
        Exception e = new UncheckedIOException(new AccessDeniedException(path, null, "getFileStatus on " + path
                + ": software.amazon.awssdk.services.s3.model.S3Exception: Forbidden (Service: S3, Status Code: 403, "
                + "Request ID: D7648B04FE0AA33E):null"));
        assertEquals(path + ": access denied by the S3 endpoint (403): " + FIX, Errors.oneLine(e));
        assertTrue(Errors.isBadInput(e));
    }

    /** On an executor the failure reaches the driver quoted in a task failure's message. */
    @Test
    void s3AccessDeniedOnAnExecutorNamesThePathAndTheCode() {
        Exception e = new RuntimeException("Job aborted due to stage failure: Task 0 in stage 1.0 failed 1 times, most "
                + "recent failure: java.nio.file.AccessDeniedException: s3a://b/data/part-0.parquet: open s3a://b/data/"
                + "part-0.parquet at 0 on s3a://b/data/part-0.parquet: software.amazon.awssdk.services.s3.model."
                + "S3Exception: The AWS Access Key Id you provided does not exist in our records. (Service: S3, Status "
                + "Code: 403, Request ID: X):InvalidAccessKeyId");
        assertEquals("s3a://b/data/part-0.parquet: access denied by the S3 endpoint (403 InvalidAccessKeyId): " + FIX,
                Errors.oneLine(e));
    }

    @Test
    void otherFailuresAreNotS3AccessDenied() {
        Exception e = new UncheckedIOException(new AccessDeniedException("/tmp/x", null, "Permission denied"));
        assertFalse(Errors.isBadInput(e));
        assertFalse(Errors.oneLine(e).contains("S3"));
        assertFalse(Errors.oneLine(new IOException("s3a://b/x: Connection refused")).contains("access denied"));
    }
}
