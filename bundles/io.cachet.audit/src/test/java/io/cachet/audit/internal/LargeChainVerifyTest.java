package io.cachet.audit.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Verification streams the log: a chain whose records would take about 55 MB as objects verifies in a JVM of 40 MiB
 * of heap (a verification that read the whole table first would end in OutOfMemoryError), and the same walk finds a
 * record tampered with in its middle.
 */
class LargeChainVerifyTest {
    private static final long RECORDS = 100_000;

    @TempDir
    Path temp;

    @Test
    void aChainLargerThanTheHeapVerifiesAndATamperedRecordIsFound() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Path output = temp.resolve("process.out");
        Process p = new ProcessBuilder(java, "-Xmx40m", "-XX:+ExitOnOutOfMemoryError", "-cp",
                System.getProperty("java.class.path"), LargeChainMain.class.getName(),
                temp.resolve("data").toString(), Long.toString(RECORDS)).redirectErrorStream(true)
                .redirectOutput(output.toFile()).start();
        try {
            assertTrue(p.waitFor(10, TimeUnit.MINUTES), "a bound against hanging");
        } finally {
            p.destroyForcibly();
        }
        String out = Files.readString(output);
        assertEquals(0, p.exitValue(), out);
        assertTrue(out.contains("first intact=true checked=" + RECORDS), out);
        // the altered record no longer has its hash, and the next one no longer follows it
        assertTrue(out.contains("tampered intact=false at=[" + RECORDS / 2), out);
    }
}
