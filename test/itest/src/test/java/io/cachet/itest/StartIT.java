package io.cachet.itest;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;

import org.junit.After;
import org.junit.Test;

/**
 * What a client sees while {@code cachet.jar} starts, from the moment its port opens until {@code GET /health}
 * answers 200: never a 404 (the part that serves an address may simply not be there yet) nor a 405 (a POST to an
 * address whose servlet has not come) but a 503 with {@code Retry-After}; never an answer that did not pass Cachet's
 * HTTP guard (Jetty's own error page, as when the port opened before the whiteboard ran); and once ready, every
 * address answers as it should and an unknown one is a 404. On a first start and on a restart of the same data
 * directory.
 *
 * <p>Not a Pax Exam test: the start is the subject, so it runs the exported distribution with {@code java -jar}.
 */
public class StartIT {

    private static final Duration START_LIMIT = Duration.ofSeconds(180);
    /** Pollers: more than one, so that the addresses are asked about at once, as real clients do. */
    private static final int POLLERS = 3;

    /**
     * Addresses served by different bundles, each with what it answers once Cachet is ready (no credentials given).
     */
    private static final Map<String, Integer> READY_ANSWERS = new LinkedHashMap<>();

    static {
        READY_ANSWERS.put("/health", 200); // io.cachet.web
        READY_ANSWERS.put("/", 200); // io.cachet.web's home page
        READY_ANSWERS.put("/api/v1/orders", 401); // the REST API (io.cachet.rest, io.cachet.order)
        READY_ANSWERS.put("/pki/chain.pem", 200); // io.cachet.ca.status
        READY_ANSWERS.put("/space/", 303); // io.cachet.delivery.cloud's customer space: to its login page
        READY_ANSWERS.put("/console/login", 200); // io.cachet.console
        READY_ANSWERS.put("POST /api/v1/orders", 401); // a client submitting an order while Cachet starts
    }

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final List<CrashIT.Server> servers = new ArrayList<>();
    private Path data;

    /** One answer: when it was asked and answered (ns since the process started), where, what. */
    record Seen(long sentAt, long at, String path, int status, boolean guarded, String retryAfter, String body) {
        @Override
        public String toString() {
            return String.format("%d ms %s -> %d%s%s %s", at / 1_000_000, path, status, guarded ? "" : " (unguarded)",
                    retryAfter == null ? "" : " Retry-After " + retryAfter,
                    body.length() > 160 ? body.substring(0, 160) + "…" : body);
        }
    }

    @After
    public void cleanUp() {
        servers.forEach(CrashIT.Server::kill);
        if (data != null) {
            CrashIT.deleteTree(data.getParent());
        }
    }

    @Test
    public void fromThePortOpeningToReadyNoAddressAnswers404AndThenEachAnswersAsItShould() throws Exception {
        data = Files.createTempDirectory("cachet-start-").resolve("data");
        int port = CrashIT.freePort();

        watchStart(port, "first start");
        watchStop(servers.remove(0), port);
        watchStart(port, "restart");
    }

    /**
     * An orderly stop (SIGTERM, as a restart does) watched by the same clients until the process has ended: the HTTP
     * connector closes after Cachet's bundles (start level 9), so while their servlets go one by one an address that
     * one served is a 503 with {@code Retry-After}, not a 404 or 405. Only in the very last moment, once Felix HTTP
     * has taken its whiteboard off the dispatcher and before it closes the port, may Jetty answer 404 itself.
     */
    private void watchStop(CrashIT.Server server, int port) throws Exception {
        long startedAt = System.nanoTime();
        long[] stopAt = {0};
        List<Seen> all = watch(port, startedAt, answers -> {
            CrashIT.await("the clients to be answered", Duration.ofSeconds(30), () -> answers.get().size() >= POLLERS);
            stopAt[0] = System.nanoTime() - startedAt;
            server.stop();
        });
        List<Seen> stopping = all.stream().filter(s -> s.sentAt() >= stopAt[0]).toList();
        String trace = "stop, every answer after SIGTERM:\n" + stopping.stream().map(Seen::toString)
                .collect(Collectors.joining("\n"));
        assertTrue("the clients were answered while Cachet stopped (else this proves nothing)", !stopping.isEmpty());
        long lastGuarded = stopping.stream().filter(Seen::guarded).mapToLong(Seen::sentAt).max().orElse(stopAt[0]);
        for (Seen s : stopping) {
            if (!s.guarded()) {
                // Felix HTTP takes its whiteboard (and so the guard) off the dispatcher before it closes the port:
                // a request in that last moment gets Jetty's own 404, which Cachet cannot change. Only then.
                // (answered after the last guarded request was sent: no request was guarded once one was not)
                assertTrue("an unguarded answer before the last guarded one: " + s + "\n" + trace,
                        s.at() > lastGuarded);
                assertEquals("Jetty's own answer in the last moment: " + s, 404, s.status());
                // no stack trace; Jetty's page does name Felix's dispatcher servlet, which Cachet cannot change
                for (String leak : List.of("Exception", "at org.", "at io.", "Caused by")) {
                    assertTrue("no stack trace in Jetty's own answer: " + s, !s.body().contains(leak));
                }
                continue;
            }
            assertTrue("a 404 while stopping: " + s + "\n" + trace, s.status() != 404);
            assertTrue("a 405 while stopping: " + s + "\n" + trace, s.status() != 405);
            assertTrue("a server error while stopping: " + s + "\n" + trace, s.status() < 500 || s.status() == 503);
            if (s.status() == 503 && !s.path().equals("/health")) {
                assertEquals("a 503 says when to come back: " + s, "1", s.retryAfter());
            }
        }
    }

    private void watchStart(int port, String which) throws Exception {
        long startedAt = System.nanoTime();
        servers.add(CrashIT.Server.start(data, port));
        List<Seen> all = watch(port, startedAt, answers -> {
            CrashIT.await(which + ": GET /health to answer 200", START_LIMIT,
                    () -> readyAt(answers.get()).isPresent());
            long ready = readyAt(answers.get()).getAsLong();
            // every address asked once more after ready
            CrashIT.await(which + ": every address asked after ready", Duration.ofSeconds(30),
                    () -> READY_ANSWERS.keySet().stream().allMatch(path -> answers.get().stream()
                            .anyMatch(s -> s.path().equals(path) && s.sentAt() > ready)));
        });
        long readyAt = readyAt(all).getAsLong();
        List<Seen> starting = all.stream().filter(s -> s.at() < readyAt).toList();
        String trace = which + ", every answer before ready:\n" + starting.stream().map(Seen::toString)
                .collect(Collectors.joining("\n"));

        assertTrue(which + ": the port opened before ready, and something was answered then (else this proves"
                + " nothing)\n" + trace, starting.size() >= READY_ANSWERS.size());
        for (Seen s : all) {
            assertTrue(which + ": a 404 while starting: " + s + "\n" + trace, s.status() != 404);
            assertTrue(which + ": a 405 while starting: " + s + "\n" + trace, s.status() != 405);
            assertTrue(which + ": an answer that did not pass the HTTP guard: " + s + "\n" + trace, s.guarded());
            if (s.status() == 503 && !s.path().equals("/health")) {
                assertEquals(which + ": a 503 says when to come back: " + s, "1", s.retryAfter());
            }
            if (s.status() >= 500 && s.status() != 503) {
                fail(which + ": a server error while starting: " + s + "\n" + trace);
            }
        }
        // once ready, each address answers as it should
        for (Map.Entry<String, Integer> expected : READY_ANSWERS.entrySet()) {
            for (Seen s : all) {
                if (s.path().equals(expected.getKey()) && s.sentAt() > readyAt) {
                    assertEquals(which + ", after ready: " + s, (int) expected.getValue(), s.status());
                }
            }
        }
        // and an address nothing serves is a 404 again: cachet.ready is registered before /health first answers 200
        HttpResponse<String> unknown = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                + "/no-such-page")).header("Accept-Language", "en").build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(which + ": once ready, an unknown address: " + unknown.body(), 404, unknown.statusCode());
        assertTrue(unknown.body(), unknown.body().contains("Page not found"));
    }

    /** When {@code GET /health} first answered 200, if it did. */
    private static java.util.OptionalLong readyAt(List<Seen> answers) {
        return answers.stream().filter(s -> s.path().equals("/health") && s.status() == 200).mapToLong(Seen::at)
                .min();
    }

    /** What the test does while the clients ask; it reads their answers so far through the supplier. */
    private interface WhileAsking {
        void run(java.util.function.Supplier<List<Seen>> answers) throws Exception;
    }

    /**
     * {@link #POLLERS} clients ask every address in turn (each from another one on) while {@code action} runs, a
     * refused connection tried again 5 ms later; returns every answer, in the order they came.
     */
    private List<Seen> watch(int port, long startedAt, WhileAsking action) throws Exception {
        String base = "http://127.0.0.1:" + port;
        List<String> paths = List.copyOf(READY_ANSWERS.keySet());
        List<Seen> seen = java.util.Collections.synchronizedList(new ArrayList<>());
        AtomicBoolean done = new AtomicBoolean();
        ExecutorService pool = Executors.newFixedThreadPool(POLLERS);
        try {
            List<Future<?>> pollers = new ArrayList<>();
            for (int i = 0; i < POLLERS; i++) {
                int first = i;
                pollers.add(pool.submit(() -> {
                    for (int k = first; !done.get(); k++) {
                        Seen s = ask(base, paths.get(k % paths.size()), startedAt);
                        if (s == null) {
                            Thread.sleep(5);
                        } else {
                            seen.add(s);
                        }
                    }
                    return null;
                }));
            }
            action.run(() -> {
                synchronized (seen) {
                    return List.copyOf(seen);
                }
            });
            done.set(true);
            for (Future<?> f : pollers) {
                f.get(60, TimeUnit.SECONDS);
            }
        } finally {
            done.set(true);
            pool.shutdownNow();
            pool.awaitTermination(30, TimeUnit.SECONDS);
        }
        synchronized (seen) {
            return seen.stream().sorted(java.util.Comparator.comparingLong(Seen::at)).toList();
        }
    }

    /** One request ({@code "POST /path"} posts an empty JSON object); null when the connection was refused. */
    private Seen ask(String base, String path, long startedAt) throws InterruptedException {
        long sentAt = System.nanoTime() - startedAt;
        boolean post = path.startsWith("POST ");
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path.substring(post ? 5 : 0)))
                .timeout(Duration.ofSeconds(30)).header("Accept-Language", "en");
        if (post) {
            request.header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{}"));
        }
        HttpResponse<String> r;
        try {
            r = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException refused) {
            return null;
        }
        return new Seen(sentAt, System.nanoTime() - startedAt, path, r.statusCode(),
                r.headers().firstValue("X-Content-Type-Options").isPresent(),
                r.headers().firstValue("Retry-After").orElse(null), r.body());
    }
}
