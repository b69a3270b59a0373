package io.cachet.itest;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.X509CRLHolder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;
import org.junit.After;
import org.junit.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A 201 is a promise: the real {@code cachet.jar} runs as a process of its own, several clients issue and revoke
 * certificates as fast as it answers (and one more client submits orders), and the process is killed with SIGKILL
 * while requests are in flight. After a
 * restart on the same data directory, every certificate that was answered 201 is there with the same content,
 * every revocation that was answered 200 is still revoked (status and CRL), and no serial was handed out twice.
 * Runs on the embedded H2 database and on PostgreSQL (a fresh database on the test server).
 *
 * <p>Not a Pax Exam test: it needs a process it can kill, so it starts the exported distribution with
 * {@code java -jar}, exactly as an operator does.
 */
public class CrashIT {

    /** The integration tests' one JSON mapper. */
    private static final ObjectMapper JSON = Probe.JSON;
    private static final Duration START_LIMIT = Duration.ofSeconds(180);
    private static final Duration LOAD_LIMIT = Duration.ofSeconds(120);
    private static final int CLIENTS = 4;
    /** Issuances acknowledged before the kill; revocations follow every third of them. */
    private static final int ISSUED_BEFORE_KILL = 60;
    private static final int REVOKED_BEFORE_KILL = 15;
    /** Orders answered 201 before the kill, submitted by a client of their own. */
    private static final int ORDERED_BEFORE_KILL = 10;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final List<Server> servers = new ArrayList<>();
    private final List<Runnable> cleanups = new ArrayList<>();

    @After
    public void cleanUp() {
        servers.forEach(Server::kill);
        cleanups.forEach(Runnable::run);
    }

    @Test
    public void h2KeepsEveryAcknowledgedChangeAcrossKill9() throws Exception {
        Path data = temp("cachet-crash-h2-").resolve("data");
        crashAndCheck(data);
        // the embedded database holds operators' password hashes, the audit log and the certificates
        try (Stream<Path> files = Files.list(data.resolve("db"))) {
            for (Path f : files.toList()) {
                Set<PosixFilePermission> perms = Files.getPosixFilePermissions(f);
                assertTrue(f + " is readable by others: " + perms, perms.stream().noneMatch(p -> p.name().startsWith("OTHERS")
                        || p == PosixFilePermission.GROUP_WRITE));
            }
        }
        assertEquals("rwx------", java.nio.file.attribute.PosixFilePermissions.toString(
                Files.getPosixFilePermissions(data)));
    }

    @Test
    public void postgresqlKeepsEveryAcknowledgedChangeAcrossKill9() throws Exception {
        String base = System.getProperty("cachet.test.pg.url");
        String user = System.getProperty("cachet.test.pg.user", "postgres");
        org.junit.Assume.assumeTrue("no PostgreSQL test server configured", base != null && !base.isBlank());
        FreshDatabase db = FreshDatabase.create(base, user, "crash_");
        cleanups.add(() -> {
            try {
                db.close();
            } catch (java.sql.SQLException e) {
                throw new IllegalStateException("cannot drop the test database " + db.url(), e);
            }
        });
        String url = db.url();
        Path data = temp("cachet-crash-pg-").resolve("data");
        Files.createDirectories(data.resolve("deploy"));
        Files.writeString(data.resolve("deploy/io.cachet.store.cfg"), "url=" + url + "\nuser=" + user + "\n");
        crashAndCheck(data);
        try (Connection c = DriverManager.getConnection(url, user, ""); Statement s = c.createStatement();
                var rs = s.executeQuery("SHOW synchronous_commit")) {
            rs.next();
            assertEquals("the test server itself must not trade durability away", "on", rs.getString(1));
        }
    }

    private Path temp(String prefix) throws IOException {
        Path dir = Files.createTempDirectory(prefix);
        cleanups.add(() -> deleteTree(dir));
        return dir;
    }

    private void crashAndCheck(Path data) throws Exception {
        Server first = Server.start(data, freePort());
        servers.add(first);
        first.awaitReady(http);
        String apiKey = apiKey(data);
        takeOver(first.base(), data);
        Api api = new Api(http, first.base(), apiKey);

        Map<String, String> issued = new ConcurrentHashMap<>(); // serial -> certificate PEM, answered 201
        Set<String> revoked = ConcurrentHashMap.newKeySet(); // answered 200
        List<String> serialsInOrder = java.util.Collections.synchronizedList(new ArrayList<>());
        AtomicInteger inFlight = new AtomicInteger(); // requests sent before the SIGKILL that got no answer
        AtomicBoolean killing = new AtomicBoolean();
        AtomicBoolean stopped = new AtomicBoolean();
        Set<String> ordered = ConcurrentHashMap.newKeySet(); // order ids answered 201
        ExecutorService clients = Executors.newFixedThreadPool(CLIENTS + 1);
        List<Future<?>> running = new ArrayList<>();
        running.add(clients.submit(() -> {
            long until = System.nanoTime() + LOAD_LIMIT.toNanos();
            while (!stopped.get() && System.nanoTime() < until) {
                long sent = System.nanoTime();
                try {
                    HttpResponse<String> r = api.post("/api/v1/orders", ORDER);
                    assertEquals(r.body(), 201, r.statusCode());
                    ordered.add(JSON.readTree(r.body()).get("id").asText());
                } catch (IOException e) {
                    if (!killing.get()) {
                        throw new AssertionError("order failed before the kill: " + e, e);
                    }
                    if (sent < first.killedAt()) {
                        inFlight.incrementAndGet();
                    }
                }
            }
            return null;
        }));
        for (int i = 0; i < CLIENTS; i++) {
            int client = i;
            running.add(clients.submit(() -> {
                List<String> mine = new ArrayList<>();
                int n = 0;
                long until = System.nanoTime() + LOAD_LIMIT.toNanos();
                while (!stopped.get() && System.nanoTime() < until) {
                    n++;
                    long sent = System.nanoTime();
                    try {
                        if (n % 3 == 0 && !mine.isEmpty()) {
                            String serial = mine.remove(0);
                            HttpResponse<String> r = api.post("/api/v1/certificates/" + serial + "/revocation",
                                    "{\"reason\":\"keyCompromise\"}");
                            assertEquals(r.body(), 200, r.statusCode());
                            revoked.add(serial);
                        } else {
                            HttpResponse<String> r = api.post("/api/v1/certificates",
                                    request("crash " + client + "-" + n).toString());
                            assertEquals(r.body(), 201, r.statusCode());
                            JsonNode body = JSON.readTree(r.body());
                            String serial = body.get("serial").asText();
                            serialsInOrder.add(serial);
                            issued.put(serial, body.get("certificate").asText());
                            mine.add(serial);
                        }
                    } catch (IOException e) {
                        if (!killing.get()) {
                            throw new AssertionError("request failed before the kill: " + e, e);
                        }
                        if (sent < first.killedAt()) {
                            inFlight.incrementAndGet(); // in flight when the process died: no promise was made
                        }
                    }
                }
                return null;
            }));
        }
        try {
            await("the load to reach " + ISSUED_BEFORE_KILL + " issued and " + REVOKED_BEFORE_KILL + " revoked",
                    LOAD_LIMIT, () -> {
                        running.stream().filter(Future::isDone).findAny().ifPresent(CrashIT::rethrow);
                        return issued.size() >= ISSUED_BEFORE_KILL && revoked.size() >= REVOKED_BEFORE_KILL
                                && ordered.size() >= ORDERED_BEFORE_KILL;
                    });
            // the clients go on sending until the process is gone, so that the SIGKILL meets requests in flight
            killing.set(true);
            first.kill();
        } finally {
            killing.set(true);
            stopped.set(true);
            clients.shutdown();
            assertTrue("clients stopped", clients.awaitTermination(60, TimeUnit.SECONDS));
        }
        for (Future<?> f : running) {
            rethrow(f);
        }
        assertTrue("the kill must hit requests in flight", inFlight.get() > 0);
        assertEquals("a serial answered twice", serialsInOrder.size(), new HashSet<>(serialsInOrder).size());

        Server second = Server.start(data, freePort());
        servers.add(second);
        second.awaitReady(http);
        Api after = new Api(http, second.base(), apiKey);
        List<String> lost = new ArrayList<>();
        List<String> unrevoked = new ArrayList<>();
        for (Map.Entry<String, String> e : issued.entrySet()) {
            HttpResponse<String> r = after.get("/api/v1/certificates/" + e.getKey());
            if (r.statusCode() != 200) {
                lost.add(e.getKey() + " (" + r.statusCode() + ")");
                continue;
            }
            JsonNode body = JSON.readTree(r.body());
            assertEquals("serial " + e.getKey() + " now names another certificate", e.getValue(),
                    body.get("certificate").asText());
            if (revoked.contains(e.getKey()) && !"revoked".equals(body.get("status").asText())) {
                unrevoked.add(e.getKey() + " (" + body.get("status").asText() + ")");
            }
        }
        assertTrue(lost.size() + " of " + issued.size() + " certificates answered 201 are gone after kill -9: " + lost,
                lost.isEmpty());
        assertTrue(unrevoked.size() + " of " + revoked.size() + " revocations answered 200 are undone after kill -9: "
                + unrevoked, unrevoked.isEmpty());

        List<String> lostOrders = new ArrayList<>();
        for (String id : ordered) {
            HttpResponse<String> r = after.get("/api/v1/orders/" + id);
            if (r.statusCode() != 200 || !"VERIFICATION".equals(JSON.readTree(r.body()).get("state").asText())) {
                lostOrders.add(id + " (" + r.statusCode() + ")");
            }
        }
        assertTrue(lostOrders.size() + " of " + ordered.size() + " orders answered 201 are gone after kill -9: "
                + lostOrders, lostOrders.isEmpty());

        HttpResponse<byte[]> crl = http.send(HttpRequest.newBuilder(URI.create(second.base() + "/pki/crl"))
                .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, crl.statusCode());
        X509CRLHolder holder = new X509CRLHolder(crl.body());
        for (String serial : revoked) {
            assertTrue("revoked serial " + serial + " missing from the CRL",
                    holder.getRevokedCertificate(new BigInteger(serial, 16)) != null);
        }

        // the restarted CA goes on issuing, never a serial it already gave
        HttpResponse<String> more = after.post("/api/v1/certificates", request("after the crash").toString());
        assertEquals(more.body(), 201, more.statusCode());
        assertFalse("serial issued twice", issued.containsKey(JSON.readTree(more.body()).get("serial").asText()));

        // SIGTERM stops the framework in order (io.cachet.web's OrderlyStop): SCR, stopped among the last bundles,
        // writes the component descriptions it keeps for the next start only when its bundle is stopped. The first
        // run, killed, never wrote them.
        second.stop();
        try (Stream<Path> files = Files.walk(data.resolve("cache"))) {
            assertTrue("no bundle was stopped on SIGTERM: SCR's componentMetadataStore is missing from "
                    + data.resolve("cache"), files.anyMatch(f -> f.getFileName().toString()
                            .equals("componentMetadataStore") && f.toFile().length() > 0));
        }
        // and says so last, although the JDK resets its log manager at exit meanwhile (the launcher's LogsUntilExit)
        String output = Files.readString(second.log);
        assertTrue("no 'Cachet stopped' line after SIGTERM:\n" + second.tail(),
                output.lines().anyMatch(l -> l.contains("OrderlyStop - Cachet stopped in ")));
    }

    // ---------------------------------------------------------------------------------------------------------

    /** A valid order (the README's example). */
    private static final String ORDER = "{\"product\": \"enterprise-plus\", \"validityYears\": 1, \"medium\": \"cloud\","
            + " \"certificateManager\": {\"givenNames\": \"Anna Maria\", \"surname\": \"Eriksson\","
            + " \"birthDate\": \"1974-08-12\", \"email\": \"anna@example.org\", \"mobile\": \"+33612345678\"},"
            + " \"legalRepresentative\": {\"sameAsCertificateManager\": true}, \"organisation\": {\"name\": \"ACME SAS\","
            + " \"country\": \"FR\", \"identifier\": \"552100554\", \"vat\": \"FR96552100554\", \"address\":"
            + " {\"lines\": [\"1 rue de la Paix\"], \"postalCode\": \"75002\", \"city\": \"Paris\", \"country\": \"FR\"}}}";

    private static ObjectNode request(String commonName) {
        ObjectNode r = JSON.createObjectNode();
        r.put("csr", csr()).put("commonName", commonName).put("profile", "qscd").put("validityYears", 1);
        r.putObject("organisation").put("name", "ACME SAS").put("identifier", "NTRFR-123456789").put("country", "FR");
        return r;
    }

    private static String csr() {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
            g.initialize(new ECGenParameterSpec("secp256r1"));
            KeyPair kp = g.generateKeyPair();
            var csr = new JcaPKCS10CertificationRequestBuilder(new X500Name("CN=ignored"), kp.getPublic())
                    .build(new JcaContentSignerBuilder("SHA256withECDSA").build(kp.getPrivate()));
            StringWriter w = new StringWriter();
            try (JcaPEMWriter p = new JcaPEMWriter(w)) {
                p.writeObject(csr);
            }
            return w.toString();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static String apiKey(Path data) throws IOException {
        Path file = data.resolve("initial-admin.txt");
        await(file + " to be written", START_LIMIT, () -> Files.exists(file) && readKey(file) != null);
        return readKey(file);
    }

    /** The initial key works only once the initial password is replaced: do that as the operator's browser would. */
    private void takeOver(String base, Path data) throws IOException, InterruptedException {
        Map<String, String> admin = new java.util.HashMap<>();
        for (String line : Files.readAllLines(data.resolve("initial-admin.txt"))) {
            int eq = line.indexOf('=');
            if (eq > 0) {
                admin.put(line.substring(0, eq), line.substring(eq + 1).trim());
            }
        }
        String next = Probe.ADMIN_PASSWORD;
        String form = "login=" + Probe.enc(admin.get("login")) + "&current=" + Probe.enc(admin.get("password"))
                + "&new=" + Probe.enc(next) + "&confirm=" + Probe.enc(next);
        HttpResponse<String> changed = http.send(HttpRequest.newBuilder(URI.create(base + "/console/password"))
                .header("Content-Type", "application/x-www-form-urlencoded").header("Origin", base)
                .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals("initial password change: " + changed.body(), 303, changed.statusCode());
    }

    private static String readKey(Path file) {
        try {
            return Files.readAllLines(file).stream().filter(l -> l.startsWith("api-key=") && l.length() > 8)
                    .map(l -> l.substring(8).trim()).findFirst().orElse(null);
        } catch (IOException e) {
            return null;
        }
    }

    private static void rethrow(Future<?> f) {
        try {
            f.get();
        } catch (java.util.concurrent.ExecutionException e) {
            if (e.getCause() instanceof AssertionError a) {
                throw a;
            }
            throw new AssertionError("client failed: " + e.getCause(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** Polls {@code condition} until it holds; fails with {@code what} at the deadline. */
    static void await(String what, Duration limit, BooleanSupplier condition) {
        long deadline = System.nanoTime() + limit.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                fail("timed out after " + limit.toSeconds() + " s waiting for " + what);
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }

    static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private record Api(HttpClient http, String base, String key) {
        HttpResponse<String> post(String path, String json) throws IOException {
            return send(HttpRequest.newBuilder(URI.create(base + path)).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(json)));
        }

        HttpResponse<String> get(String path) throws IOException {
            return send(HttpRequest.newBuilder(URI.create(base + path)).GET());
        }

        private HttpResponse<String> send(HttpRequest.Builder b) throws IOException {
            try {
                return http.send(b.header("Authorization", "Bearer " + key).timeout(Duration.ofSeconds(60)).build(),
                        HttpResponse.BodyHandlers.ofString());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException(e);
            }
        }
    }

    /** {@code java -jar cachet.jar} in a process of its own, its output to a file under target/crash-logs (TwoNodesIT runs two). */
    static final class Server {
        private final Process process;
        private final Path log;
        private final int port;
        private volatile long killedAt = Long.MAX_VALUE;

        private Server(Process process, Path log, int port) {
            this.process = process;
            this.log = log;
            this.port = port;
        }

        static Server start(Path data, int port) throws IOException {
            Path jar = Path.of(System.getProperty("cachet.itest.distribution"), "cachet.jar");
            assertTrue("build the distribution first: " + jar, Files.isRegularFile(jar));
            Path java = Path.of(System.getProperty("java.home"), "bin", "java");
            // kept after the test (the data directory is not): target/crash-logs
            Path log = Files.createDirectories(Path.of("target", "crash-logs"))
                    .resolve(data.getParent().getFileName() + "-" + System.nanoTime() + ".log").toAbsolutePath();
            Process p = new ProcessBuilder(java.toString(), "-Xmx512m", "-jar", jar.toString(), "--data",
                    data.toString(), "--port", Integer.toString(port)).redirectErrorStream(true)
                    .redirectOutput(log.toFile()).start();
            p.getOutputStream().close();
            return new Server(p, log, port);
        }

        String base() {
            return "http://127.0.0.1:" + port;
        }

        void awaitReady(HttpClient http) {
            awaitReady(http, null);
        }

        /**
         * Waits for {@code GET /health} to answer 200. When it never does, the failure carries what explains it: the
         * detailed health ({@code /api/v1/health}, when {@code apiKey} is given: which check or component is down),
         * the threads of the process ({@code jcmd Thread.print}: a start-up that hangs shows where) and the log's
         * last lines.
         */
        void awaitReady(HttpClient http, String apiKey) {
            String[] last = {"no answer"};
            try {
                await("GET /health to answer 200", START_LIMIT, () -> {
                    if (!process.isAlive()) {
                        fail("cachet.jar exited with " + process.exitValue() + ":\n" + tail());
                    }
                    try {
                        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base() + "/health"))
                                .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
                        last[0] = r.statusCode() + " " + r.body();
                        return r.statusCode() == 200;
                    } catch (IOException e) {
                        last[0] = e.toString();
                        return false;
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new AssertionError(e);
                    }
                });
            } catch (AssertionError e) {
                throw new AssertionError(e.getMessage() + "; last answer: " + last[0] + "\n" + details(http, apiKey)
                        + "\n" + threads() + "\n" + tail(), e);
            }
        }

        private String details(HttpClient http, String apiKey) {
            if (apiKey == null) {
                return "(no API key: no detailed health)";
            }
            try {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base() + "/api/v1/health"))
                        .header("Authorization", "Bearer " + apiKey).timeout(Duration.ofSeconds(10)).build(),
                        HttpResponse.BodyHandlers.ofString());
                return "detailed health: " + r.statusCode() + " " + r.body();
            } catch (IOException e) {
                return "detailed health: " + e;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return "detailed health: interrupted";
            }
        }

        /** The process's threads that run Cachet, Felix or SCR code, from jcmd (a JDK tool, next to java). */
        private String threads() {
            Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
            if (!process.isAlive() || !Files.isExecutable(jcmd)) {
                return "(no thread dump)";
            }
            try {
                Process p = new ProcessBuilder(jcmd.toString(), String.valueOf(process.pid()), "Thread.print")
                        .redirectErrorStream(true).start();
                String dump = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
                p.waitFor(30, TimeUnit.SECONDS);
                StringBuilder kept = new StringBuilder("threads of the process:\n");
                for (String thread : dump.split("\n\n")) {
                    if (thread.contains("io.cachet") || thread.contains("org.apache.felix.scr")
                            || thread.contains("FelixStartLevel")) {
                        kept.append(thread.lines().limit(40).collect(java.util.stream.Collectors.joining("\n")))
                                .append("\n\n");
                    }
                }
                return kept.toString();
            } catch (IOException e) {
                return "(no thread dump: " + e + ")";
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return "(no thread dump: interrupted)";
            }
        }

        /** When {@link #kill} sent the SIGKILL ({@link System#nanoTime}); {@code Long.MAX_VALUE} before. */
        long killedAt() {
            return killedAt;
        }

        /** SIGKILL to the process and anything it started. */
        void kill() {
            List<ProcessHandle> children = process.toHandle().descendants().toList();
            killedAt = System.nanoTime();
            process.destroyForcibly();
            children.forEach(ProcessHandle::destroyForcibly);
            waitGone();
        }

        /** SIGTERM: an orderly shutdown. */
        void stop() {
            process.destroy();
            waitGone();
        }

        private void waitGone() {
            try {
                if (!process.waitFor(60, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                    fail("cachet.jar did not end within 60 s");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }

        /** The file the process writes its terminal output to. */
        Path log() {
            return log;
        }

        String tail() {
            try {
                List<String> lines = Files.readAllLines(log).stream().filter(l -> !l.startsWith("\tat ")).toList();
                return String.join("\n", lines.subList(Math.max(0, lines.size() - 60), lines.size()));
            } catch (IOException e) {
                return "(no log: " + e + ")";
            }
        }
    }

    /** Deletes {@code dir} and everything under it (the tests that start {@code cachet.jar} share it). */
    static void deleteTree(Path dir) {
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + dir, e);
        }
    }

    /**
     * A database of its own on the PostgreSQL test server, made (and, on {@link #close}, dropped) through the
     * server's maintenance database; the tests that start {@code cachet.jar} on PostgreSQL share it.
     */
    record FreshDatabase(String host, String name, String user) implements AutoCloseable {

        static FreshDatabase create(String base, String user, String prefix) throws java.sql.SQLException {
            URI server = URI.create(base.substring("jdbc:".length()));
            String host = "jdbc:postgresql://" + server.getHost() + ":" + (server.getPort() < 0 ? 5432 : server.getPort());
            String name = prefix + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
            try (Connection c = DriverManager.getConnection(host + "/postgres", user, "");
                    Statement s = c.createStatement()) {
                s.execute("CREATE DATABASE " + name);
            }
            return new FreshDatabase(host, name, user);
        }

        String url() {
            return host + "/" + name;
        }

        @Override
        public void close() throws java.sql.SQLException {
            try (Connection c = DriverManager.getConnection(host + "/postgres", user, "");
                    Statement s = c.createStatement()) {
                s.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
            }
        }
    }
}
