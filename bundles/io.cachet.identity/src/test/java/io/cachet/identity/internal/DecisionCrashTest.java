package io.cachet.identity.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.cachet.api.identity.CaseStatus;
import io.cachet.api.identity.IdentityCase;
import io.cachet.api.order.CheckStatus;
import io.cachet.api.order.Order;
import io.cachet.api.order.OrderState;
import io.cachet.store.testing.TestDatabases;

/**
 * An acknowledged decision survives {@code kill -9}: a process of its own ({@link CrashChild}) approves a case on the
 * embedded H2 database of a data directory, opened with the server's URL (no write delay); as soon as
 * {@code decide} has returned the process is killed with SIGKILL; reopened, the database holds the approval, the
 * order's passed check and the audit record.
 */
class DecisionCrashTest {

    @TempDir
    Path dir;

    @Test
    void anApprovalAnsweredBeforeAKillIsThereAfterIt() throws Exception {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process child = new ProcessBuilder(java.toString(), "-cp", System.getProperty("java.class.path"),
                CrashChild.class.getName(), dir.toString()).redirectErrorStream(true).start();
        String[] decided;
        try {
            CompletableFuture<String> line = CompletableFuture.supplyAsync(() -> {
                try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(),
                        StandardCharsets.UTF_8))) {
                    StringBuilder seen = new StringBuilder();
                    for (String l; (l = out.readLine()) != null;) {
                        if (l.startsWith("DECIDED ")) {
                            return l;
                        }
                        seen.append(l).append('\n');
                    }
                    throw new IllegalStateException("the child ended without deciding:\n" + seen);
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            decided = line.get(120, TimeUnit.SECONDS).split(" ");
        } finally {
            child.destroyForcibly(); // SIGKILL on Linux: no shutdown hook, no close of the database
            child.waitFor(30, TimeUnit.SECONDS);
        }
        assertEquals("APPROVED", decided[3]);

        try (Fixture f = new Fixture(TestDatabases.embedded(dir), dir, Map.of())) {
            IdentityCase k = f.cases.find(decided[1]).orElseThrow();
            assertEquals(CaseStatus.APPROVED, k.status());
            assertEquals(1, k.decisions().size());
            assertEquals("alice", k.decisions().get(0).operator());
            assertNotNull(k.currentAttempt().submittedAt());
            Order o = f.orders.find(decided[2]).orElseThrow();
            assertEquals(OrderState.ACCEPTANCE, o.state());
            assertEquals(CheckStatus.PASSED, o.checks().stream()
                    .filter(c -> c.kind().equals("identity.certificate-manager")).findFirst().orElseThrow().status());
            List<String> actions = f.actions("identity-case:" + k.id());
            assertTrue(actions.contains("identity.case.approved"), actions.toString());
            assertTrue(f.audit.verify().intact(), "the audit chain is intact after the kill");
        }
    }
}
