package io.cachet.tsa.internal;

import static io.cachet.tsa.internal.TestCa.ok;
import static io.cachet.tsa.internal.TestCa.openssl;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import io.cachet.api.audit.AuditAnchorSigner;
import io.cachet.api.audit.AuditEvent;
import io.cachet.api.audit.AuditLog;
import io.cachet.audit.launch.AuditLogs;
import io.cachet.ca.launch.LocalCa;
import io.cachet.store.testing.TestDatabases;
import io.cachet.tsa.launch.TimeStamping;

/** The audit anchor signer of the bundle over the CA's time-stamping key, with the real audit log and database. */
class TsaAnchorSignerTest {

    @TempDir
    Path dir;

    static java.util.stream.Stream<String> products() {
        return TestDatabases.products();
    }

    @ParameterizedTest
    @MethodSource("products")
    void auditAnchorsAreTimeStampsOfTheCaTsa(String product) throws Exception {
        LocalCa ca = TestCa.ca("Cachet Test");
        try (TestDatabases.Handle h = TestDatabases.open(product, dir)) {
            // the component as SCR makes it, given the key the CA registers
            AuditAnchorSigner signer = new TsaAnchorSignerComponent(TestCa.key("Cachet Test"));
            assertEquals("rfc3161", signer.id());
            AuditLog audit = AuditLogs.open(h.database(), List.of(signer));
            audit.append(AuditEvent.of("api:alice", "test.event", "subject", "payload"));
            assertEquals("rfc3161", audit.anchor().orElseThrow().signer());
            assertTrue(audit.verify().intact(), audit.verify().toString());

            // openssl accepts the anchor's token as a time-stamp of the anchor's statement hash
            Files.write(dir.resolve("anchor.tst"), audit.anchor().orElseThrow().token());
            var r = ok(openssl(dir, "ts", "-reply", "-in", "anchor.tst", "-token_in", "-text"));
            assertTrue(r.out().contains("Hash Algorithm: sha256"), r.out());

            byte[] statement = "statement".getBytes(StandardCharsets.UTF_8);
            byte[] proof = signer.sign(statement);
            assertTrue(signer.verify(statement, proof));
            assertFalse(signer.verify("other".getBytes(StandardCharsets.UTF_8), proof));
            assertFalse(signer.verify(statement, new byte[] { 0x30, 0x00 }));
            // the offline verifier (cachet-cli audit verify) trusts the issuing CA and checks the same anchors
            AuditAnchorSigner offline = TimeStamping.anchorSigner(null, () -> List.of(ca.issuing()));
            assertTrue(offline.verify(statement, proof));
            // a TSA under another CA is not trusted, although its token is well formed
            byte[] foreignProof = TimeStamping.anchorSigner(TimeStamping.authority(TestCa.key("Other"),
                    Clock.systemUTC()), () -> List.of(TestCa.ca("Other").issuing())).sign(statement);
            assertFalse(signer.verify(statement, foreignProof));
            assertFalse(offline.verify(statement, foreignProof));
        }
    }
}
