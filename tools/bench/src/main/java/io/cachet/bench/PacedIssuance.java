package io.cachet.bench;

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
        URI endpoint = URI.create(args[0] + "/api/v1/certificates");
        String key = args[1];
        byte[] body = Files.readAllBytes(Path.of(args[2]));
        double rate = Double.parseDouble(args[3]);
        long seconds = Long.parseLong(args[4]);
        int clients = Integer.parseInt(args[5]);
        Path watched = Path.of(args[6]);
        long every = args.length > 7 ? Long.parseLong(args[7]) : 15;

        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).build();
        HttpRequest request = HttpRequest.newBuilder(endpoint).header("Authorization", "Bearer " + key)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
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
                    } catch (Exception e) {
                        failed.incrementAndGet();
                    }
                }
            }, "paced-" + i);
            t.start();
            threads.add(t);
        }
        System.out.println("seconds\tissued\tfailed\tfile_MB\tfile_KB_per_issued");
        for (long tick = 1; tick * every <= seconds; tick++) {
            long due = start + tick * every * 1_000_000_000L;
            while (System.nanoTime() < due) {
                LockSupport.parkNanos(due - System.nanoTime());
            }
            report(tick * every, issued.get(), failed.get(), Files.size(watched));
        }
        for (Thread t : threads) {
            t.join();
        }
        report((System.nanoTime() - start) / 1_000_000_000L, issued.get(), failed.get(), Files.size(watched));
    }

    private static void report(long seconds, long issued, long failed, long size) {
        System.out.printf("%d\t%d\t%d\t%.0f\t%.1f%n", seconds, issued, failed, size / 1e6,
                issued == 0 ? 0.0 : size / 1e3 / issued);
    }
}
