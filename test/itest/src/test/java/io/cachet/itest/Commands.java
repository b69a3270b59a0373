package io.cachet.itest;

import static org.junit.Assert.assertEquals;

import java.nio.file.Path;
import java.time.Duration;

import io.cachet.api.testing.Processes;

/** The independent tools the integration tests check Cachet's output with (openssl, pdfsig, cachet-cli.jar). */
final class Commands {

    private Commands() {
    }

    /** A finished command: its exit code and its standard output and error, merged. */
    record Result(int exit, String out) {
    }

    /**
     * Runs {@code command} in {@code dir} with no input, through the tests' one process runner: a command that
     * outlives {@code limit} is killed (with what it started) and fails the test with its output so far.
     */
    static Result run(Path dir, Duration limit, String... command) {
        Processes.Result r = Processes.run(dir, limit, command);
        return new Result(r.exit(), r.out());
    }

    /** The output of a command that must have exited 0. */
    static String ok(Result r) {
        assertEquals(r.out(), 0, r.exit());
        return r.out();
    }
}
