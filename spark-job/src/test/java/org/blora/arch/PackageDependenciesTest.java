package org.blora.arch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packages of spark-job and data-prep form no cycle, and spark-job's layers point one way:
 * cli -> app -> config, io, spark -> core. cli leaves files and Spark to app; io and spark know nothing of
 * configuration, orchestration or the command line; config knows nothing of how a run is carried out.
 */
class PackageDependenciesTest {
    /** Surefire runs in the module's folder: the other modules are its siblings. */
    private static final Path ROOT = Path.of("..");

    private static PackageGraph graph(String module) {
        return PackageGraph.of(ROOT.resolve(module).resolve("src/main/java"), "org.blora");
    }

    @Test
    void sparkJobHasNoPackageCycle() {
        PackageGraph g = graph("spark-job");
        assertTrue(g.edges().containsKey("org.blora.cli"), "parsed " + g.edges().keySet());
        assertEquals(List.of(), g.cycles(), "package cycles in spark-job: " + g.edges());
    }

    @Test
    void dataPrepHasNoPackageCycle() {
        PackageGraph g = graph("data-prep");
        assertTrue(g.edges().containsKey("org.blora.data.regression"), "parsed " + g.edges().keySet());
        assertEquals(List.of(), g.cycles(), "package cycles in data-prep: " + g.edges());
    }

    @Test
    void coreHasNoPackageCycle() {
        PackageGraph g = graph("core");
        assertTrue(g.edges().containsKey("org.blora.core.train"), "parsed " + g.edges().keySet());
        assertEquals(List.of(), g.cycles(), "package cycles in core: " + g.edges());
    }

    @Test
    void sparkJobLayersPointOneWay() {
        PackageGraph g = graph("spark-job");
        Map<String, Set<String>> forbidden = Map.of(
                "org.blora.io", Set.of("org.blora.cli", "org.blora.app", "org.blora.config", "org.blora.spark"),
                "org.blora.spark", Set.of("org.blora.cli", "org.blora.app", "org.blora.config", "org.blora.io"),
                "org.blora.config", Set.of("org.blora.cli", "org.blora.app", "org.blora.io", "org.blora.spark"),
                "org.blora.app", Set.of("org.blora.cli"),
                "org.blora.cli", Set.of("org.blora.io", "org.blora.spark"));
        List<String> violations = new ArrayList<>();
        forbidden.forEach((from, never) -> g.uses(from).stream().filter(never::contains)
                .forEach(to -> violations.add(from + " -> " + to)));
        violations.sort(null);
        assertEquals(List.of(), violations);
    }

    /**
     * core's foundations stay below the rest: linear algebra and random streams use no other core package, the
     * optimisers (step rules, AdamW, schedules) only linear algebra, the compressors only the random streams.
     */
    @Test
    void coreFoundationsUseNothingAbove() {
        PackageGraph g = graph("core");
        Map<String, Set<String>> allowed = Map.of(
                "org.blora.core.linalg", Set.of(),
                "org.blora.core.random", Set.of(),
                "org.blora.core.optim", Set.of("org.blora.core.linalg"),
                "org.blora.core.compress", Set.of("org.blora.core.random", "org.blora.core.linalg"));
        assertTrue(g.edges().containsKey("org.blora.core.optim"), "parsed " + g.edges().keySet());
        List<String> violations = new ArrayList<>();
        allowed.forEach((from, may) -> g.uses(from).stream()
                .filter(to -> to.startsWith("org.blora.core.") && !to.equals(from) && !may.contains(to))
                .forEach(to -> violations.add(from + " -> " + to)));
        violations.sort(null);
        assertEquals(List.of(), violations);
    }

    @Test
    void aPlantedCycleIsFound(@TempDir Path tmp) throws IOException {
        write(tmp, "org/x/a/A.java", "package org.x.a;\nimport org.x.b.B;\nclass A { B b; }\n");
        // Reaches back to a through a fully qualified name, not an import.
        write(tmp, "org/x/b/B.java", "package org.x.b;\nclass B { org.x.c.C c; }\n");
        write(tmp, "org/x/c/C.java", "package org.x.c;\nclass C { org.x.a.A a; }\n");
        // Mentions of d in comments and strings are no dependency.
        write(tmp, "org/x/d/D.java", "package org.x.d;\nimport org.x.a.A;\nclass D { A a; }\n");
        write(tmp, "org/x/e/E.java", "package org.x.e;\n/** {@link org.x.d.D} */\nclass E { String s = \"org.x.d.D\"; }\n");
        PackageGraph g = PackageGraph.of(tmp, "org.x");
        assertEquals(List.of(List.of("org.x.a", "org.x.b", "org.x.c")), g.cycles());
        assertEquals(Set.of(), g.uses("org.x.e"));
    }

    private static void write(Path root, String rel, String text) throws IOException {
        Path f = root.resolve(rel);
        Files.createDirectories(f.getParent());
        Files.writeString(f, text);
    }
}
