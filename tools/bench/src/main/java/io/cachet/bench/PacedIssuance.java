package io.cachet.bench;

import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * Issuance at a fixed rate over HTTP for a while, with the size of a file (the embedded H2 database's) printed every
 * {@code every} seconds: how the database file grows with the issued certificates ({@code tools/bench/h2-file.sh}).
 * wrk loads as fast as the server answers and cannot hold a rate; this paces {@code clients} threads, each sending
 * the same issuance request ({@code POST /api/v1/certificates}, the CSR of the body used again: a new certificate
 * every time) at {@code rate / clients} per second.
 *
 * <p>Arguments: {@code SERVER API_KEY BODY_FILE RATE SECONDS CLIENTS WATCHED_FILE [EVERY=15]}.
 */
public final class PacedIssuance {

    private PacedIssuance() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 7) {
            System.err.println("usage: PacedIssuance SERVER API_KEY BODY_FILE RATE SECONDS CLIENTS WATCHED_FILE [EVERY]");
            System.exit(2);
        }
        run(URI.create(args[0]), args[1], Files.readAllBytes(Path.of(args[2])), Double.parseDouble(args[3]),
                Long.parseLong(args[4]), Integer.parseInt(args[5]), Path.of(args[6]),
                args.length > 7 ? Long.parseLong(args[7]) : 15, System.out);
    }

    /** What a run did: the requests answered 201, and the others (another status, or no answer). */
    record Result(long issued, long failed) {
    }

    /**
     * Sends, from each of {@code clients} threads, one request every {@code clients / rate} seconds (the threads
     * evenly staggered) until {@code seconds} have passed: every request whose turn came within the run is sent, late
     * or not, so a run sends {@code rate * seconds} requests whatever the server's speed. Prints a line every
     * {@code every} seconds and one at the end.
     */
    static Result run(URI server, String key, byte[] body, double rate, long seconds, int clients, Path watched,
            long every, PrintStream out) throws Exception {
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).build();
        HttpRequest request = HttpRequest.newBuilder(server.resolve("/api/v1/certificates"))
                .header("Authorization", "Bearer " + key).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
        AtomicLong issued = new AtomicLong();
        AtomicLong failed = new AtomicLong();
        long start = System.nanoTime();
        long end = start + seconds * 1_000_000_000L;
        long interval = (long) (1e9 * clients / rate); // between two requests of one client
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < clients; i++) {
            long offset = interval * i / clients;
            Thread t = new Thread(() -> {
                for (long n = 0;; n++) {
                    long due = start + offset + n * interval;
                    if (due >= end) {
                        return;
                    }
                    long wait = due - System.nanoTime();
                    if (wait > 0) {
                        LockSupport.parkNanos(wait);
                    }
                    try {
                        int status = http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
                        (status == 201 ? issued : failed).incrementAndGet();
                    } catch (java.io.IOException e) {
                        failed.incrementAndGet();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return;
                    }
                }
            }, "paced-" + i);
            t.start();
            threads.add(t);
        }
        out.println("seconds\tissued\tfailed\tfile_MB\tfile_KB_per_issued");
        for (long tick = 1; tick * every < seconds; tick++) {
            long due = start + tick * every * 1_000_000_000L;
            for (long left = due - System.nanoTime(); left > 0; left = due - System.nanoTime()) {
                LockSupport.parkNanos(left);
            }
            report(out, tick * every, issued.get(), failed.get(), Files.size(watched));
        }
        for (Thread t : threads) {
            t.join();
        }
        report(out, Math.round((System.nanoTime() - start) / 1e9), issued.get(), failed.get(), Files.size(watched));
        return new Result(issued.get(), failed.get());
    }

    private static void report(PrintStream out, long seconds, long issued, long failed, long size) {
        out.printf("%d\t%d\t%d\t%.0f\t%.1f%n", seconds, issued, failed, size / 1e6,
                issued == 0 ? 0.0 : size / 1e3 / issued);
    }
}
