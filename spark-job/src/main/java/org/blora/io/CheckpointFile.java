package org.blora.io;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.CRC32;

/**
 * The container of a checkpoint: a safetensors file (every array as an F64 tensor) whose {@code __metadata__} holds
 * a CRC32, the format's name and version, and the state as JSON text:
 * <pre>
 *   {"__metadata__":{"crc32":"89abcdef","format":"blora-spark checkpoint","version":"3","state":"{...}"}, tensors...}
 * </pre>
 * Any safetensors reader opens it. The CRC32 covers every byte of the file, with its own eight hex digits read as
 * {@code 00000000}; they sit at a fixed offset (the metadata and the crc32 entry come first), so the checksum is
 * verified before anything is parsed: a torn or corrupt file is a {@link Checkpoints.CorruptCheckpointException},
 * never a checkpoint with wrong numbers.
 */
final class CheckpointFile {
    static final String FORMAT = "blora-spark checkpoint";
    /** 3: safetensors and JSON. 2 and 1 were a Java-serialised payload behind the magic {@link #BEFORE_MAGIC}. */
    static final int VERSION = 3;
    private static final String PREFIX = "{\"__metadata__\":{\"crc32\":\"";
    private static final int CRC_AT = 8 + PREFIX.length();
    private static final int CRC_DIGITS = 8;
    /** How the files of formats 1 and 2 began. */
    private static final byte[] BEFORE_MAGIC = "BLORACKP".getBytes(StandardCharsets.US_ASCII);

    /** What a checkpoint file holds: the state's JSON text and the arrays by name. */
    record Contents(String state, Map<String, Safetensors.Tensor> tensors) {
    }

    private CheckpointFile() {
    }

    static byte[] encode(String state, Map<String, Safetensors.Tensor> tensors) {
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("crc32", "0".repeat(CRC_DIGITS));
        meta.put("format", FORMAT);
        meta.put("version", Integer.toString(VERSION));
        meta.put("state", state);
        byte[] file = Safetensors.toBytes(tensors, meta);
        if (!new String(file, 8, PREFIX.length(), StandardCharsets.UTF_8).equals(PREFIX)) {
            throw new IllegalStateException("the safetensors header does not start with the checksum entry");
        }
        byte[] digits = String.format("%08x", crc(file)).getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(digits, 0, file, CRC_AT, CRC_DIGITS);
        return file;
    }

    /**
     * The contents of a checkpoint file of this format.
     *
     * @throws Checkpoints.OlderFormatException        for a file of an earlier format (it is whole, but not read)
     * @throws Checkpoints.CorruptCheckpointException for anything torn, truncated or not a checkpoint
     */
    static Contents decode(byte[] file) {
        if (file.length >= BEFORE_MAGIC.length
                && Arrays.equals(file, 0, BEFORE_MAGIC.length, BEFORE_MAGIC, 0, BEFORE_MAGIC.length)) {
            int version = file.length >= 12 ? ByteBuffer.wrap(file, 8, 4).getInt() : -1;
            throw new Checkpoints.OlderFormatException("is in checkpoint format " + version
                    + " (Java serialisation), this build reads "
                    + VERSION + " (safetensors and JSON)");
        }
        if (file.length < CRC_AT + CRC_DIGITS) {
            throw new Checkpoints.CorruptCheckpointException("truncated: " + file.length + " bytes");
        }
        long headerLength = ByteBuffer.wrap(file, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        if (headerLength < PREFIX.length() + CRC_DIGITS || headerLength > file.length - 8) {
            throw new Checkpoints.CorruptCheckpointException("truncated: " + file.length
                    + " bytes, header of " + headerLength + " declared");
        }
        if (!new String(file, 8, PREFIX.length(), StandardCharsets.UTF_8).equals(PREFIX)) {
            throw new Checkpoints.CorruptCheckpointException("not a blora-spark checkpoint");
        }
        String stored = new String(file, CRC_AT, CRC_DIGITS, StandardCharsets.US_ASCII);
        byte[] zeroed = file.clone();
        Arrays.fill(zeroed, CRC_AT, CRC_AT + CRC_DIGITS, (byte) '0');
        if (!stored.equals(String.format("%08x", crc(zeroed)))) {
            throw new Checkpoints.CorruptCheckpointException(truncation(file, (int) headerLength));
        }
        try {
            JsonNode meta = JsonFiles.MAPPER.readTree(new String(file, 8, (int) headerLength, StandardCharsets.UTF_8))
                    .get("__metadata__");
            if (!FORMAT.equals(meta.path("format").asText())
                    || !Integer.toString(VERSION).equals(meta.path("version").asText())) {
                throw new Checkpoints.OlderFormatException("is in checkpoint format " + meta.path("version").asText("?")
                        + ", this build reads " + VERSION);
            }
            return new Contents(meta.path("state").asText(), Safetensors.read(file, "checkpoint"));
        } catch (com.fasterxml.jackson.core.JsonProcessingException | IllegalArgumentException e) {
            throw new Checkpoints.CorruptCheckpointException("unreadable: " + e.getMessage());
        }
    }

    /** Why the checksum failed: "truncated" when the header promises more data than the file has. */
    private static String truncation(byte[] file, int headerLength) {
        try {
            long end = 0;
            for (JsonNode t : JsonFiles.MAPPER.readTree(new String(file, 8, headerLength, StandardCharsets.UTF_8))) {
                end = Math.max(end, t.path("data_offsets").path(1).asLong(0));
            }
            if (8L + headerLength + end > file.length) {
                return "truncated: " + file.length + " of " + (8L + headerLength + end) + " bytes";
            }
        } catch (com.fasterxml.jackson.core.JsonProcessingException | RuntimeException e) {
            // a corrupt header: the checksum says so
        }
        return "checksum mismatch";
    }

    private static long crc(byte[] file) {
        CRC32 crc = new CRC32();
        crc.update(file);
        return crc.getValue();
    }
}
