package org.blora.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The safetensors reader: any key order, and one clear error for every length or offset that does not fit. */
class SafetensorsTest {
    private static byte[] file(String header, int dataBytes) {
        byte[] h = header.getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(8 + h.length + dataBytes).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(h.length).put(h);
        for (int i = 0; i < dataBytes / 8; i++) {
            b.putDouble(i + 0.5);
        }
        return b.array();
    }

    private static void assertRejected(byte[] file, String... mustMention) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Safetensors.read(file, "w.safetensors"));
        for (String m : mustMention) {
            assertTrue(e.getMessage().contains(m), "'" + e.getMessage() + "' should mention '" + m + "'");
        }
        assertTrue(e.getMessage().startsWith("w.safetensors"), e.getMessage());
    }

    @Test
    void writtenTensorsReadBack() {
        Map<String, Safetensors.Tensor> t = new LinkedHashMap<>();
        t.put("b", new Safetensors.Tensor(new int[] {2, 3}, new double[] {1, 2, 3, 4, 5, -6.25}));
        t.put("a", new Safetensors.Tensor(new int[] {1}, new double[] {Math.PI}));
        byte[] bytes = Safetensors.toBytes(t, Map.of("format", "test \"quoted\""));
        long headerLength = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).getLong();
        assertEquals(0, headerLength % 8, "header padded to 8 bytes");
        Map<String, Safetensors.Tensor> back = Safetensors.read(bytes, "w.safetensors");
        assertEquals(List.of("b", "a"), List.copyOf(back.keySet()));
        assertArrayEquals(new int[] {2, 3}, back.get("b").shape());
        assertArrayEquals(t.get("b").data(), back.get("b").data());
        assertArrayEquals(t.get("a").data(), back.get("a").data());
    }

    @Test
    void keysInAnyOrderWithWhitespace() {
        String header = "{ \"x\" : { \"data_offsets\" : [0, 16], \"shape\" : [ 2 ], \"dtype\" : \"F64\" },\n"
                + "  \"__metadata__\": {\"k\": \"v\"} }";
        Map<String, Safetensors.Tensor> t = Safetensors.read(file(header, 16), "w.safetensors");
        assertArrayEquals(new double[] {0.5, 1.5}, t.get("x").data());
    }

    @Test
    void tooShort() {
        assertRejected(new byte[5], "5 bytes");
    }

    @Test
    void headerLengthBeyondTheFile() {
        byte[] f = file("{}", 0);
        ByteBuffer.wrap(f).order(ByteOrder.LITTLE_ENDIAN).putLong(0, 1000);
        assertRejected(f, "header length 1000", "outside");
    }

    @Test
    void headerThatIsNotJson() {
        assertRejected(file("{\"x\": [", 0), "not JSON");
    }

    @Test
    void headerThatIsNotAnObject() {
        assertRejected(file("[1, 2]   ", 0), "not a JSON object");
    }

    @Test
    void otherDtype() {
        assertRejected(file("{\"x\":{\"dtype\":\"I64\",\"shape\":[1],\"data_offsets\":[0,8]}}", 8), "tensor x", "I64");
    }

    @Test
    void offsetsOutsideTheData() {
        assertRejected(file("{\"x\":{\"dtype\":\"F64\",\"shape\":[2],\"data_offsets\":[0,16]}}", 8),
                "tensor x", "[0, 16]", "outside the 8 data bytes");
        assertRejected(file("{\"x\":{\"dtype\":\"F64\",\"shape\":[0],\"data_offsets\":[8,0]}}", 8), "tensor x", "[8, 0]");
    }

    @Test
    void shapeThatDoesNotMatchTheBytes() {
        assertRejected(file("{\"x\":{\"dtype\":\"F64\",\"shape\":[3],\"data_offsets\":[0,16]}}", 16),
                "tensor x", "24 bytes", "span 16 bytes");
    }

    @Test
    void missingOffsets() {
        assertRejected(file("{\"x\":{\"dtype\":\"F64\",\"shape\":[2]}}", 16), "tensor x", "data_offsets");
    }

    @Test
    void negativeDimension() {
        assertRejected(file("{\"x\":{\"dtype\":\"F64\",\"shape\":[-2],\"data_offsets\":[0,16]}}", 16),
                "tensor x", "non-negative");
    }
}
