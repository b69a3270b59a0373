package io.cachet.identity.vendor.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import io.cachet.api.audit.AuditLog;
import io.cachet.api.audit.AuditRecord;
import io.cachet.api.identity.CaseStatus;
import io.cachet.api.identity.DocumentType;
import io.cachet.api.identity.Evidence;
import io.cachet.api.identity.EvidenceKind;
import io.cachet.api.identity.IdentityCase;
import io.cachet.api.identity.IdentityCases;
import io.cachet.api.identity.IdentityException;
import io.cachet.api.identity.MrzData;
import io.cachet.api.identity.ProviderResult;
import io.cachet.audit.launch.AuditLogs;
import io.cachet.identity.vendor.testing.FakeVendor;
import io.cachet.store.testing.TestDatabases;

/**
 * The webhook's whole path on H2 and PostgreSQL with the real store and audit log: valid, bad signature, stale,
 * replayed (also two copies racing), unknown session, malformed, too large. The identity service is stood in for
 * by a recorder of {@code providerResult} calls that writes a row in the caller's transaction, as the real one does
 * (the real one runs in the integration tests of test/itest).
 */
class VendorWebhooksTest {

    static final long NOW = 1_796_212_800L;

    @TempDir
    Path dir;

    static Stream<String> products() {
        return TestDatabases.products();
    }

    /** Records results in a table of its own, in the caller's transaction; CONFLICT for a case told so. */
    static final class RecordingCases implements IdentityCases {
        final io.cachet.api.store.Database database;
        final Map<String, String> caseBySession = new ConcurrentHashMap<>();
        final List<ProviderResult> results = new CopyOnWriteArrayList<>();
        volatile String conflictCase;

        RecordingCases(io.cachet.api.store.Database database) {
            this.database = database;
            database.inTransaction(c -> c.createStatement().execute(
                    "CREATE TABLE recorded_result (case_id VARCHAR(100) NOT NULL, outcome VARCHAR(20) NOT NULL)"));
        }

        long recorded() {
            return database.inTransaction(c -> {
                try (var rs = c.createStatement().executeQuery("SELECT COUNT(*) FROM recorded_result")) {
                    rs.next();
                    return rs.getLong(1);
                }
            });
        }

        @Override
        public Optional<IdentityCase> byReference(String provider, String reference) {
            String id = "vendor".equals(provider) ? caseBySession.get(reference) : null;
            return id == null ? Optional.empty() : Optional.of(new IdentityCase(id, "ord", null, "M", "Z", null, "e",
                    CaseStatus.IN_PROGRESS, "vendor", List.of(), 3, List.of(), "l", Instant.EPOCH, Instant.EPOCH, null));
        }

        @Override
        public IdentityCase providerResult(String caseId, ProviderResult result, String actor) {
            if (caseId.equals(conflictCase)) {
                throw new IdentityException(IdentityException.Reason.CONFLICT, "case.not-open", "No attempt is open.");
            }
            database.inTransaction(c -> {
                try (var s = c.prepareStatement("INSERT INTO recorded_result VALUES (?, ?)")) {
                    s.setString(1, caseId);
                    s.setString(2, result.outcome().name());
                    return s.executeUpdate();
                }
            });
            results.add(result);
            return null;
        }

        // not used by the webhook
        @Override public Optional<IdentityCase> find(String caseId) { throw new UnsupportedOperationException(); }
        @Override public List<IdentityCase> forOrder(String orderId) { throw new UnsupportedOperationException(); }
        @Override public Optional<IdentityCase> byFlowToken(String flowToken) { throw new UnsupportedOperationException(); }
        @Override public List<DocumentType> acceptedDocuments() { throw new UnsupportedOperationException(); }
        @Override public Evidence addImage(String c, EvidenceKind k, byte[] i, String a) { throw new UnsupportedOperationException(); }
        @Override public MrzData submitDocument(String c, String d, String m, String a) { throw new UnsupportedOperationException(); }
        @Override public IdentityCase submit(String caseId, String actor) { throw new UnsupportedOperationException(); }
        @Override public List<IdentityCase> queue(int limit) { throw new UnsupportedOperationException(); }
        @Override public IdentityCase review(String caseId, String operator) { throw new UnsupportedOperationException(); }
        @Override public byte[] image(String c, int a, EvidenceKind k, String o) { throw new UnsupportedOperationException(); }
        @Override public List<String> rejectionReasons() { throw new UnsupportedOperationException(); }
        @Override public IdentityCase decide(String c, boolean a, String r, String m, boolean al, String o) { throw new UnsupportedOperationException(); }
    }

    final class Env implements AutoCloseable {
        final TestDatabases.Handle handle;
        final AuditLog audit;
        final RecordingCases cases;
        final ReplayStore replays;
        final VendorWebhooks webhooks;

        Env(String product) {
            handle = TestDatabases.open(product, dir);
            audit = AuditLogs.open(handle.database(), List.of());
            cases = new RecordingCases(handle.database());
            cases.caseBySession.put("ses_1", "idc_1");
            cases.caseBySession.put("ses_2", "idc_2");
            VendorSettings settings = Configs.settings(Map.of("previousWebhookSecret", Configs.PREVIOUS));
            replays = new ReplayStore(handle.database());
            replays.migrate();
            webhooks = new VendorWebhooks(settings, replays, cases, handle.database(), audit,
                    Clock.fixed(Instant.ofEpochSecond(NOW), ZoneOffset.UTC));
        }

        VendorWebhooks.Answer send(String body, String secret, long ts) {
            byte[] b = body.getBytes(StandardCharsets.UTF_8);
            return webhooks.receive(Long.toString(ts), FakeVendor.signature(secret, ts, b), b);
        }

        List<String> audited(String action) {
            return audit.read(1, 10_000).stream().filter(r -> r.action().equals(action)).map(AuditRecord::subject)
                    .toList();
        }

        @Override
        public void close() {
            handle.close();
        }
    }

    static String body(String event, String session) {
        return FakeVendor.resultBody(event, session, "approved", "MARTIN", "Zoé", "1985-03-14", "passport", "X1",
                "2031-04-15");
    }

    @ParameterizedTest
    @MethodSource("products")
    void aValidResultIsRecordedOnceAndEveryRefusalChangesNothing(String product) {
        try (Env env = new Env(product)) {
            VendorWebhooks.Answer ok = env.send(body("evt_1", "ses_1"), Configs.SECRET, NOW - 10);
            assertEquals(200, ok.status(), ok.message());
            assertEquals("idc_1", ok.caseId());
            assertEquals(1, env.cases.recorded());
            assertEquals(ProviderResult.Outcome.VERIFIED, env.cases.results.get(0).outcome());
            assertTrue(env.replays.seen("vendor", "evt_1"));
            assertEquals(List.of("identity-case:idc_1"), env.audited("identity.vendor.webhook.accepted"));

            // replayed: the same bytes and signature, or re-signed (previous secret) with a fresh timestamp
            VendorWebhooks.Answer replay = env.send(body("evt_1", "ses_1"), Configs.SECRET, NOW - 10);
            assertEquals(409, replay.status());
            assertEquals("event.replayed", replay.code());
            assertEquals(409, env.send(body("evt_1", "ses_1"), Configs.PREVIOUS, NOW).status());
            // bad signature, stale either side, unknown session, malformed, too large, no headers
            byte[] b = body("evt_2", "ses_2").getBytes(StandardCharsets.UTF_8);
            assertEquals("signature.mismatch", env.webhooks.receive(Long.toString(NOW),
                    FakeVendor.signature("not-the-secret", NOW, b), b).code());
            assertEquals(401, env.send(body("evt_2", "ses_2"), Configs.SECRET, NOW - 301).status());
            assertEquals("timestamp.stale", env.send(body("evt_2", "ses_2"), Configs.SECRET, NOW + 400).code());
            VendorWebhooks.Answer unknown = env.send(body("evt_3", "ses_unknown"), Configs.SECRET, NOW);
            assertEquals(404, unknown.status());
            assertEquals("session.unknown", unknown.code());
            assertEquals(400, env.send("{\"event_id\":\"evt_4\"", Configs.SECRET, NOW).status());
            assertEquals(413, env.send(body("evt_5", "ses_2") + " ".repeat(64 * 1024), Configs.SECRET, NOW).status());
            assertEquals(401, env.webhooks.receive(null, null, b).status());

            assertEquals(1, env.cases.recorded(), "no refusal changed anything");
            assertFalse(env.replays.seen("vendor", "evt_2"));
            assertFalse(env.replays.seen("vendor", "evt_3"));
            List<String> refused = env.audited("identity.vendor.webhook.refused");
            assertEquals(9, refused.size(), refused.toString());
            assertTrue(refused.contains("identity-case:idc_1"));
            assertTrue(refused.contains("provider:vendor"));
        }
    }

    @ParameterizedTest
    @MethodSource("products")
    void aResultTheCaseNoLongerAwaitsIsAConflictAndItsEventIdIsNotBurnt(String product) {
        try (Env env = new Env(product)) {
            env.cases.conflictCase = "idc_2";
            VendorWebhooks.Answer late = env.send(body("evt_9", "ses_2"), Configs.SECRET, NOW);
            assertEquals(409, late.status());
            assertEquals("case.not-open", late.code());
            assertEquals(0, env.cases.recorded());
            assertFalse(env.replays.seen("vendor", "evt_9"), "rolled back with the refused result");
            env.cases.conflictCase = null;
            assertEquals(200, env.send(body("evt_9", "ses_2"), Configs.SECRET, NOW).status());
            assertEquals(1, env.cases.recorded());
        }
    }

    @ParameterizedTest
    @MethodSource("products")
    void twoCopiesOfOneEventRacingApplyOnce(String product) throws Exception {
        try (Env env = new Env(product)) {
            for (int round = 0; round < 5; round++) {
                String event = "evt_race_" + round;
                CountDownLatch go = new CountDownLatch(1);
                ExecutorService pool = Executors.newFixedThreadPool(2);
                try {
                    Callable<Integer> send = () -> {
                        go.await();
                        return env.send(body(event, "ses_1"), Configs.SECRET, NOW).status();
                    };
                    Future<Integer> a = pool.submit(send);
                    Future<Integer> b = pool.submit(send);
                    go.countDown();
                    List<Integer> statuses = Stream.of(a.get(), b.get()).sorted().toList();
                    assertEquals(List.of(200, 409), statuses, "round " + round);
                } finally {
                    pool.shutdown();
                }
            }
            assertEquals(5, env.cases.recorded());
        }
    }

    @ParameterizedTest
    @MethodSource("products")
    void eventIdsArePurgedOnlyAfterTheirExpiry(String product) {
        try (Env env = new Env(product)) {
            assertEquals(200, env.send(body("evt_old", "ses_1"), Configs.SECRET, NOW).status());
            assertEquals(0, env.replays.purge(Instant.ofEpochSecond(NOW).plusSeconds(86_399)));
            assertTrue(env.replays.seen("vendor", "evt_old"));
            assertEquals(1, env.replays.purge(Instant.ofEpochSecond(NOW).plusSeconds(86_401)));
            assertFalse(env.replays.seen("vendor", "evt_old"));
        }
    }
}
