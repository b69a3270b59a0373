package io.cachet.ca.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.cachet.api.audit.AuditLog;
import io.cachet.api.audit.AuditRecord;
import io.cachet.api.ca.IssuedCertificate;
import io.cachet.api.ca.SealCertificateRequest;
import io.cachet.api.security.SecretVault;
import io.cachet.api.testing.ForwardingToken;
import io.cachet.api.testing.ForwardingTokenDriver;
import io.cachet.api.token.KeyAlgorithm;
import io.cachet.api.token.PinPolicy;
import io.cachet.api.token.Token;
import io.cachet.api.token.TokenDriver;
import io.cachet.api.token.TokenInfo;
import io.cachet.api.token.TokenKey;
import io.cachet.audit.launch.AuditLogs;
import io.cachet.store.testing.TestDatabases;
import io.cachet.store.testing.TestVaults;
import io.cachet.token.soft.launch.SoftTokens;

/**
 * The first start's key ceremony killed at every step that changes a token: the CA token's and the root token's
 * initialisation, each key generated, each certificate stored (before the step and just after it). The kill is an
 * {@link Error} thrown there, which no clean-up of Cachet's catches, the database rolling back what it had not
 * committed: what a {@code kill -9} leaves on the disk. The next start on the same data directory and tokens must
 * finish the ceremony into one working CA: one CA token, one root token, the root key on the root token only,
 * openssl verifying the chain and an issued certificate, the root PIN file opening the root token, one ceremony in
 * the audit log and no mark of an unfinished one left.
 */
class KeyCeremonyCrashTest {

    @TempDir
    Path dir;

    /** The process "dies" at the {@code killAt}-th crash point: before or after a token-changing step. */
    static final class Killed extends Error {
        private static final long serialVersionUID = 1L;

        Killed(String where) {
            super("killed " + where);
        }
    }

    @Test
    void aFirstStartKilledAtAnyStepOfTheKeyCeremonyIsFinishedByTheNextStart() throws Exception {
        List<String> steps = new ArrayList<>();
        for (int killAt = 0;; killAt++) {
            Path data = dir.resolve("run-" + killAt);
            Path work = Files.createDirectories(dir.resolve("work-" + killAt));
            SecretVault vault = TestVaults.embedded(data);
            try (TestDatabases.Handle db = TestDatabases.open("h2", data)) {
                Killing driver = new Killing(SoftTokens.driver(data.resolve("tokens"), 3), killAt);
                try {
                    start(driver, db, vault, data).deactivate();
                    // no step left to kill at: every earlier run was killed at a step of its own
                    assertTrue(killAt >= 20, "only " + killAt + " steps: " + steps);
                    return;
                } catch (Killed k) {
                    steps.add(k.getMessage());
                }
                CaComponent ca = start(SoftTokens.driver(data.resolve("tokens"), 3), db, vault, data);
                try {
                    assertOneWorkingCa(k(killAt, steps), ca, data, work, db);
                } finally {
                    ca.deactivate();
                }
            }
        }
    }

    private static String k(int killAt, List<String> steps) {
        return "after " + steps.get(killAt);
    }

    private static CaComponent start(TokenDriver driver, TestDatabases.Handle db, SecretVault vault, Path data) {
        AuditLog audit = AuditLogs.open(db.database(), List.of());
        return new CaComponent(driver, db.database(), audit, vault, CaComponentTest.config(Map.of()), data, "8443",
                Clock.systemUTC());
    }

    private void assertOneWorkingCa(String when, CaComponent ca, Path data, Path work, TestDatabases.Handle db)
            throws Exception {
        TokenDriver driver = SoftTokens.driver(data.resolve("tokens"), 3);
        List<String> labels = driver.tokens().stream().filter(t -> t.has(TokenInfo.Flag.INITIALIZED))
                .map(TokenInfo::label).sorted().toList();
        assertEquals(List.of("Cachet CA", "Cachet Root CA"), labels, when);
        assertFalse(Files.exists(data.resolve("secrets").resolve(CaComponent.CEREMONY_MARKER)), when);
        try (Stream<Path> secrets = Files.list(data.resolve("secrets"))) {
            List<String> left = secrets.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".pending"))
                    .toList();
            assertTrue(left.isEmpty(), when + ": " + left);
        }

        // the root PIN file (clear, for the operator) opens the root token, which holds the root key only
        Path rootPin = data.resolve("secrets/root-token.pin");
        long rootSlot = driver.tokens().stream().filter(t -> "Cachet Root CA".equals(t.label())).findFirst()
                .orElseThrow().slotId();
        Pki.Result opened = Pki.openssl(work, "pkcs12", "-in", data.resolve("tokens/token-" + rootSlot + ".p12")
                .toString(), "-passin", "file:" + rootPin, "-nokeys", "-info");
        CaTest.ok(opened);
        assertTrue(opened.out().contains("friendlyName: ca-root") && !opened.out().contains("ca-issuing"),
                when + ": " + opened.out());

        // openssl: the issuing CA under the root, and a certificate the CA issues now under both
        X509Certificate issuing = ca.chain().get(0);
        X509Certificate root = ca.chain().get(1);
        IssuedCertificate leaf = ca.issue(TrustServicesTest.request(CaTest.csrPem(Pki.ec("secp256r1")),
                SealCertificateRequest.Profile.QSCD), "api:alice");
        Pki.write(work, "root.pem", root);
        Pki.write(work, "issuing.pem", issuing);
        Pki.write(work, "leaf.pem", leaf.certificate());
        CaTest.ok(Pki.openssl(work, "verify", "-CAfile", "root.pem", "-untrusted", "issuing.pem", "leaf.pem"));

        List<AuditRecord> records = AuditLogs.open(db.database(), List.of()).read(1, 1000);
        assertEquals(1, records.stream().filter(r -> r.action().equals("ca.ceremony.completed")).count(),
                when + ": " + records.stream().map(AuditRecord::action).toList());
        assertEquals("ca:" + issuing.getSerialNumber().toString(16), records.stream()
                .filter(r -> r.action().equals("ca.ceremony.completed")).findFirst().orElseThrow().subject(), when);
    }

    /** The software token driver, with a crash point before and after each step that changes a token. */
    static final class Killing extends ForwardingTokenDriver {
        private final int killAt;
        private int point;

        Killing(TokenDriver real, int killAt) {
            super(real);
            this.killAt = killAt;
        }

        private void point(String where) {
            if (point++ == killAt) {
                throw new Killed(where);
            }
        }

        <T> T step(String what, java.util.function.Supplier<T> action) {
            point("before " + what);
            T result = action.get();
            point("after " + what);
            return result;
        }

        @Override
        public TokenInfo initialize(long slotId, char[] soPin, char[] userPin, String label, PinPolicy policy) {
            return step("initialising '" + label + "'", () -> delegate.initialize(slotId, soPin, userPin, label,
                    policy));
        }

        @Override
        public Token login(String serial, char[] userPin) {
            return new ForwardingToken(delegate.login(serial, userPin)) {
                @Override
                public TokenKey generateKeyPair(String alias, KeyAlgorithm algorithm) {
                    return step("generating " + alias, () -> delegate.generateKeyPair(alias, algorithm));
                }

                @Override
                public void importCertificate(String alias, X509Certificate certificate) {
                    step("storing the certificate of " + alias, () -> {
                        delegate.importCertificate(alias, certificate);
                        return null;
                    });
                }
            };
        }
    }
}
