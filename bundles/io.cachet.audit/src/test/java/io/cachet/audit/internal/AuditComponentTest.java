package io.cachet.audit.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.annotation.Annotation;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import com.sun.net.httpserver.HttpServer;

import io.cachet.api.audit.AuditAnchorSigner;
import io.cachet.api.audit.AuditEvent;
import io.cachet.api.audit.AuditVerification;
import io.cachet.api.security.SecretVault;
import io.cachet.api.store.Database;
import io.cachet.store.testing.TestVaults;
import io.cachet.store.testing.TestDatabases;

class AuditComponentTest {

    @TempDir
    Path temp;

    static Stream<String> products() {
        return TestDatabases.products();
    }

    private Path data() {
        return temp.resolve("data");
    }

    private SecretVault vault() {
        return TestVaults.embedded(data());
    }

    static AuditConfiguration config(int intervalSeconds, int everyRecords, String witnessUrl) {
        return new AuditConfiguration() {
            @Override
            public int anchorIntervalSeconds() {
                return intervalSeconds;
            }

            @Override
            public int anchorEveryRecords() {
                return everyRecords;
            }

            @Override
            public String witnessUrl() {
                return witnessUrl;
            }

            @Override
            public int witnessTimeoutSeconds() {
                return 5;
            }

            @Override
            public Class<? extends Annotation> annotationType() {
                return AuditConfiguration.class;
            }
        };
    }

    private AuditComponent component(Database db, AuditConfiguration config) {
        return new AuditComponent(db, vault(), config, data());
    }

    /** Polls {@code condition} until it holds or a generous deadline passes (a bound against hanging, not a timing check). */
    static void await(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for: " + what);
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted waiting for: " + what);
            }
        }
    }

    private List<String> journalAnchors() throws IOException {
        Path file = AnchorJournal.in(data());
        return Files.exists(file) ? Files.readAllLines(file).stream().filter(l -> l.startsWith("anchor ")).toList()
                : List.of();
    }

    private static AuditAnchorSigner named(String id) {
        return new AuditAnchorSigner() {
            @Override
            public String id() {
                return id;
            }

            @Override
            public byte[] sign(byte[] statement) {
                return new byte[0];
            }

            @Override
            public boolean verify(byte[] statement, byte[] token) {
                return false;
            }
        };
    }

    private static Map.Entry<Map<String, Object>, AuditAnchorSigner> service(Integer ranking, long serviceId, String id) {
        Map<String, Object> properties = new HashMap<>();
        if (ranking != null) {
            properties.put("service.ranking", ranking);
        }
        properties.put("service.id", serviceId);
        return Map.entry(properties, named(id));
    }

    @Test
    void theHighestRankedSignerComesFirstThenTheOldest() {
        List<AuditAnchorSigner> ordered = AuditComponent.bestFirst(List.of(
                service(null, 1, "unranked"), service(0, 7, "local-newer"), service(100, 9, "tsa"),
                service(0, 3, "local-older"), service(-5, 2, "last")));
        assertEquals(List.of("tsa", "unranked", "local-older", "local-newer", "last"),
                ordered.stream().map(AuditAnchorSigner::id).toList());
        assertEquals(List.of(), AuditComponent.bestFirst(List.of()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("products")
    void deactivationAnchorsTheChangedHeadInTheJournalEvenWithNoSignerServiceLeft(String product) throws Exception {
        try (var h = TestDatabases.open(product, temp)) {
            AuditComponent component = component(h.database(), config(3600, 1000, ""));
            component.append(AuditEvent.of("system", "test.stop", "", ""));
            component.append(AuditEvent.of("system", "test.stop", "", ""));
            assertEquals(List.of(), journalAnchors(), "nothing anchored yet");
            // as at a framework stop: the signer services (the CA's TSA) are already gone
            component.signers = List.of();
            component.deactivate();
            assertEquals(1, journalAnchors().size());
            assertTrue(journalAnchors().get(0).contains(" 2 "), journalAnchors().get(0));

            AuditComponent restarted = component(h.database(), config(3600, 1000, ""));
            AuditVerification v = restarted.verify();
            assertTrue(v.intact(), v.problems().toString());
            assertEquals(0, v.unanchoredRecords());
            assertEquals(1, v.anchorsChecked());
            assertEquals(List.of(), v.warnings());
            restarted.deactivate();
            assertEquals(1, journalAnchors().size(), "an unchanged head is not anchored again");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("products")
    void anchorsInTheBackgroundEveryNRecords(String product) {
        try (var h = TestDatabases.open(product, temp)) {
            AuditComponent component = component(h.database(), config(0, 5, ""));
            JdbcAuditLog log = new JdbcAuditLog(h.database(), java.time.Clock.systemUTC(), List::of);
            for (int i = 1; i <= 4; i++) {
                component.append(AuditEvent.of("system", "test.count", "", "" + i));
            }
            assertEquals(0, log.newestAnchoredSequence(), "4 records: below the count");
            component.append(AuditEvent.of("system", "test.count", "", "5"));
            await("an anchor of record 5", () -> log.newestAnchoredSequence() == 5);
            for (int i = 6; i <= 9; i++) {
                component.append(AuditEvent.of("system", "test.count", "", "" + i));
            }
            component.append(AuditEvent.of("system", "test.count", "", "10"));
            await("an anchor of record 10", () -> log.newestAnchoredSequence() == 10);
            AuditVerification v = component.verify();
            assertTrue(v.intact(), v.problems().toString());
            assertEquals(2, v.anchorsChecked());
            component.deactivate();
        }
    }

    @Test
    void sigtermWithoutAFrameworkStopStillAnchors() throws Exception {
        String javaCommand = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Path output = temp.resolve("process.out");
        Process p = new ProcessBuilder(javaCommand, "-cp", System.getProperty("java.class.path"),
                ExitAnchorMain.class.getName(), data().toString(), "3").redirectErrorStream(true)
                .redirectOutput(output.toFile()).start();
        try {
            await("the process to run", () -> {
                try {
                    return !p.isAlive() || Files.readString(output).lines().anyMatch("ready"::equals);
                } catch (IOException e) {
                    return false;
                }
            });
            assertTrue(p.isAlive(), "the process runs: " + Files.readString(output));
            assertEquals(List.of(), journalAnchors());
            p.destroy(); // SIGTERM
            assertTrue(p.waitFor(60, java.util.concurrent.TimeUnit.SECONDS), "a bound against hanging");
        } finally {
            p.destroyForcibly();
        }
        assertEquals(1, journalAnchors().size());
        assertTrue(journalAnchors().get(0).contains(" 3 "), journalAnchors().get(0));
        try (var h = TestDatabases.embedded(data())) {
            AuditVerification v = new JdbcAuditLog(h.database(), java.time.Clock.systemUTC(),
                    () -> List.of(LocalAnchorSigner.verifier(data().resolve("keys"))), AnchorJournal.in(data())).verify();
            assertTrue(v.intact(), v.problems().toString());
            assertEquals(0, v.unanchoredRecords());
        }
    }

    @Test
    void intervalAndCountZeroStillAnchorAtStop() throws Exception {
        try (var h = TestDatabases.open("h2", temp)) {
            AuditComponent component = component(h.database(), config(0, 0, ""));
            for (int i = 0; i < 3; i++) {
                component.append(AuditEvent.of("system", "test.stop", "", ""));
            }
            AuditVerification v = component.verify();
            assertEquals(0, v.anchorsChecked());
            assertEquals(3, v.unanchoredRecords(), "said, but not a failure");
            assertTrue(v.intact());
            component.deactivate();
            assertEquals(1, journalAnchors().size());
        }
    }

    @Test
    void badSettingsAreRefusedWithThePidNamed() {
        try (var h = TestDatabases.open("h2", temp)) {
            for (AuditConfiguration bad : List.of(config(-1, 1000, ""), config(300, -1, ""),
                    config(300, 1000, "ftp://witness.example/"), config(300, 1000, "not a url"))) {
                IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                        () -> component(h.database(), bad));
                assertTrue(e.getMessage().contains("io.cachet.audit"), e.getMessage());
            }
        }
    }

    @Test
    void everyAnchorReachesTheWitnessAndAFailedDeliveryIsRetried() throws Exception {
        List<String> received = new CopyOnWriteArrayList<>();
        AtomicInteger calls = new AtomicInteger();
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/anchors", exchange -> {
            byte[] body = exchange.getRequestBody().readAllBytes();
            // the first delivery fails: it must be retried, not lost
            int status = calls.incrementAndGet() == 1 ? 503 : 204;
            if (status == 204) {
                assertEquals("POST", exchange.getRequestMethod());
                received.add(new String(body, StandardCharsets.UTF_8));
            }
            exchange.sendResponseHeaders(status, -1);
            exchange.close();
        });
        server.start();
        String url = "http://127.0.0.1:" + server.getAddress().getPort() + "/anchors";
        try (var h = TestDatabases.open("h2", temp)) {
            AuditComponent component = component(h.database(), config(3600, 1000, url));
            component.append(AuditEvent.of("system", "test.witness", "", "1"));
            component.anchor().orElseThrow();
            component.append(AuditEvent.of("system", "test.witness", "", "2"));
            component.anchor().orElseThrow();
            await("both anchors at the witness", () -> received.size() == 2);
            assertEquals(journalAnchors().stream().map(l -> l + "\n").toList(), received);
            assertTrue(calls.get() >= 3, "the failed delivery was tried again");
            component.deactivate();
        } finally {
            server.stop(0);
        }
    }

    @Test
    void anchorsTheWitnessMissedAreSentAfterTheNextStart() throws Exception {
        List<String> received = new CopyOnWriteArrayList<>();
        java.util.concurrent.atomic.AtomicBoolean up = new java.util.concurrent.atomic.AtomicBoolean();
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            byte[] body = exchange.getRequestBody().readAllBytes();
            if (up.get()) {
                received.add(new String(body, StandardCharsets.UTF_8));
            }
            exchange.sendResponseHeaders(up.get() ? 200 : 503, -1); // down: failing, as a witness under maintenance
            exchange.close();
        });
        server.start();
        String url = "http://127.0.0.1:" + server.getAddress().getPort() + "/";
        try (var h = TestDatabases.open("h2", temp)) {
            // the witness is down: nothing is received, the audit log goes on
            AuditComponent first = component(h.database(), config(3600, 1000, url));
            first.append(AuditEvent.of("system", "test.witness", "", "1"));
            first.anchor().orElseThrow();
            first.append(AuditEvent.of("system", "test.witness", "", "2"));
            first.deactivate(); // anchors record 2 at stop
            assertEquals(2, journalAnchors().size());
            assertTrue(received.isEmpty());

            up.set(true);
            AuditComponent second = component(h.database(), config(3600, 1000, url));
            await("the missed anchors at the witness", () -> received.size() == 2);
            assertEquals(journalAnchors().stream().map(l -> l + "\n").toList(), received);
            second.deactivate();
            AuditComponent third = component(h.database(), config(3600, 1000, url));
            third.append(AuditEvent.of("system", "test.witness", "", "3"));
            third.anchor().orElseThrow();
            await("the new anchor at the witness", () -> received.size() == 3);
            third.deactivate();
            assertEquals(journalAnchors().stream().map(l -> l + "\n").toList(), received, "none sent twice");
        } finally {
            server.stop(0);
        }
        assertFalse(received.isEmpty());
    }
}
