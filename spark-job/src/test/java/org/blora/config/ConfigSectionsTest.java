package org.blora.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The key definitions are the one source: a key defined in a section is accepted, parsed by its definition, and
 * shown by --help and docs/CONFIG.md with nothing else to edit; each section parses and checks its own keys.
 */
class ConfigSectionsTest {
    private static final List<Class<?>> SECTION_TYPES = List.of(DataSection.class, ModelSection.class, ChainSection.class,
            OptimSection.class, FederatedSection.class, RunSection.class, ExportSection.class, PretrainSection.class,
            SweepKeys.class);

    @Test
    void everyKeyFieldOfASectionIsInItsGroupInOrder() throws IllegalAccessException {
        for (Class<?> type : SECTION_TYPES) {
            KeyGroup group = null;
            List<Key<?>> fields = new ArrayList<>();
            for (Field f : type.getDeclaredFields()) {
                if (Modifier.isStatic(f.getModifiers()) && f.getType() == KeyGroup.class) {
                    group = (KeyGroup) f.get(null);
                } else if (Modifier.isStatic(f.getModifiers()) && f.getType() == Key.class) {
                    fields.add((Key<?>) f.get(null));
                }
            }
            assertTrue(group != null, type.getSimpleName());
            assertEquals(List.copyOf(group.keys()), List.copyOf(fields), type.getSimpleName() + ": keys made elsewhere");
            assertTrue(ConfigKeys.DOCUMENTED.contains(group), type.getSimpleName() + " is not documented");
        }
    }

    @Test
    void aKeyAddedToASectionIsWhatHelpAndTheDocsShow() {
        KeyGroup g = new KeyGroup("Widgets", "an example section");
        g.key("widget.size", "3", Key.integer(1, 9), "how big a widget is");
        Key<Boolean> shiny = g.key("widget.shiny", "", Key.orBlank(false, Key.bool()), "whether | it shines");
        String md = ConfigDocs.markdown(List.of(g));
        assertEquals("\n### Widgets\n\nAn example section.\n\n| key | default | meaning |\n|---|---|---|\n"
                + "| `widget.size` | `3` | how big a widget is |\n"
                + "| `widget.shiny` | (none) | whether \\| it shines |\n\n", md);
        String help = ConfigDocs.help(List.of(g));
        assertTrue(help.contains("Widgets: an example section"), help);
        assertTrue(help.lines().anyMatch(l -> l.trim().matches("widget\\.size\\s+3\\s+how big a widget is")), help);
        assertTrue(help.lines().anyMatch(l -> l.trim().matches("widget\\.shiny\\s+\\(none\\)\\s+whether \\| it shines")), help);
        assertEquals(true, shiny.parse("true"));
        assertEquals(false, shiny.parse(""));
    }

    @Test
    void everyDefaultParsesAndEveryKeyIsDocumented() {
        for (KeyGroup g : ConfigKeys.DOCUMENTED) {
            for (Key<?> k : g.keys()) {
                k.parse(k.defaultValue());
                assertFalse(k.help().isBlank(), k.name());
                assertTrue(ConfigKeys.table().contains(k.name()), k.name());
                assertTrue(ConfigKeys.markdownTable().contains("| `" + k.name() + "` |"), k.name());
            }
        }
        assertEquals(ConfigKeys.SECTIONS.stream().mapToInt(g -> g.keys().size()).sum(), ConfigKeys.all().size());
        assertFalse(ConfigKeys.known(SweepKeys.PARALLEL.name()), "sweep keys are not train keys");
    }

    @Test
    void parsersNameTheKeyAndWhatItAccepts() {
        assertEquals("lora.rank must be in [1, 2147483647], got 0",
                assertThrows(ConfigException.class, () -> ChainSection.RANK.parse("0")).getMessage());
        assertEquals("lora.rank must be an integer, got 'two'",
                assertThrows(ConfigException.class, () -> ChainSection.RANK.parse("two")).getMessage());
        assertEquals("lora.p must be in [0.0, 1.0], got 1.5",
                assertThrows(ConfigException.class, () -> ChainSection.P.parse("1.5")).getMessage());
        assertEquals("fed.marina.q must be in (0, 1], got 0",
                assertThrows(ConfigException.class, () -> FederatedSection.MARINA_Q.parse("0")).getMessage());
        assertEquals("run.diverge.factor must be 0 (off) or > 1, got 0.5",
                assertThrows(ConfigException.class, () -> RunSection.DIVERGE_FACTOR.parse("0.5")).getMessage());
        assertEquals(Double.POSITIVE_INFINITY, OptimSection.EPOCHS.parse("inf"));
        assertTrue(Double.isNaN(OptimSection.PAGE_Q.parse("auto")));
        assertEquals(0, RunSection.METRICS_EVERY.parse("epoch"));
        assertEquals(DataSource.MNIST, DataSection.SOURCE.parse("mnist"));
    }

    @Test
    void sectionsCheckTheirOwnKeys() {
        assertTrue(assertThrows(ConfigException.class, () -> new TrainSpec(RunConfig.of(Map.of("data.source", "path"))))
                .getMessage().startsWith("data.path is required when data.source=path"));
        assertEquals("data.path=/x is not read with data.source=cached-regression (implied by data.preset=paper-finetune): "
                        + "set data.source=path and data.preset=none to read it, or drop data.path",
                assertThrows(ConfigException.class, () -> new TrainSpec(RunConfig.of(Map.of("data.preset", "paper-finetune",
                        "data.path", "/x")))).getMessage());
        assertTrue(assertThrows(ConfigException.class, () -> new TrainSpec(RunConfig.of(Map.of("lora.method", "rac"))))
                .getMessage().startsWith("lora.p must be 0 (always train B) or 1 (always train A) for lora.method=rac"));
        assertTrue(assertThrows(ConfigException.class, () -> new TrainSpec(RunConfig.of(Map.of("optim.step.rule", "constant"))))
                .getMessage().startsWith("optim.step.size is required for optim.step.rule=constant"));
        assertEquals("data.informative must be in [0, 16], got 17", assertThrows(ConfigException.class,
                () -> new TrainSpec(RunConfig.of(Map.of("data.features", "16", "data.informative", "17")))).getMessage());
    }

    @Test
    void aSpecReadsBackAsSections() {
        TrainSpec s = new TrainSpec(RunConfig.of(Map.of("optim.batch", "32", "lora.rank", "2", "clients", "4",
                "run.metrics.every", "epoch", "export.peft.dtype", "f64")));
        assertEquals(32, s.optim().batch());
        assertEquals(2, s.chain().rank());
        assertEquals(4, s.fed().clients());
        assertTrue(s.run().metricsPerEpoch());
        assertTrue(s.export().f64());
        assertEquals(LabelKind.VALUES, s.labels());
        assertEquals(2, s.chainSpec(1000).rank());
    }
}
