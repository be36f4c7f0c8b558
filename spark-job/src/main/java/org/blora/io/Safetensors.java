package org.blora.io;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The safetensors format, written and read by hand: an 8-byte little-endian header length, a JSON header
 * {name: {dtype, shape, data_offsets}} (padded with spaces to 8 bytes), then the raw little-endian tensors.
 * Only F64 is used: the project works in double precision.
 */
public final class Safetensors {
    public record Tensor(int[] shape, double[] data) {
    }

    private Safetensors() {
    }

    public static void write(OutputStream out, Map<String, Tensor> tensors, Map<String, String> metadata) throws IOException {
        StringBuilder header = new StringBuilder("{");
        header.append("\"__metadata__\":{");
        int i = 0;
        for (Map.Entry<String, String> m : metadata.entrySet()) {
            header.append(i++ == 0 ? "" : ",").append(Json.quote(m.getKey())).append(':').append(Json.quote(m.getValue()));
        }
        header.append('}');
        long offset = 0;
        for (Map.Entry<String, Tensor> e : tensors.entrySet()) {
            long bytes = 8L * e.getValue().data().length;
            header.append(',').append(Json.quote(e.getKey())).append(":{\"dtype\":\"F64\",\"shape\":")
                    .append(Json.value(e.getValue().shape())).append(",\"data_offsets\":[")
                    .append(offset).append(',').append(offset + bytes).append("]}");
            offset += bytes;
        }
        header.append('}');
        while (header.length() % 8 != 0) {
            header.append(' ');
        }
        byte[] h = header.toString().getBytes(StandardCharsets.UTF_8);
        ByteBuffer len = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(h.length);
        out.write(len.array());
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

    /** Reads the F64 tensors of a file written by {@link #write}; fails with a clear message otherwise. */
    public static Map<String, Tensor> read(byte[] file, String what) {
        if (file.length < 8) {
            throw new IllegalArgumentException(what + " is not a safetensors file (too short)");
        }
        ByteBuffer bb = ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN);
        long hlen = bb.getLong();
        if (hlen <= 0 || hlen > file.length - 8) {
            throw new IllegalArgumentException(what + " is not a safetensors file (bad header length)");
        }
        String header = new String(file, 8, (int) hlen, StandardCharsets.UTF_8);
        Map<String, Tensor> out = new LinkedHashMap<>();
        int base = 8 + (int) hlen;
        java.util.regex.Matcher m = java.util.regex.Pattern.compile(
                "\"([^\"]+)\":\\{\"dtype\":\"([A-Z0-9]+)\",\"shape\":\\[([0-9, ]*)\\],\"data_offsets\":\\[(\\d+),(\\d+)\\]\\}")
                .matcher(header);
        while (m.find()) {
            if (!"F64".equals(m.group(2))) {
                throw new IllegalArgumentException(what + ": tensor " + m.group(1) + " has dtype " + m.group(2) + ", only F64 is read");
            }
            String[] dims = m.group(3).trim().isEmpty() ? new String[0] : m.group(3).split(",\\s*");
            int[] shape = new int[dims.length];
            for (int k = 0; k < dims.length; k++) {
                shape[k] = Integer.parseInt(dims[k].trim());
            }
            int begin = Integer.parseInt(m.group(4));
            int end = Integer.parseInt(m.group(5));
            double[] data = new double[(end - begin) / 8];
            ByteBuffer.wrap(file, base + begin, end - begin).order(ByteOrder.LITTLE_ENDIAN).asDoubleBuffer().get(data);
            out.put(m.group(1), new Tensor(shape, data));
        }
        return out;
    }
}
