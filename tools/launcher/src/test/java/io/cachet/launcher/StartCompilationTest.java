package io.cachet.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import javax.management.JMException;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.cachet.api.testing.Processes;

/**
 * The directive's effect is the whole JVM's and lasts for its life, so each case runs {@link Child} in a JVM of its
 * own and reads what the JVM reports ({@code Compiler.directives_print}, {@code Compiler.codelist}).
 */
class StartCompilationTest {

    @TempDir
    Path temp;

    @Test
    void theListOfStartOnlyCodeIsAcceptedByTheJvm() {
        Processes.Result run = child(List.of(), "start-only");
        assertEquals(0, run.exit(), run.out());
        assertTrue(run.out().contains("1 compiler directives added"), run.out());
        for (String pattern : StartCompilation.START_ONLY) {
            assertTrue(run.out().contains(pattern), pattern + " not held by the JVM:\n" + run.out());
        }
        // the directive is C2's only: C1 keeps its defaults for those methods
        assertTrue(run.out().matches("(?s).*c1 directives:\\s*inline: -\\s*Enable:false Exclude:false"
                + ".*c2 directives:\\s*inline: -\\s*Enable:true Exclude:true.*"), run.out());
    }

    @Test
    void aHotMethodOfAnExcludedClassIsCompiledByC1AndNeverByC2() {
        Processes.Result run = child(List.of(), "exclude");
        assertEquals(0, run.exit(), run.out());
        assertTrue(run.out().contains("1 compiler directives added"), run.out());
        assertTrue(run.out().contains("reached level 1"), run.out());
        assertFalse(run.out().matches("(?s).*seen: \\[[^]]*4.*"), run.out());
    }

    @Test
    void withoutTheDirectiveTheSameMethodReachesC2() {
        // the control: the same loop in a JVM left alone gets C2's code, so the case above shows the directive
        Processes.Result run = child(List.of(), "control");
        assertEquals(0, run.exit(), run.out());
        assertTrue(run.out().contains("reached level 4"), run.out());
    }

    @Test
    void switchedOffNothingIsAdded() {
        Processes.Result run = child(List.of("-D" + StartCompilation.SWITCH + "=false"), "switched-off");
        assertEquals(0, run.exit(), run.out());
        assertTrue(run.out().contains("no thread"), run.out());
        assertFalse(run.out().contains("org/apache/felix"), run.out());
    }

    @Test
    void onlyClassPatternsMakeADirective() {
        assertEquals("[ { match: [\"a/B.*\", \"c/*.*\"], c2: { Exclude: true } } ]\n",
                StartCompilation.directive(List.of("a/B.*", "c/*.*")));
        assertThrows(IllegalArgumentException.class, () -> StartCompilation.directive(List.of("a\"], c1: {")));
    }

    private Processes.Result child(List<String> options, String mode) {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-Xmx64m"));
        command.addAll(options);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), Child.class.getName(), mode));
        return Processes.run(temp, Duration.ofSeconds(120), command);
    }

    /** The child JVM: one argument, the case. */
    public static final class Child {
        static final String HOT = "io/cachet/launcher/StartCompilationTest$Hot.*";

        public static void main(String[] args) throws Exception {
            switch (args[0]) {
                case "start-only" -> {
                    System.out.println(StartCompilation.apply(StartCompilation.START_ONLY));
                    System.out.println(print());
                }
                case "switched-off" -> {
                    Thread t = StartCompilation.applyInBackground();
                    System.out.println(t == null ? "no thread" : "thread " + t.getName());
                    System.out.println(print());
                }
                case "exclude" -> {
                    System.out.println(StartCompilation.apply(List.of(HOT)));
                    System.out.println(runUntil("1"));
                }
                case "control" -> System.out.println(runUntil("4"));
                default -> throw new IllegalArgumentException(args[0]);
            }
        }

        /** The directives the JVM holds now, as {@code jcmd PID Compiler.directives_print} shows them. */
        static String print() throws JMException {
            return String.valueOf(StartCompilation.diagnostic("compilerDirectivesPrint"));
        }

        /** Runs {@link Hot#work} until the JVM's code list holds it at {@code level}, for 90 s at most. */
        static String runUntil(String level) throws JMException {
            long sum = 0;
            long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
            List<String> seen = new ArrayList<>();
            while (System.nanoTime() < deadline) {
                for (int i = 0; i < 20_000; i++) {
                    sum += Hot.work(i);
                }
                seen = levels();
                if (seen.contains(level)) {
                    return "reached level " + level + " (all levels seen: " + seen + ", sum " + sum + ")";
                }
            }
            return "timed out; levels seen: " + seen + " (sum " + sum + ")";
        }

        /** The compilation levels of {@code Hot.work} in the JVM's code list ({@code id level state name ...}). */
        static List<String> levels() throws JMException {
            List<String> levels = new ArrayList<>();
            for (String line : String.valueOf(StartCompilation.diagnostic("compilerCodelist")).split("\n")) {
                String[] f = line.trim().split("\\s+");
                if (f.length > 3 && f[3].contains("StartCompilationTest$Hot.work")) {
                    levels.add(f[1]);
                }
            }
            return levels;
        }
    }

    /** Code hot enough for C2 within a second or so. */
    static final class Hot {
        static long work(int i) {
            long h = i;
            for (int k = 0; k < 8; k++) {
                h = h * 31 + (h >>> 7);
            }
            return h;
        }
    }
}
