package io.cachet.launcher;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;

import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.ObjectName;

/**
 * Keeps HotSpot's optimising compiler (C2) away from code that only a start runs.
 *
 * <p>On the 2 cores Cachet is measured on, the JIT compilers take about half of a restart's CPU, on the same cores
 * as the start itself, and the largest share of C2's went to code that is hot only while the framework starts: Felix
 * reading ~100 manifests and resolving their wiring, loading ~9,600 classes by delegation, SCR, the JDK's own class
 * spinning (its internal ASM, for lambdas and proxies), bnd's header parser. C2 finished those compilations when the
 * start was over and nothing ran them any more. A compiler directive (JEP 165, added at run time through the
 * documented {@code DiagnosticCommand} MBean, because {@code java -jar} takes no JVM option from the jar) excludes
 * those packages from C2 only: their methods are still compiled by C1, and every other method, the request paths
 * among them, is compiled as before. HotSpot marks an excluded method as not compilable by C2 for the life of the
 * process, so the list names only code that a running server does not keep busy (a bundle installed later is still
 * resolved, by C1's code).
 *
 * <p>Given {@code -Dcachet.startDirectives=false}, or on a JVM without that MBean, nothing is changed.
 */
final class StartCompilation {

    /** System property: {@code false} keeps the JVM's default compilation policy. */
    static final String SWITCH = "cachet.startDirectives";

    /** Class patterns of HotSpot's directive syntax ({@code package/Class.method}, {@code *} at either end). */
    static final List<String> START_ONLY = List.of(
            "org/apache/felix/framework/*.*",
            "org/apache/felix/resolver/*.*",
            "org/apache/felix/scr/*.*",
            "org/osgi/framework/*.*",
            "jdk/internal/org/objectweb/asm/*.*",
            "aQute/*.*");

    private static final String DIAGNOSTIC_COMMAND = "com.sun.management:type=DiagnosticCommand";

    private StartCompilation() {
    }

    /**
     * Applies {@link #START_ONLY} on a thread of its own (making the MBean server costs ~0.15 s of CPU, which the
     * start need not wait for), unless switched off.
     *
     * @return that thread, or {@code null} when switched off
     */
    static Thread applyInBackground() {
        if ("false".equalsIgnoreCase(System.getProperty(SWITCH))) {
            return null;
        }
        Thread t = new Thread(() -> apply(START_ONLY), "cachet-start-directives");
        t.setDaemon(true);
        t.start();
        return t;
    }

    /**
     * Adds a directive that excludes the methods of {@code patterns} from C2.
     *
     * @return the JVM's answer ("1 compiler directives added"), or why nothing was added
     */
    static String apply(List<String> patterns) {
        Path file = null;
        try {
            // the JVM reads directives from a file only; it parses it at once, so the file goes right after
            file = Files.createTempFile("cachet-directives", ".json");
            Files.writeString(file, directive(patterns));
            Object answer = diagnostic("compilerDirectivesAdd", file.toString());
            return String.valueOf(answer).strip();
        } catch (Exception | LinkageError e) {
            // not HotSpot, no java.management, no temporary folder: the JVM's own policy stays
            return "not added: " + e;
        } finally {
            if (file != null) {
                try {
                    Files.deleteIfExists(file);
                } catch (Exception ignored) {
                    // a few hundred bytes in the temporary folder
                }
            }
        }
    }

    static String directive(List<String> patterns) {
        String match = patterns.stream().map(p -> {
            if (!p.matches("[A-Za-z0-9_/$*.]+")) {
                throw new IllegalArgumentException("not a class pattern: " + p);
            }
            return "\"" + p + "\"";
        }).collect(Collectors.joining(", "));
        return "[ { match: [" + match + "], c2: { Exclude: true } } ]\n";
    }

    /** Runs one of the JVM's diagnostic commands ({@code jcmd}'s, in the MBean's naming), as this process. */
    static Object diagnostic(String operation, String... args) throws JMException {
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        return server.invoke(new ObjectName(DIAGNOSTIC_COMMAND), operation, new Object[] {args},
                new String[] {String[].class.getName()});
    }
}
