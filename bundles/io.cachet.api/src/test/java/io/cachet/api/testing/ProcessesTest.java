package io.cachet.api.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

class ProcessesTest {

    @TempDir
    Path dir;

    @Test
    void returnsTheExitCodeAndTheMergedOutput() {
        Processes.Result r = Processes.run(dir, Duration.ofSeconds(60), "sh", "-c", "echo out; echo err >&2; exit 3");
        assertEquals(3, r.exit());
        assertTrue(r.out().contains("out\n") && r.out().contains("err\n"), r.out());
    }

    @Test
    void aToolThatWritesMoreThanAPipeHoldsFinishes() {
        Processes.Result r = Processes.run(dir, Duration.ofSeconds(60), "sh", "-c", "head -c 1000000 /dev/zero | tr '\\0' x");
        assertEquals(0, r.exit());
        assertEquals(1_000_000, r.out().length());
    }

    /**
     * The runners this one replaced read the whole output before waiting with a limit: a tool that hung (here a
     * shell waiting for a child that sleeps, both holding the output open) hung the build. The guard of JUnit
     * only turns such a hang into a failure; the runner must end it itself, long before.
     */
    @Test
    @Timeout(120)
    void aHungToolIsKilledWithEverythingItStartedAndTheTestFailsWithItsOutput() throws Exception {
        AssertionError e = assertThrows(AssertionError.class, () -> Processes.run(dir, Duration.ofSeconds(2), "sh", "-c",
                "sleep 600 & echo child=$!; echo waiting; wait"));
        assertTrue(e.getMessage().contains("killed after 2 s"), e.getMessage());
        assertTrue(e.getMessage().contains("waiting"), "the output so far: " + e.getMessage());
        Matcher child = Pattern.compile("child=(\\d+)").matcher(e.getMessage());
        assertTrue(child.find(), e.getMessage());
        Optional<ProcessHandle> sleeper = ProcessHandle.of(Long.parseLong(child.group(1)));
        if (sleeper.isPresent()) {
            // SIGKILL is asynchronous: the orphan is gone once init has reaped it
            boolean gone = sleeper.get().onExit().thenApply(h -> true).get(60, java.util.concurrent.TimeUnit.SECONDS);
            assertTrue(gone);
        }
        assertFalse(sleeper.isPresent() && sleeper.get().isAlive(), "the tool's child was left running");
    }

    @Test
    @Timeout(120)
    void aBackgroundProcessIsReadyWhenItsConditionHoldsAndClosingKillsItsTree() throws Exception {
        Processes.Running running = Processes.start(dir, java.util.List.of("sh", "-c",
                "sleep 600 & echo child=$!; echo ready; wait"));
        String out;
        try {
            running.awaitReady(Duration.ofSeconds(60), () -> running.output().contains("ready"));
            assertTrue(running.alive());
            out = running.output();
        } finally {
            running.close();
        }
        assertFalse(running.alive(), "closed but still running");
        Matcher child = Pattern.compile("child=(\\d+)").matcher(out);
        assertTrue(child.find(), out);
        Optional<ProcessHandle> sleeper = ProcessHandle.of(Long.parseLong(child.group(1)));
        if (sleeper.isPresent()) {
            sleeper.get().onExit().get(60, java.util.concurrent.TimeUnit.SECONDS);
        }
        assertFalse(sleeper.isPresent() && sleeper.get().isAlive(), "its child was left running");
    }

    @Test
    void aBackgroundProcessThatExitsBeforeItIsReadyFailsWithItsOutput() {
        try (Processes.Running running = Processes.start(dir, java.util.List.of("sh", "-c", "echo no config; exit 2"))) {
            AssertionError e = assertThrows(AssertionError.class,
                    () -> running.awaitReady(Duration.ofSeconds(60), () -> false));
            assertTrue(e.getMessage().contains("exited with 2") && e.getMessage().contains("no config"), e.getMessage());
        }
    }
}
