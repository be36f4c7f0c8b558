package org.blora.io;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The safetensors format: an 8-byte little-endian header length, a JSON header
 * {@code {"__metadata__": {...}, name: {dtype, shape, data_offsets}, ...}} (padded with spaces to a multiple of 8
 * bytes), then the raw little-endian tensors, offsets relative to the end of the header. Only F64 is used: the
 * project works in double precision. The reader takes the header's keys in any order and checks every length
 * and offset against the file before it reads a byte of data.
 */
public final class Safetensors {
    public record Tensor(int[] shape, double[] data) {
    }

    private static final String METADATA = "__metadata__";
    private static final String F64 = "F64";

    private Safetensors() {
    }

    public static void write(OutputStream out, Map<String, Tensor> tensors, Map<String, String> metadata) throws IOException {
        ObjectNode header = JsonFiles.MAPPER.createObjectNode();
        ObjectNode meta = header.putObject(METADATA);
        metadata.forEach(meta::put);
        long offset = 0;
        for (Map.Entry<String, Tensor> e : tensors.entrySet()) {
            long bytes = 8L * e.getValue().data().length;
            ObjectNode t = header.putObject(e.getKey());
            t.put("dtype", F64);
            ArrayNode shape = t.putArray("shape");
            for (int dim : e.getValue().shape()) {
                shape.add(dim);
            }
            t.putArray("data_offsets").add(offset).add(offset + bytes);
            offset += bytes;
        }
        StringBuilder text = new StringBuilder(JsonFiles.MAPPER.writeValueAsString(header));
        while (text.length() % 8 != 0) {
            text.append(' ');
        }
        byte[] h = text.toString().getBytes(StandardCharsets.UTF_8);
        out.write(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(h.length).array());
        out.write(h);
        for (Tensor t : tensors.values()) {
            ByteBuffer buf = ByteBuffer.allocate(8 * t.data().length).order(ByteOrder.LITTLE_ENDIAN);
            buf.asDoubleBuffer().put(t.data());
            out.write(buf.array());
        }
    }

    public static byte[] toBytes(Map<String, Tensor> tensors, Map<String, String> metadata) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            write(out, tensors, metadata);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return out.toByteArray();
    }

    /**
     * The F64 or F32 tensors of a safetensors file (F32 widened to double), in header order.
     * Anything else (a header length beyond the file,
     * a header that is not a JSON object, another dtype, offsets outside the data, a shape whose size does not
     * match its bytes) is an IllegalArgumentException with one line naming {@code what} and the tensor.
     */
    public static Map<String, Tensor> read(byte[] file, String what) {
        if (file.length < 8) {
            throw new IllegalArgumentException(what + " is not a safetensors file (" + file.length
                    + " bytes, the header length alone takes 8)");
        }
        long headerLength = ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN).getLong();
        if (headerLength <= 0 || headerLength > file.length - 8) {
            throw new IllegalArgumentException(what + " is not a safetensors file (header length " + headerLength
                    + " outside the file's " + (file.length - 8) + " bytes after the length)");
        }
        JsonNode header;
        try {
            header = JsonFiles.MAPPER.readTree(new String(file, 8, (int) headerLength, StandardCharsets.UTF_8));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(what + " is not a safetensors file (header is not JSON: "
                    + e.getOriginalMessage() + ")");
        }
        if (header == null || !header.isObject()) {
            throw new IllegalArgumentException(what + " is not a safetensors file (header is not a JSON object)");
        }
        int base = 8 + (int) headerLength;
        long dataLength = file.length - (long) base;
        Map<String, Tensor> out = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> e : header.properties()) {
            if (e.getKey().equals(METADATA)) {
                continue;
            }
            String name = what + ": tensor " + e.getKey();
            JsonNode t = e.getValue();
            String dtype = t.path("dtype").asText("");
            if (!dtype.equals(F64) && !dtype.equals("F32")) {
                throw new IllegalArgumentException(name + " has dtype '" + dtype + "', only F64 and F32 are read");
            }
            int width = dtype.equals(F64) ? 8 : 4;
            JsonNode shapeNode = t.path("shape");
            JsonNode offsets = t.path("data_offsets");
            if (!shapeNode.isArray() || !offsets.isArray() || offsets.size() != 2
                    || !offsets.get(0).canConvertToLong() || !offsets.get(1).canConvertToLong()) {
                throw new IllegalArgumentException(name + " needs a shape array and data_offsets [begin, end]");
            }
            int[] shape = new int[shapeNode.size()];
            long size = 1;
            for (int k = 0; k < shape.length; k++) {
                JsonNode dim = shapeNode.get(k);
                if (!dim.canConvertToInt() || dim.asInt() < 0) {
                    throw new IllegalArgumentException(name + " has shape " + shapeNode + ": expected non-negative integers");
                }
                shape[k] = dim.asInt();
                size = Math.multiplyExact(size, shape[k]);
            }
            long begin = offsets.get(0).asLong();
            long end = offsets.get(1).asLong();
            if (begin < 0 || end < begin || end > dataLength) {
                throw new IllegalArgumentException(name + " has data_offsets [" + begin + ", " + end
                        + "] outside the " + dataLength + " data bytes");
            }
            if (size * width != end - begin) {
                throw new IllegalArgumentException(name + " has shape " + shapeNode + " (" + size + " " + dtype + " = "
                        + size * width + " bytes) but data_offsets span " + (end - begin) + " bytes");
            }
            double[] data = new double[(int) size];
            ByteBuffer bytes = ByteBuffer.wrap(file, base + (int) begin, (int) (end - begin)).order(ByteOrder.LITTLE_ENDIAN);
            if (width == 8) {
                bytes.asDoubleBuffer().get(data);
            } else {
                java.nio.FloatBuffer floats = bytes.asFloatBuffer();
                for (int i = 0; i < data.length; i++) {
                    data[i] = floats.get(i);
                }
            }
            out.put(e.getKey(), new Tensor(shape, data));
        }
        return out;
    }
}
