package io.cachet.api;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The build's check of the module boundaries, over the sources of every module of the repository (main and test):
 * <ul>
 * <li>no module names another bundle's {@code internal} package (import, fully qualified name or class name in a
 * string), nor puts its own classes into one: what a module needs from another goes through that bundle's exported
 * API, SPI or {@code launch} package;</li>
 * <li>contract packages ({@code io.cachet.api.*}, {@code *.spi}) name no implementation package ({@code internal},
 * {@code launch}): a consumer of a contract must never wire to an implementation.</li>
 * </ul>
 * It lives in {@code io.cachet.api} because that module is built first and by every {@code -am} build; it reads
 * files only (no class loading), so it takes well under a second. bnd cannot make this check (a bundle's manifest
 * does not show what its tests import, nor the Maven-only tools), and the Maven Enforcer has no rule for Java
 * imports without a third-party plugin.
 */
class ModuleBoundariesTest {

    private static final Pattern PACKAGE = Pattern.compile("^package ([\\w.]+);", Pattern.MULTILINE);
    /** A name in or under an {@code internal} package of Cachet. */
    private static final Pattern INTERNAL = Pattern.compile("io\\.cachet(?:\\.[a-z0-9_]+)*\\.internal(?:\\.[a-z0-9_]+)*");
    private static final Pattern IMPLEMENTATION = Pattern.compile(
            "io\\.cachet(?:\\.[a-z0-9_]+)*\\.(?:internal|launch)\\b");

    private static final Pattern COMMENT = Pattern.compile("/\\*.*?\\*/|//[^\n]*", Pattern.DOTALL);
    /** Spelled in pieces so that this file does not name them itself. */
    private static final String STORE_INTERNAL = "io.cachet.store." + "internal";

    private static Path root;
    /** Module folder of every package declared in a module's src/main/java. */
    private static final Map<String, Path> OWNER = new HashMap<>();
    private static final List<Path> MODULES = new ArrayList<>();

    @BeforeAll
    static void readModules() throws IOException {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !Files.isRegularFile(dir.resolve("cnf/build.bnd"))) {
            dir = dir.getParent();
        }
        assertTrue(dir != null, "the repository root (with cnf/build.bnd) above " + Path.of("").toAbsolutePath());
        root = dir;
        for (String top : List.of("bundles", "tools", "test", "examples")) {
            Path t = root.resolve(top);
            if (!Files.isDirectory(t)) {
                continue;
            }
            try (Stream<Path> children = Files.list(t)) {
                children.filter(m -> Files.isDirectory(m.resolve("src"))).sorted().forEach(MODULES::add);
            }
        }
        assertTrue(MODULES.size() > 10, "modules found under " + root + ": " + MODULES);
        for (Path module : MODULES) {
            for (Path file : javaFiles(module.resolve("src/main/java"))) {
                Matcher m = PACKAGE.matcher(read(file));
                if (m.find()) {
                    OWNER.putIfAbsent(m.group(1), module);
                }
            }
        }
    }

    @Test
    void noModuleNamesAnotherBundlesInternalPackage() throws IOException {
        List<String> violations = new ArrayList<>();
        for (Path module : MODULES) {
            for (Path file : javaFiles(module.resolve("src"))) {
                String text = read(file);
                Matcher declared = PACKAGE.matcher(text);
                if (declared.find() && declared.group(1).matches(".*\\.internal(\\..*)?")) {
                    Path owner = owner(declared.group(1));
                    if (owner != null && !owner.equals(module)) {
                        violations.add(root.relativize(file) + ": declares package " + declared.group(1) + " of "
                                + root.relativize(owner));
                    }
                }
                String[] lines = text.split("\n", -1);
                for (int i = 0; i < lines.length; i++) {
                    Matcher m = INTERNAL.matcher(lines[i]);
                    while (m.find()) {
                        Path owner = owner(m.group());
                        if (owner == null || !owner.equals(module)) {
                            violations.add(root.relativize(file) + ":" + (i + 1) + ": " + m.group() + " belongs to "
                                    + (owner == null ? "no module" : root.relativize(owner)));
                        }
                    }
                }
            }
        }
        assertTrue(violations.isEmpty(), "Another bundle's internal package is named (use its API, SPI or launch "
                + "package instead):\n" + String.join("\n", violations));
    }

    @Test
    void contractsNameNoImplementation() throws IOException {
        List<String> violations = new ArrayList<>();
        int contracts = 0;
        for (Path module : MODULES) {
            for (Path file : javaFiles(module.resolve("src/main/java"))) {
                String text = read(file);
                Matcher declared = PACKAGE.matcher(text);
                if (!declared.find()) {
                    continue;
                }
                String pkg = declared.group(1);
                if (!pkg.startsWith("io.cachet.api.") && !pkg.endsWith(".spi")) {
                    continue;
                }
                contracts++;
                // code only: a contract's documentation may say where the plain-Java factory is ({@code ...})
                Matcher m = IMPLEMENTATION.matcher(COMMENT.matcher(text).replaceAll(" "));
                while (m.find()) {
                    violations.add(root.relativize(file) + ": " + m.group());
                }
            }
        }
        assertTrue(contracts > 50, "contract sources found: " + contracts);
        assertTrue(violations.isEmpty(), "A contract names an implementation package:\n" + String.join("\n", violations));
    }

    /** The check finds what it is meant to find (a check that cannot fail proves nothing). */
    @Test
    void theCheckRecognisesForeignInternalNames() {
        Path api = owner("io.cachet.api.token");
        Path store = owner(STORE_INTERNAL);
        assertTrue(api != null && store != null && !api.equals(store), "owners: " + api + ", " + store);
        assertTrue(INTERNAL.matcher("import " + STORE_INTERNAL + ".JdbcDatabase;").find());
        assertTrue(INTERNAL.matcher("Class.forName(\"" + STORE_INTERNAL + ".JdbcDatabase\")").find());
        assertTrue(IMPLEMENTATION.matcher(COMMENT.matcher("/** io.cachet.a.launch */ int x; // io.cachet.b.launch\n")
                .replaceAll(" ")).results().count() == 0);
        assertFalse(INTERNAL.matcher("import io.cachet.store.launch.Databases;").find());
        assertTrue(IMPLEMENTATION.matcher("{@link io.cachet.signature.launch.Signatures}").find());
    }

    /** The module of the longest declared package that {@code name} starts with. */
    private static Path owner(String name) {
        String n = name;
        while (!n.isEmpty()) {
            Path owner = OWNER.get(n);
            if (owner != null) {
                return owner;
            }
            int dot = n.lastIndexOf('.');
            n = dot < 0 ? "" : n.substring(0, dot);
        }
        return null;
    }

    private static List<Path> javaFiles(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            return walk.filter(p -> p.toString().endsWith(".java")).sorted().toList();
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
