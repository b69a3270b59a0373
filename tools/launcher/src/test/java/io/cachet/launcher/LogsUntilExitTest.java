package io.cachet.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.LogManager;
import java.util.logging.Logger;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.cachet.api.testing.Processes;

/**
 * What a stopping process logs reaches its handlers although the JDK resets the log manager at exit. Each case runs
 * {@link Exiting} in a JVM of its own: its shutdown hook resets the log manager first, as the JDK's own hook may
 * have done by then, and logs after that.
 */
class LogsUntilExitTest {

    private static final String AFTER_RESET = "logged after the reset at exit";

    @TempDir
    Path temp;

    @Test
    void aRecordLoggedAfterTheResetAtExitIsWritten() {
        Processes.Result run = exiting(true);
        assertEquals(0, run.exit(), run.out());
        assertTrue(run.out().contains(AFTER_RESET), run.out());
    }

    @Test
    void withTheJdksLogManagerTheSameRecordIsLost() {
        Processes.Result run = exiting(false);
        assertEquals(0, run.exit(), run.out());
        assertFalse(run.out().contains(AFTER_RESET), run.out());
    }

    @Test
    void whileTheJvmRunsAResetResetsAsTheJdksDoes() {
        assertFalse(LogsUntilExit.exiting());
    }

    private Processes.Result exiting(boolean ours) {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-cp", System.getProperty("java.class.path")));
        if (ours) {
            command.add("-Djava.util.logging.manager=" + LogsUntilExit.class.getName());
        }
        command.add(Exiting.class.getName());
        return Processes.run(temp, Duration.ofSeconds(60), command);
    }

    /** The child JVM: logs once, then ends; its hook resets logging and logs again. */
    public static final class Exiting {
        private static final Logger LOG = Logger.getLogger(Exiting.class.getName());

        public static void main(String[] args) {
            LOG.info("running");
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                LogManager.getLogManager().reset();
                LOG.info(AFTER_RESET);
            }));
        }
    }
}
