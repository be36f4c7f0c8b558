package org.blora.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An independent reader of an exported adapter for the tests, written from the safetensors format description
 * and PEFT's documented key names; it shares no code with the writer. Every violation is an assertion failure.
 */
final class PeftReader {
    record Tensor(String dtype, int[] shape, double[] data) {
    }

    private PeftReader() {
    }

    /** Parses a safetensors file and checks what a strict loader checks: padding, dtypes, sizes, contiguous offsets. */
    static Map<String, Tensor> safetensors(byte[] file) {
        assertTrue(file.length >= 8, "shorter than the 8-byte header length");
        long n = littleEndian(file, 0, 8);
        assertTrue(n > 0 && n <= file.length - 8, "header length " + n + " outside the file of " + file.length + " bytes");
        assertEquals(0, n % 8, "header length is padded to a multiple of 8");
        String header = new String(file, 8, (int) n, StandardCharsets.UTF_8);
        assertTrue(header.startsWith("{"), "header starts with {");
        assertTrue(header.substring(header.lastIndexOf('}') + 1).isBlank(), "the header is padded with spaces");
        JsonNode h;
        try {
            h = new ObjectMapper().readTree(header);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        int dataStart = 8 + (int) n;
        record Entry(String name, String dtype, int[] shape, long begin, long end) {
        }
        List<Entry> entries = new ArrayList<>();
        for (Map.Entry<String, JsonNode> f : h.properties()) {
            if (f.getKey().equals("__metadata__")) {
                f.getValue().properties().forEach(m -> assertTrue(m.getValue().isTextual(), "metadata values are strings"));
                continue;
            }
            JsonNode t = f.getValue();
            String dtype = t.get("dtype").asText();
            assertTrue(dtype.equals("F32") || dtype.equals("F64"), "dtype " + dtype);
            int[] shape = new int[t.get("shape").size()];
            for (int i = 0; i < shape.length; i++) {
                shape[i] = t.get("shape").get(i).asInt();
            }
            entries.add(new Entry(f.getKey(), dtype, shape,
                    t.get("data_offsets").get(0).asLong(), t.get("data_offsets").get(1).asLong()));
        }
        entries.sort(Comparator.comparingLong(Entry::begin));
        long expectedBegin = 0;
        Map<String, Tensor> out = new LinkedHashMap<>();
        for (Entry e : entries) {
            assertEquals(expectedBegin, e.begin(), e.name() + " starts where the previous tensor ends");
            int width = e.dtype().equals("F32") ? 4 : 8;
            long size = 1;
            for (int d : e.shape()) {
                size *= d;
            }
            assertEquals(size * width, e.end() - e.begin(), e.name() + " holds shape x dtype bytes");
            double[] data = new double[(int) size];
            for (int i = 0; i < size; i++) {
                long bits = littleEndian(file, dataStart + (int) e.begin() + i * width, width);
                data[i] = width == 4 ? Float.intBitsToFloat((int) bits) : Double.longBitsToDouble(bits);
            }
            out.put(e.name(), new Tensor(e.dtype(), e.shape(), data));
            expectedBegin = e.end();
        }
        assertEquals(file.length - dataStart, expectedBegin, "the tensors fill the data section exactly");
        return out;
    }

    private static long littleEndian(byte[] b, int at, int bytes) {
        long v = 0;
        for (int i = bytes - 1; i >= 0; i--) {
            v = (v << 8) | (b[at + i] & 0xFF);
        }
        return v;
    }

    /** lora_B.weight @ lora_A.weight of one module (out x in), after checking PEFT's key names and shapes. */
    static double[] update(Map<String, Tensor> tensors, String module, int out, int in) {
        Tensor a = tensors.get("base_model.model." + module + ".lora_A.weight");
        Tensor b = tensors.get("base_model.model." + module + ".lora_B.weight");
        assertNotNull(a, "no lora_A for " + module + " among " + tensors.keySet());
        assertNotNull(b, "no lora_B for " + module + " among " + tensors.keySet());
        assertEquals(2, a.shape().length, "lora_A is a matrix");
        int r = a.shape()[0];
        assertArrayEquals(new int[] {r, in}, a.shape(), "lora_A of " + module + " is r x in");
        assertArrayEquals(new int[] {out, r}, b.shape(), "lora_B of " + module + " is out x r");
        double[] ba = new double[out * in];
        for (int i = 0; i < out; i++) {
            for (int k = 0; k < r; k++) {
                for (int j = 0; j < in; j++) {
                    ba[i * in + j] += b.data()[i * r + k] * a.data()[k * in + j];
                }
            }
        }
        return ba;
    }
}
