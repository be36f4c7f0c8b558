package org.blora.io;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import java.util.LinkedHashMap;
import java.util.Map;

/** The JSON files of a run (summary.json, adapter/chain.json, the safetensors header), written and read by Jackson. */
public final class JsonFiles {
    /** Thread-safe once configured; shared by every reader and writer. */
    static final ObjectMapper MAPPER = new ObjectMapper();
    /** Indented, "key": value (no space before the colon), as people write JSON by hand. */
    private static final ObjectWriter PRETTY = MAPPER.writer(new DefaultPrettyPrinter().withSeparators(
            Separators.createDefaultInstance().withObjectFieldValueSpacing(Separators.Spacing.AFTER)));

    private JsonFiles() {
    }

    /**
     * An object with its fields in the map's order, indented, ending with a newline. JSON has no NaN or infinity:
     * a non-finite double is written as null (a value that was never evaluated, or a divergence).
     */
    public static String render(Map<String, ?> fields) {
        Map<String, Object> out = new LinkedHashMap<>();
        fields.forEach((k, v) -> out.put(k, v instanceof Double d && !Double.isFinite(d) ? null : v));
        try {
            return PRETTY.writeValueAsString(out) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot render as JSON: " + e.getOriginalMessage(), e);
        }
    }

    /** The JSON document in {@code text}; an IllegalArgumentException naming {@code what} if it is not JSON. */
    public static JsonNode read(String text, String what) {
        try {
            return MAPPER.readTree(text);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(what + " is not valid JSON (" + e.getOriginalMessage() + ")", e);
        }
    }
}
