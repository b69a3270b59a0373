package io.cachet.itest;

import static org.junit.Assert.assertEquals;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The independent tools the integration tests check Cachet's output with (openssl, pdfsig, cachet-cli.jar). */
final class Commands {

    private Commands() {
    }

    /** A finished command: its exit code and its standard output and error, merged. */
    record Result(int exit, String out) {
    }

    /** Runs {@code command} in {@code dir} with no input; fails the test when it outlives {@code limit}. */
    static Result run(Path dir, Duration limit, String... command) throws Exception {
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(limit.toSeconds(), TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("did not finish: " + List.of(command));
        }
        return new Result(p.exitValue(), out);
    }

    /** The output of a command that must have exited 0. */
    static String ok(Result r) {
        assertEquals(r.out(), 0, r.exit());
        return r.out();
    }
}
