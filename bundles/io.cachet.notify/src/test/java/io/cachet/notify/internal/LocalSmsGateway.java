package io.cachet.notify.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;

/**
 * A local SMS gateway for the tests (the JDK's HTTP server on a free port): it records every request and answers
 * the statuses given to {@link #answer} in turn, then 200.
 */
final class LocalSmsGateway implements AutoCloseable {

    /** One request as received. */
    record Received(String authorization, String idempotencyKey, String contentType, JsonNode body, int answered) {
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpServer server;
    private final Queue<Integer> answers = new ConcurrentLinkedQueue<>();
    final List<Received> received = new CopyOnWriteArrayList<>();
    volatile long delayMillis;

    LocalSmsGateway() {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.setExecutor(Executors.newFixedThreadPool(4));
        server.createContext("/sms", exchange -> {
            try (InputStream in = exchange.getRequestBody()) {
                byte[] body = in.readAllBytes();
                if (delayMillis > 0) {
                    Thread.sleep(delayMillis);
                }
                Integer next = answers.poll();
                int status = next == null ? 200 : next;
                received.add(new Received(exchange.getRequestHeaders().getFirst("Authorization"),
                        exchange.getRequestHeaders().getFirst("Idempotency-Key"),
                        exchange.getRequestHeaders().getFirst("Content-Type"), JSON.readTree(body), status));
                byte[] answer = (status < 300 ? "{\"id\":\"gw-" + received.size() + "\"}"
                        : "{\"error\":\"refused with " + status + "\"}").getBytes(StandardCharsets.UTF_8);
                exchange.sendResponseHeaders(status, answer.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(answer);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                exchange.close();
            }
        });
        server.start();
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/sms";
    }

    /** The next requests are answered with these statuses, in order. */
    void answer(Integer... statuses) {
        answers.addAll(List.of(statuses));
    }

    @Override
    public void close() {
        server.stop(0);
        ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
    }
}
