package io.cachet.audit.internal;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends each anchor journal line to a remote witness: an HTTP(S) {@code POST} of the line (UTF-8
 * {@code text/plain}, ending with a newline) to a configured URL; any 2xx answer counts as received. The witness
 * keeps its own copy, out of reach of whoever controls this machine; appending the lines it received gives a
 * journal that {@code cachet-cli audit verify --journal FILE} checks like the local one.
 *
 * <p>Never in the way of the audit log: lines wait in memory and are sent one at a time, in order, by a thread of
 * its own, each with a bounded timeout; a failure is logged (once per distinct cause) and retried with a growing
 * pause (up to a minute). The last line received is remembered in {@code DATA/audit/witness.state}, so lines that
 * were not delivered before a stop are sent after the next start.
 */
final class AnchorWitness implements AutoCloseable {

    static final String STATE_FILE = "witness.state";
    static final int MAX_PENDING = 100_000;
    private static final Logger LOG = LoggerFactory.getLogger(AnchorWitness.class);
    private static final long MAX_PAUSE_MILLIS = 60_000;

    private final URI url;
    private final Duration timeout;
    private final Path stateFile;
    private final HttpClient client;
    private final ScheduledExecutorService sender;
    private final Deque<String> pending = new ArrayDeque<>(); // guarded by this
    private boolean scheduled; // guarded by this
    private long pauseMillis;
    private volatile String lastError;
    private volatile long delivered;

    /**
     * @param url where to post; http or https
     * @param stateFile where the last delivered line is remembered
     * @throws IllegalArgumentException when the URL is not an absolute http(s) URL
     */
    AnchorWitness(String url, Duration timeout, Path stateFile) {
        this.url = parse(url);
        this.timeout = timeout;
        this.stateFile = stateFile;
        this.client = HttpClient.newBuilder().connectTimeout(timeout).followRedirects(HttpClient.Redirect.NEVER).build();
        this.sender = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "cachet-audit-witness");
            t.setDaemon(true);
            return t;
        });
    }

    static URI parse(String url) {
        URI uri;
        try {
            uri = URI.create(url.trim());
        } catch (IllegalArgumentException e) {
            uri = null;
        }
        if (uri == null || uri.getHost() == null
                || !("http".equalsIgnoreCase(uri.getScheme()) || "https".equalsIgnoreCase(uri.getScheme()))) {
            throw new IllegalArgumentException("witnessUrl of configuration PID io.cachet.audit must be an absolute "
                    + "http:// or https:// URL, not '" + url + "'");
        }
        return uri;
    }

    /**
     * Queues the anchor lines of the journal after the last one the witness received (all of them when it has
     * received none: a new witness gets the whole history).
     */
    void resume(Path journalFile) {
        if (!Files.exists(journalFile)) {
            return;
        }
        String last = readState();
        try {
            long skip = 0;
            if (last != null) {
                long index = 0;
                try (var lines = Files.lines(journalFile, StandardCharsets.UTF_8)) {
                    for (var it = lines.filter(l -> l.startsWith(AnchorJournal.ANCHOR + " ")).iterator(); it.hasNext();) {
                        index++;
                        if (it.next().equals(last)) {
                            skip = index;
                        }
                    }
                }
            }
            try (var lines = Files.lines(journalFile, StandardCharsets.UTF_8)) {
                lines.filter(l -> l.startsWith(AnchorJournal.ANCHOR + " ")).skip(skip).forEach(this::submit);
            }
        } catch (IOException | java.io.UncheckedIOException e) {
            LOG.error("Cannot read the anchor journal {} to send the witness what it lacks: {}", journalFile,
                    e.getMessage());
        }
    }

    /** Queues one line; returns at once. */
    synchronized void submit(String line) {
        if (pending.size() >= MAX_PENDING) {
            LOG.error("The audit anchor witness {} has not received the last {} anchors; the oldest waiting one is "
                    + "dropped (it stays in the local journal)", url, MAX_PENDING);
            pending.removeFirst();
        }
        pending.addLast(line);
        if (!scheduled) {
            scheduled = true;
            sender.execute(this::deliver);
        }
    }

    /** How many lines the witness received since this started. */
    long delivered() {
        return delivered;
    }

    synchronized int pending() {
        return pending.size();
    }

    private void deliver() {
        while (true) {
            String line;
            synchronized (this) {
                line = pending.peekFirst();
                if (line == null) {
                    scheduled = false;
                    return;
                }
            }
            String error = post(line);
            if (error != null) {
                if (!error.equals(lastError)) {
                    LOG.error("The audit anchor witness {} did not receive anchor {}: {}; retrying", url,
                            line.split(" ", 4)[2], error);
                }
                lastError = error;
                pauseMillis = Math.min(MAX_PAUSE_MILLIS, pauseMillis == 0 ? 500 : pauseMillis * 2);
                try {
                    sender.schedule(this::deliver, pauseMillis, TimeUnit.MILLISECONDS);
                } catch (java.util.concurrent.RejectedExecutionException stopping) {
                    // closed meanwhile: what is not delivered is sent after the next start
                }
                return;
            }
            if (lastError != null) {
                LOG.info("The audit anchor witness {} receives anchors again", url);
            }
            lastError = null;
            pauseMillis = 0;
            synchronized (this) {
                pending.removeFirst();
            }
            delivered++;
            writeState(line);
        }
    }

    /** @return null when received, else why not */
    private String post(String line) {
        HttpRequest request = HttpRequest.newBuilder(url).timeout(timeout)
                .header("Content-Type", "text/plain; charset=utf-8")
                .POST(HttpRequest.BodyPublishers.ofString(line + "\n", StandardCharsets.UTF_8)).build();
        try {
            HttpResponse<Void> response = client.send(request, HttpResponse.BodyHandlers.discarding());
            return response.statusCode() / 100 == 2 ? null : "HTTP " + response.statusCode();
        } catch (IOException e) {
            return e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        }
    }

    private String readState() {
        try {
            return Files.exists(stateFile) ? Files.readString(stateFile, StandardCharsets.UTF_8).strip() : null;
        } catch (IOException e) {
            LOG.warn("Cannot read {} ({}): the witness is sent the whole anchor journal again", stateFile,
                    AnchorJournal.describe(e));
            return null;
        }
    }

    private void writeState(String line) {
        try {
            Path temp = stateFile.resolveSibling(STATE_FILE + ".tmp");
            Files.writeString(temp, line + "\n", StandardCharsets.UTF_8);
            Files.move(temp, stateFile, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            LOG.warn("Cannot write {} ({}): after a restart the witness may receive some anchors twice", stateFile,
                    AnchorJournal.describe(e));
        }
    }

    /**
     * Waits up to {@code max} for the waiting lines to be delivered, then stops. What is left is sent after the
     * next start.
     */
    @Override
    public void close() {
        close(Duration.ofSeconds(5));
    }

    void close(Duration max) {
        long deadline = System.nanoTime() + max.toNanos();
        synchronized (this) {
            while (!pending.isEmpty() && lastError == null && System.nanoTime() < deadline) {
                try {
                    wait(50); // woken by nothing: a bounded poll while the sender works
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
        }
        sender.shutdownNow();
        if (pending() > 0) {
            LOG.warn("{} audit anchor(s) not yet received by the witness {}; they are sent after the next start",
                    pending(), url);
        }
    }
}
