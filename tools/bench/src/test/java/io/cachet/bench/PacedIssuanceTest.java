package io.cachet.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.sun.net.httpserver.HttpServer;

/**
 * The paced issuance client against a local HTTP server standing in for Cachet's issuance endpoint: what it sends and
 * how it counts; the run against a real server is {@code tools/bench/h2-file.sh} (BENCHMARKS.md).
 */
class PacedIssuanceTest {

    @TempDir
    Path temp;

    @Test
    void sendsRateTimesSecondsRequestsAndCountsOnly201AsIssued() throws Exception {
        AtomicInteger seen = new AtomicInteger();
        List<String> wrong = new CopyOnWriteArrayList<>();
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/api/v1/certificates", exchange -> {
            String auth = exchange.getRequestHeaders().getFirst("Authorization");
            byte[] body = exchange.getRequestBody().readAllBytes();
            if (!"POST".equals(exchange.getRequestMethod()) || !"Bearer k3y".equals(auth)
                    || !"{\"csr\":1}".equals(new String(body, StandardCharsets.UTF_8))) {
                wrong.add(exchange.getRequestMethod() + " " + auth);
            }
            // every fifth request refused, as a server would refuse some
            int status = seen.incrementAndGet() % 5 == 0 ? 503 : 201;
            exchange.sendResponseHeaders(status, -1);
            exchange.close();
        });
        server.setExecutor(java.util.concurrent.Executors.newFixedThreadPool(4));
        server.start();
        try {
            Path watched = Files.write(temp.resolve("db.mv.db"), new byte[3_000_000]);
            ByteArrayOutputStream printed = new ByteArrayOutputStream();
            PacedIssuance.Result result = PacedIssuance.run(
                    URI.create("http://127.0.0.1:" + server.getAddress().getPort()), "k3y",
                    "{\"csr\":1}".getBytes(StandardCharsets.UTF_8), 40, 2, 4, watched, 1,
                    new PrintStream(printed, true, StandardCharsets.UTF_8));
            assertEquals(80, result.issued() + result.failed(), "rate x seconds requests, late or not");
            assertEquals(80, seen.get());
            assertEquals(16, result.failed(), "the 503s are not counted as issued");
            assertEquals(64, result.issued());
            assertTrue(wrong.isEmpty(), "each request is the issuance with the key and body given: " + wrong);
            List<String> lines = new String(printed.toByteArray(), StandardCharsets.UTF_8).lines().toList();
            assertEquals("seconds\tissued\tfailed\tfile_MB\tfile_KB_per_issued", lines.get(0));
            assertEquals(3, lines.size(), "a line after 1 s and one at the end: " + lines);
            assertEquals("2\t64\t16\t3\t46.9", lines.get(2), "the file's size, in all and per certificate");
        } finally {
            server.stop(0);
        }
    }
}
