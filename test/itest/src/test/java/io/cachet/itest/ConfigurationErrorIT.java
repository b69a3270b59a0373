package io.cachet.itest;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.junit.After;
import org.junit.Test;

/**
 * An operator writes a wrong value into a configuration file of DATA/deploy: the terminal says which setting of which
 * configuration is wrong and what is expected, in one line per component that cannot start, without a stack trace;
 * only the component that uses the setting stops (here the reminder job, not the order form), and {@code /health}
 * says Cachet is down; once the file is corrected, the component starts and Cachet is healthy. (That the line is
 * said once however often SCR tries again is LogBridgeTest's.)
 *
 * <p>Not a Pax Exam test: what the terminal shows is the subject, so it runs the exported distribution with
 * {@code java -jar}.
 */
public class ConfigurationErrorIT {

    private static final String REFUSED = "RemindersComponent is not started: its configuration"
            + " was refused: reminderDays of configuration PID io.cachet.portal must list whole numbers of days from 0"
            + " to 90 separated by commas, e.g. 7,1; not '7,x'.";

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private CrashIT.Server server;
    private Path data;

    @After
    public void cleanUp() {
        if (server != null) {
            server.kill();
        }
        if (data != null) {
            CrashIT.deleteTree(data.getParent());
        }
    }

    private int status(String path) {
        try {
            return http.send(HttpRequest.newBuilder(URI.create(server.base() + path)).timeout(Duration.ofSeconds(10))
                    .build(), HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    private List<String> output() {
        try {
            return Files.readAllLines(server.log());
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    public void aWrongValueInADeployFileIsOneClearLinePerComponentAndTheFixedFileStartsIt() throws Exception {
        data = Files.createTempDirectory("cachet-config-error-").resolve("data");
        Path deploy = Files.createDirectories(data.resolve("deploy"));
        Files.writeString(deploy.resolve("io.cachet.portal.cfg"), "reminderDays = 7,x\n");
        server = CrashIT.Server.start(data, CrashIT.freePort());

        CrashIT.await("the order form's refusal in the output", Duration.ofSeconds(180),
                () -> output().stream().anyMatch(l -> l.contains(REFUSED)));
        CrashIT.await("the order form served", Duration.ofSeconds(120), () -> status("/order") == 200);
        // a wrong reminder setting stops the reminder job only, not the journey's pages and links
        assertEquals("a component down: Cachet is not healthy", 503, status("/health"));
        List<String> out = output();
        assertEquals("said once", 1, out.stream().filter(l -> l.contains(REFUSED)).count());
        assertEquals("no stack trace on the terminal:\n" + server.tail(), List.of(), out.stream()
                .filter(l -> l.startsWith("\tat ") || l.startsWith("Caused by:")).limit(5).toList());

        Files.writeString(deploy.resolve("io.cachet.portal.cfg"), "reminderDays = 7,1\n");
        server.awaitReady(http);
        assertEquals(200, status("/order"));
    }
}
