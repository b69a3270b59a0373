package io.cachet.api.testing;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The one way tests run an external tool (openssl, pdfsig, xmlsec1, qpdf, {@code java -jar cachet-cli.jar}):
 * with no input, standard output and error merged into a file (so a chatty tool never blocks on a full pipe and
 * the time limit is measured from the start), and a time limit that works: a tool still running at the limit is
 * killed with everything it started, and the test fails with the command and the output so far.
 *
 * <p>Shared as the test-jar of {@code io.cachet.api}, the module every test tree already depends on. Plain Java
 * (no JUnit): it fails by throwing {@link AssertionError}, which JUnit 4 and 5 both report as a failure.
 */
public final class Processes {

    private Processes() {
    }

    /** A finished command: its exit code and its standard output and error, merged. */
    public record Result(int exit, String out) {
    }

    /**
     * Runs {@code command} in {@code dir}.
     *
     * @throws AssertionError when it cannot be started, or is still running after {@code limit}
     */
    public static Result run(Path dir, Duration limit, List<String> command) {
        Path output = null;
        try {
            output = Files.createTempFile("cachet-test-process-", ".out");
            Process p = new ProcessBuilder(command).directory(dir == null ? null : dir.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .redirectErrorStream(true).redirectOutput(output.toFile()).start();
            boolean finished;
            try {
                finished = p.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                killTree(p);
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted while running " + command, e);
            }
            if (!finished) {
                killTree(p);
                throw new AssertionError("killed after " + seconds(limit) + " (time limit): " + command
                        + "\noutput so far:\n" + read(output));
            }
            return new Result(p.exitValue(), read(output));
        } catch (IOException e) {
            throw new AssertionError("cannot run " + command + ": " + e.getMessage(), e);
        } finally {
            if (output != null) {
                try {
                    Files.deleteIfExists(output);
                } catch (IOException e) {
                    // a temporary file; nothing to do
                }
            }
        }
    }

    /** {@link #run(Path, Duration, List)} with the command as arguments. */
    public static Result run(Path dir, Duration limit, String... command) {
        return run(dir, limit, List.of(command));
    }

    /**
     * A process left running in the background (a server the test talks to, e.g. GreenMail): its standard output and
     * error go to a file, readable at any time. Closing it kills it with everything it started and deletes the file.
     */
    public static final class Running implements AutoCloseable {
        private final Process process;
        private final Path output;
        private final List<String> command;

        private Running(Process process, Path output, List<String> command) {
            this.process = process;
            this.output = output;
            this.command = command;
        }

        /** Its output so far. */
        public String output() {
            return read(output);
        }

        public boolean alive() {
            return process.isAlive();
        }

        /**
         * Waits until {@code ready} holds (checked every 100 ms), failing with the command and its output if the
         * process exits first or {@code limit} passes.
         */
        public Running awaitReady(Duration limit, java.util.function.BooleanSupplier ready) {
            long end = System.nanoTime() + limit.toNanos();
            while (System.nanoTime() < end) {
                try {
                    if (ready.getAsBoolean()) {
                        return this;
                    }
                } catch (RuntimeException notYet) {
                    // e.g. connection refused while it starts
                }
                if (!process.isAlive()) {
                    throw new AssertionError("exited with " + process.exitValue() + " before it was ready: " + command
                            + "\noutput:\n" + output());
                }
                try {
                    Thread.sleep(100);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new AssertionError("interrupted while waiting for " + command, e);
                }
            }
            throw new AssertionError("not ready after " + seconds(limit) + ": " + command + "\noutput so far:\n"
                    + output());
        }

        @Override
        public void close() {
            killTree(process);
            try {
                Files.deleteIfExists(output);
            } catch (IOException e) {
                // a temporary file; nothing to do
            }
        }
    }

    /**
     * Starts {@code command} in {@code dir} and returns at once; the caller closes it.
     *
     * @throws AssertionError when it cannot be started
     */
    public static Running start(Path dir, List<String> command) {
        try {
            Path output = Files.createTempFile("cachet-test-process-", ".out");
            Process p = new ProcessBuilder(command).directory(dir == null ? null : dir.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .redirectErrorStream(true).redirectOutput(output.toFile()).start();
            return new Running(p, output, List.copyOf(command));
        } catch (IOException e) {
            throw new AssertionError("cannot start " + command + ": " + e.getMessage(), e);
        }
    }

    /**
     * SIGKILL to the process and to every process it started. The descendants are listed first: once the parent
     * is gone, its children belong to init and cannot be found from it any more.
     */
    private static void killTree(Process p) {
        List<ProcessHandle> tree = p.toHandle().descendants().toList();
        p.destroyForcibly();
        tree.forEach(ProcessHandle::destroyForcibly);
        try {
            p.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static String read(Path output) {
        try {
            return new String(Files.readAllBytes(output), StandardCharsets.UTF_8); // tolerant of binary output
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String seconds(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() + " ms";
    }
}
