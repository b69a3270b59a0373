package io.cachet.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.net.CookieManager;
import java.net.CookiePolicy;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Click&amp;Cert under load, over HTTP as the customer space's page does it ({@code tools/bench/clickcert.sh}
 * prepares a server and ACTIVE cloud seals with {@code cachet-cli demo}, then runs this). {@code --users}
 * browsers, each with its own session of one of the holder accounts given, each in a loop: upload the PDF
 * ({@code POST /space/api/documents}, its SHA-256 checked against the one shown), seal it with the password typed
 * again ({@code POST .../sign}), download the sealed PDF
 * ({@code GET .../signed}, checked to be a PDF longer than the upload). After {@code --warmup} seconds of the same
 * load, {@code --duration} seconds are measured: sealed documents per second, p50/p99 of the whole cycle and of each
 * step, and the failures by step and status. The last sealed PDF is written to {@code --out} for checks with tools
 * we did not write ({@code pdfsig}).
 *
 * <p>Plain JDK HTTP client, no load tool: each cycle needs the answer of the step before (the document's id and
 * hash), which a fixed-request tool like wrk cannot chain per connection.
 */
public final class ClickCertLoad {

    static final List<String> STEPS = List.of("upload", "sign", "download", "cycle");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final URI server;
    private final List<Account> accounts;
    private final byte[] pdf;
    private final String pdfSha256;

    /** A holder's login and the order of their cloud seal. */
    record Account(String email, String password, String orderId) {
    }

    ClickCertLoad(URI server, List<Account> accounts, byte[] pdf) {
        if (accounts.isEmpty()) {
            throw new IllegalArgumentException("no holder account");
        }
        this.server = server;
        this.accounts = List.copyOf(accounts);
        this.pdf = pdf;
        this.pdfSha256 = HexFormat.of().formatHex(sha256(pdf));
    }

    /** Tab-separated lines: e-mail, password, order id. */
    static List<Account> accounts(Path file) throws IOException {
        List<Account> accounts = new ArrayList<>();
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            if (line.isBlank()) {
                continue;
            }
            String[] f = line.split("\t");
            if (f.length != 3) {
                throw new IllegalArgumentException("expected e-mail, password and order id separated by tabs: " + line);
            }
            accounts.add(new Account(f[0], f[1], f[2]));
        }
        return accounts;
    }

    /** What one holder's loop saw: latencies (ns) per step of the cycles that ended inside the measured window. */
    static final class Tally {
        final Map<String, List<Long>> latencies = new LinkedHashMap<>();
        final Map<String, Integer> failures = new TreeMap<>();
        byte[] lastSealed;

        Tally() {
            for (String step : STEPS) {
                latencies.put(step, new ArrayList<>());
            }
        }

        void fail(String what) {
            failures.merge(what, 1, Integer::sum);
        }
    }

    /** A refused or wrong answer: the step and what was wrong, counted and reported, never thrown to the caller. */
    static final class StepFailed extends Exception {
        private static final long serialVersionUID = 1L;

        StepFailed(String what) {
            super(what, null, false, false);
        }
    }

    /** One holder's browser: its own cookies and session. */
    final class Holder {
        private final String email;
        private final String password;
        private final String orderId;
        private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .cookieHandler(new CookieManager(null, CookiePolicy.ACCEPT_ORIGINAL_SERVER))
                .connectTimeout(Duration.ofSeconds(10)).build();
        private String csrf;

        Holder(Account account) {
            this.email = account.email();
            this.password = account.password();
            this.orderId = account.orderId();
        }

        private HttpRequest.Builder request(String path) {
            return HttpRequest.newBuilder(server.resolve(path)).timeout(Duration.ofSeconds(120))
                    .header("Accept", "application/json").header("Origin", origin());
        }

        private JsonNode json(String step, HttpResponse<byte[]> answer, int expected) throws StepFailed, IOException {
            if (answer.statusCode() != expected) {
                throw new StepFailed(step + " " + answer.statusCode());
            }
            return JSON.readTree(answer.body());
        }

        void logIn() throws StepFailed, IOException, InterruptedException {
            HttpResponse<byte[]> answer = http.send(request("/space/api/session")
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(Map.of("email", email,
                            "password", password)))).build(), HttpResponse.BodyHandlers.ofByteArray());
            csrf = json("login", answer, 200).path("csrf").asText();
        }

        /** One cycle: the latencies (ns) of upload, sign, download and the whole; the sealed PDF in {@code sealed}. */
        long[] cycle(byte[][] sealed) throws StepFailed, IOException, InterruptedException {
            long t0 = System.nanoTime();
            JsonNode uploaded = json("upload", http.send(request("/space/api/documents")
                    .header("Content-Type", "application/pdf").header("X-Filename", "bench.pdf")
                    .header("X-CSRF-Token", csrf).POST(HttpRequest.BodyPublishers.ofByteArray(pdf)).build(),
                    HttpResponse.BodyHandlers.ofByteArray()), 201);
            if (!pdfSha256.equalsIgnoreCase(uploaded.path("sha256").asText())) {
                throw new StepFailed("upload: another hash shown");
            }
            String id = uploaded.path("id").asText();
            long t1 = System.nanoTime();
            JsonNode signed = json("sign", http.send(request("/space/api/documents/" + id + "/sign")
                    .header("Content-Type", "application/json").header("X-CSRF-Token", csrf)
                    .POST(HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(Map.of("orderId", orderId,
                            "password", password, "sha256", pdfSha256)))).build(),
                    HttpResponse.BodyHandlers.ofByteArray()), 200);
            long t2 = System.nanoTime();
            String downloadPath = signed.path("download").asText("/space/api/documents/" + id + "/signed");
            HttpResponse<byte[]> download = http.send(request(downloadPath).setHeader("Accept", "application/pdf")
                    .GET().build(), HttpResponse.BodyHandlers.ofByteArray());
            long t3 = System.nanoTime();
            byte[] body = download.body();
            if (download.statusCode() != 200) {
                throw new StepFailed("download " + download.statusCode());
            }
            if (body.length <= pdf.length || !new String(body, 0, 5, StandardCharsets.US_ASCII).equals("%PDF-")) {
                throw new StepFailed("download: not a sealed PDF");
            }
            sealed[0] = body;
            return new long[] { t1 - t0, t2 - t1, t3 - t2, t3 - t0 };
        }
    }

    private String origin() {
        return server.getScheme() + "://" + server.getAuthority();
    }

    /** The load: every holder logs in, then loops until the end of the measured window. */
    Tally run(int users, Duration warmup, Duration measured) throws Exception {
        ExecutorService threads = Executors.newFixedThreadPool(users);
        try {
            List<Holder> holders = new ArrayList<>();
            for (int i = 0; i < users; i++) {
                Holder h = new Holder(accounts.get(i % accounts.size())); // browsers spread over the accounts
                h.logIn();
                holders.add(h);
            }
            long start = System.nanoTime();
            long from = start + warmup.toNanos();
            long until = from + measured.toNanos();
            List<Future<Tally>> loops = new ArrayList<>();
            for (Holder h : holders) {
                loops.add(threads.submit(() -> {
                    Tally tally = new Tally();
                    byte[][] sealed = new byte[1][];
                    while (System.nanoTime() < until) {
                        long began = System.nanoTime();
                        try {
                            long[] took = h.cycle(sealed);
                            // a cycle counts when it began and ended inside the measured window
                            if (began >= from && System.nanoTime() <= until) {
                                for (int i = 0; i < STEPS.size(); i++) {
                                    tally.latencies.get(STEPS.get(i)).add(took[i]);
                                }
                                tally.lastSealed = sealed[0];
                            }
                        } catch (StepFailed e) {
                            if (began >= from) {
                                tally.fail(e.getMessage());
                            }
                        } catch (IOException e) {
                            if (began >= from) {
                                tally.fail("I/O " + e.getClass().getSimpleName());
                            }
                        }
                    }
                    return tally;
                }));
            }
            Tally all = new Tally();
            for (Future<Tally> f : loops) {
                Tally t = f.get();
                t.latencies.forEach((step, values) -> all.latencies.get(step).addAll(values));
                t.failures.forEach((what, n) -> all.failures.merge(what, n, Integer::sum));
                if (t.lastSealed != null) {
                    all.lastSealed = t.lastSealed;
                }
            }
            return all;
        } finally {
            threads.shutdownNow();
        }
    }

    static long percentile(List<Long> sorted, double p) {
        if (sorted.isEmpty()) {
            return 0;
        }
        int rank = (int) Math.ceil(p / 100.0 * sorted.size());
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, rank - 1)));
    }

    /** One line per step: count, per second over the window, p50, p99 and max in ms; then the failures. */
    static void report(Tally tally, Duration measured, PrintStream out) {
        out.println("| step | done | per second | p50 ms | p99 ms | max ms |");
        out.println("|---|---:|---:|---:|---:|---:|");
        for (String step : STEPS) {
            List<Long> values = new ArrayList<>(tally.latencies.get(step));
            values.sort(null);
            out.printf(java.util.Locale.ROOT, "| %s | %d | %.1f | %.1f | %.1f | %.1f |%n", step, values.size(),
                    values.size() / (measured.toMillis() / 1000.0), percentile(values, 50) / 1e6,
                    percentile(values, 99) / 1e6, values.isEmpty() ? 0 : values.get(values.size() - 1) / 1e6);
        }
        out.println("failures: " + (tally.failures.isEmpty() ? "none" : tally.failures));
    }

    private static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * {@code --server URL --accounts FILE [--pdf FILE] [--users 20] [--warmup 10] [--duration 30] [--out DIR]}:
     * FILE has one holder per line (e-mail, password, order id, tab-separated), the browsers are spread over them;
     * without {@code --pdf}, a PDF of 1 MB made as {@code SignatureBenchmark}'s.
     */
    public static void main(String[] args) throws Exception {
        Map<String, String> a = new LinkedHashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            if (!args[i].startsWith("--")) {
                throw new IllegalArgumentException("expected --name value, got " + Arrays.toString(args));
            }
            a.put(args[i].substring(2), args[i + 1]);
        }
        for (String required : List.of("server", "accounts")) {
            if (!a.containsKey(required)) {
                System.err.println("ClickCertLoad: --" + required + " is missing");
                System.exit(2);
            }
        }
        Path out = Path.of(a.getOrDefault("out", "."));
        Files.createDirectories(out);
        Path pdfFile = a.containsKey("pdf") ? Path.of(a.get("pdf"))
                : SignatureBenchmark.Seal.pdfOfAboutOneMegabyte(out.resolve("document.pdf"));
        Duration warmup = Duration.ofSeconds(Long.parseLong(a.getOrDefault("warmup", "10")));
        Duration measured = Duration.ofSeconds(Long.parseLong(a.getOrDefault("duration", "30")));
        int users = Integer.parseInt(a.getOrDefault("users", "20"));
        List<Account> accounts = accounts(Path.of(a.get("accounts")));
        ClickCertLoad load = new ClickCertLoad(URI.create(a.get("server")), accounts, Files.readAllBytes(pdfFile));
        Tally tally = load.run(users, warmup, measured);
        System.out.printf("# %d users over %d holder accounts, %d s warm-up, %d s measured, a PDF of %d bytes%n", users,
                accounts.size(), warmup.toSeconds(), measured.toSeconds(), Files.size(pdfFile));
        report(tally, measured, System.out);
        if (tally.lastSealed != null) {
            Files.write(out.resolve("sealed.pdf"), tally.lastSealed);
        }
    }
}
