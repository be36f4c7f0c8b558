package org.blora.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.blora.core.model.Mlp;
import org.blora.core.model.MlpModel;
import org.blora.core.model.ModelLayout;
import org.blora.core.model.Module;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Reading a model back from a PEFT export: W0 + (lora_alpha / r) B A per target module, with r and lora_alpha
 * resolved per module through rank_pattern / alpha_pattern; the MLP recognised from its module names with its
 * frozen biases from base_model.safetensors; F32 tensors widened.
 */
class AdapterFilesTest {
    @TempDir
    Path tmp;

    /** An MLP 5 -> 4 -> 3 whose l1 has a chain of rank 3 and l2 one of rank 2, plus both biases. */
    private Path export(SafetensorsWriter.Dtype dtype) {
        List<ModuleChain> chains = List.of(PeftAdapterTest.chain("l1", 4, 5, 1, 1, 2), PeftAdapterTest.chain("l2", 3, 4, 2, 2));
        List<SafetensorsWriter.Tensor> frozen = List.of(
                new SafetensorsWriter.Tensor("l1.bias", new int[] {4}, new double[] {1, 2, 3, 4}),
                new SafetensorsWriter.Tensor("l2.bias", new int[] {3}, new double[] {-1, -2, -3}));
        Path dir = tmp.resolve(dtype.name());
        try {
            PeftAdapter.write(FileSystem.getLocal(new Configuration()), new org.apache.hadoop.fs.Path(dir.toUri()),
                    chains, frozen, new PeftAdapter.Options(dtype, 0));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return dir;
    }

    private static double[] expected(ModuleChain c, double scale) {
        double[] w = c.base().clone();
        ModuleChain.addProduct(scale, c.stackedB(), c.stackedA(), c.totalRank(), c.out(), c.in(), w);
        return w;
    }

    @Test
    void readsTheMlpWithItsBiasesAndThePerModuleScale() throws IOException {
        Path dir = export(SafetensorsWriter.Dtype.F64);
        AdapterFiles.Adapter m = AdapterFiles.read(dir.toString(), new Configuration());
        assertEquals(AdapterFiles.Format.PEFT, m.format());
        assertArrayEquals(new int[] {5, 4, 3}, ((MlpModel) m.model()).layers());
        ModelLayout layout = Mlp.layout(((MlpModel) m.model()).layers());
        Module l1 = layout.module("l1");
        Module l2 = layout.module("l2");
        ModuleChain c1 = PeftAdapterTest.chain("l1", 4, 5, 1, 1, 2);
        ModuleChain c2 = PeftAdapterTest.chain("l2", 3, 4, 2, 2);
        assertArrayEquals(expected(c1, 1.0), java.util.Arrays.copyOfRange(m.theta(), l1.offset(), l1.end()), 1e-12);
        assertArrayEquals(expected(c2, 1.0), java.util.Arrays.copyOfRange(m.theta(), l2.offset(), l2.end()), 1e-12);
        Module b2 = layout.module("l2.bias");
        assertArrayEquals(new double[] {-1, -2, -3}, java.util.Arrays.copyOfRange(m.theta(), b2.offset(), b2.end()), 0.0);

        // lora_alpha = 2 r for the modules of rank r (l1, 3), and alpha_pattern 6 for l2 (rank 2): scales 2 and 3.
        Path config = dir.resolve(PeftAdapter.CONFIG);
        com.fasterxml.jackson.databind.node.ObjectNode c = (com.fasterxml.jackson.databind.node.ObjectNode)
                JsonFiles.MAPPER.readTree(Files.readString(config));
        assertEquals(3, c.get("r").asInt());
        assertEquals(2, c.get("rank_pattern").get("l2").asInt());
        c.put("lora_alpha", 6);
        ((com.fasterxml.jackson.databind.node.ObjectNode) c.get("alpha_pattern")).put("l2", 6);
        Files.writeString(config, JsonFiles.MAPPER.writeValueAsString(c));
        // Hadoop's local file system keeps a checksum beside each file it wrote: an edit by hand makes it stale.
        Files.deleteIfExists(dir.resolve("." + PeftAdapter.CONFIG + ".crc"));
        AdapterFiles.Adapter scaled = AdapterFiles.read(dir.toString(), new Configuration());
        assertArrayEquals(expected(c1, 2.0), java.util.Arrays.copyOfRange(scaled.theta(), l1.offset(), l1.end()), 1e-12);
        assertArrayEquals(expected(c2, 3.0), java.util.Arrays.copyOfRange(scaled.theta(), l2.offset(), l2.end()), 1e-12);
    }

    @Test
    void readsF32AndRefusesAFolderWithoutAnAdapter() {
        AdapterFiles.Adapter m = AdapterFiles.read(export(SafetensorsWriter.Dtype.F32).toString(), new Configuration());
        ModuleChain c1 = PeftAdapterTest.chain("l1", 4, 5, 1, 1, 2);
        Module l1 = Mlp.layout(((MlpModel) m.model()).layers()).module("l1");
        double[] want = expected(c1, 1.0);
        double[] got = java.util.Arrays.copyOfRange(m.theta(), l1.offset(), l1.end());
        for (int i = 0; i < want.length; i++) {
            assertEquals(want[i], got[i], 1e-5 * (1 + Math.abs(want[i])));
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> AdapterFiles.read(tmp.resolve("empty").toString(), new Configuration()));
        assertTrue(e.getMessage().contains("holds no adapter"), e.getMessage());
    }
}
