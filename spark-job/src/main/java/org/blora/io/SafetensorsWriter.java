package org.blora.io;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Streams a safetensors file (the Hugging Face tensor format) in F32 or F64: an 8-byte little-endian header
 * length, a JSON header {"__metadata__": {..}, name: {dtype, shape, data_offsets}} padded with spaces to a
 * multiple of 8 bytes as the reference implementation pads it, then the tensors back to back, little-endian.
 * The data are written in chunks, so a large base weight never exists twice in memory.
 */
public final class SafetensorsWriter {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int CHUNK = 8192;

    /** The element type on disk; values are held as doubles and rounded to nearest when written as F32. */
    public enum Dtype {
        F32(4), F64(8);

        public final int bytes;

        Dtype(int bytes) {
            this.bytes = bytes;
        }

        /** The value a reader gets back. */
        public double round(double v) {
            return this == F32 ? (float) v : v;
        }
    }

    /** One tensor: its key, its shape, and its entries in row-major order. */
    public record Tensor(String name, int[] shape, double[] data) {
        public Tensor {
            long size = 1;
            for (int d : shape) {
                if (d < 0) {
                    throw new IllegalArgumentException("tensor " + name + " needs non-negative dimensions, got "
                            + Arrays.toString(shape));
                }
                size *= d;
            }
            if (size != data.length) {
                throw new IllegalArgumentException("tensor " + name + " of shape " + Arrays.toString(shape) + " needs " + size
                        + " entries, got " + data.length);
            }
        }
    }

    private SafetensorsWriter() {
    }

    public static void write(OutputStream out, List<Tensor> tensors, Dtype dtype, Map<String, String> metadata)
            throws IOException {
        ObjectNode header = JSON.createObjectNode();
        ObjectNode meta = header.putObject("__metadata__");
        metadata.forEach(meta::put);
        long offset = 0;
        for (Tensor t : tensors) {
            if (header.has(t.name())) {
                throw new IllegalArgumentException("tensor " + t.name() + " appears twice; safetensors keys are unique");
            }
            ObjectNode entry = header.putObject(t.name());
            entry.put("dtype", dtype.name());
            ArrayNode shape = entry.putArray("shape");
            for (int d : t.shape()) {
                shape.add(d);
            }
            long end = offset + (long) dtype.bytes * t.data().length;
            entry.putArray("data_offsets").add(offset).add(end);
            offset = end;
        }
        byte[] json = JSON.writeValueAsBytes(header);
        int padded = (json.length + 7) / 8 * 8;
        ByteBuffer head = ByteBuffer.allocate(8 + padded).order(ByteOrder.LITTLE_ENDIAN);
        head.putLong(padded).put(json);
        while (head.hasRemaining()) {
            head.put((byte) ' ');
        }
        out.write(head.array());
        ByteBuffer chunk = ByteBuffer.allocate(CHUNK * dtype.bytes).order(ByteOrder.LITTLE_ENDIAN);
        for (Tensor t : tensors) {
            double[] d = t.data();
            for (int i = 0; i < d.length; i++) {
                double v = dtype.round(d[i]);
                if (!Double.isFinite(v)) {
                    throw new IllegalArgumentException("tensor " + t.name() + " entry " + i + " is " + d[i]
                            + (Double.isFinite(d[i]) ? ", beyond the F32 range: export as F64"
                                    : ": only finite values can be exported"));
                }
                if (dtype == Dtype.F32) {
                    chunk.putFloat((float) v);
                } else {
                    chunk.putDouble(v);
                }
                if (!chunk.hasRemaining()) {
                    out.write(chunk.array(), 0, chunk.position());
                    chunk.clear();
                }
            }
        }
        out.write(chunk.array(), 0, chunk.position());
    }
}
