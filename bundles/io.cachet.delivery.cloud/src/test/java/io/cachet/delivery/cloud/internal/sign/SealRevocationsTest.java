package io.cachet.delivery.cloud.internal.sign;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import io.cachet.api.ca.IssuedCertificate;
import io.cachet.api.ca.RevocationReason;
import io.cachet.delivery.cloud.internal.HolderSession;
import io.cachet.delivery.cloud.internal.sign.ClickCertException.Kind;
import io.cachet.delivery.cloud.internal.sign.ClickCertService.SignRequest;
import io.cachet.delivery.cloud.internal.sign.SealRevocations.Refused;
import io.cachet.delivery.cloud.internal.sign.SealRevocations.Request;
import io.cachet.delivery.cloud.internal.sign.SealRevocations.Why;
import io.cachet.signature.testing.Pdfs;
import io.cachet.store.testing.TestDatabases;

/**
 * A holder revoking their own cloud seal's certificate, on H2 and PostgreSQL: only their own, only with a
 * subscriber's reason, the finality confirmed and their re-authentication (password and second factor) in the same
 * call; every refusal audited and nothing revoked; once revoked the seal shows it and no longer signs. The revocation
 * itself is the issuance module's (a stand-in here; IssuanceServiceTest revokes on the real CA).
 */
class SealRevocationsTest {

    @TempDir
    Path dir;

    static Stream<String> products() {
        return TestDatabases.products();
    }

    private static Request request(String orderId, String reason, boolean confirmed, String password, String kind,
            String code) {
        return new Request(orderId, reason, confirmed, password == null ? null : password.toCharArray(), kind, code);
    }

    private static Why refused(Fixture f, HolderSession s, Request r) {
        Refused e = assertThrows(Refused.class, () -> f.revocations.revoke(s, r, null, "203.0.113.9"));
        assertTrue(f.keys.revocations.isEmpty(), "nothing revoked after " + e.why() + ": " + f.keys.revocations);
        assertFalse(e.getMessage().isBlank());
        return e.why();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("products")
    void theHolderRevokesTheirOwnSealOnlyWithAReasonTheConfirmationAndTheirCredentials(String product)
            throws Exception {
        try (Fixture f = new Fixture(product, dir)) {
            f.holderWithSeal("h1", "ord_1");
            f.holderWithSeal("h2", "ord_2");
            f.holders.factors.get("h1").add("totp");
            HolderSession anna = f.holders.login("h1");
            String pw = Fixture.PASSWORD;

            assertEquals(Why.NO_SEAL, refused(f, anna, request(" ", "keyCompromise", true, pw, "totp", Fixture.TOTP)));
            assertEquals(Why.NO_REASON, refused(f, anna, request("ord_1", null, true, pw, "totp", Fixture.TOTP)));
            assertEquals(Why.NO_REASON, refused(f, anna, request("ord_1", "bored", true, pw, "totp", Fixture.TOTP)));
            // the CA's own reason and the provider's decision are not a subscriber's to give
            assertEquals(Why.NO_REASON, refused(f, anna, request("ord_1", "cACompromise", true, pw, "totp",
                    Fixture.TOTP)));
            assertEquals(Why.NO_REASON, refused(f, anna, request("ord_1", "privilegeWithdrawn", true, pw, "totp",
                    Fixture.TOTP)));
            assertEquals(Why.NOT_CONFIRMED, refused(f, anna, request("ord_1", "keyCompromise", false, pw, "totp",
                    Fixture.TOTP)));
            assertTrue(f.holders.confirms.isEmpty(), "nothing asked of the accounts before the form is complete");

            assertEquals(Why.AUTHENTICATION, refused(f, anna, request("ord_1", "keyCompromise", true, null, null,
                    null)));
            Refused wrong = assertThrows(Refused.class, () -> f.revocations.revoke(anna, request("ord_1",
                    "keyCompromise", true, "wrong", "totp", Fixture.TOTP), null, "x"));
            assertEquals("clickcert.revoke.error.auth.wrong-password", wrong.key());
            Refused noFactor = assertThrows(Refused.class, () -> f.revocations.revoke(anna, request("ord_1",
                    "keyCompromise", true, pw, null, null), null, "x"));
            assertEquals("clickcert.revoke.error.auth.factor-required", noFactor.key());
            Refused badFactor = assertThrows(Refused.class, () -> f.revocations.revoke(anna, request("ord_1",
                    "keyCompromise", true, pw, "totp", "000000"), null, "x"));
            assertEquals("clickcert.revoke.error.auth.wrong-factor", badFactor.key());
            assertEquals(Why.AUTHENTICATION, badFactor.why());
            assertEquals(401, badFactor.why().status());
            // another holder's seal, with Anna's own good credentials: not hers
            assertEquals(Why.NOT_YOURS, refused(f, anna, request("ord_2", "keyCompromise", true, pw, "totp",
                    Fixture.TOTP)));
            assertTrue(f.keys.revoked.isEmpty());

            List<String> refusals = f.refusals();
            assertEquals(4, refusals.stream().filter(r -> r.startsWith("clickcert.revoke.refused")).count(),
                    refusals.toString());
            assertTrue(refusals.stream().anyMatch(r -> r.contains("auth-wrong-password")), refusals.toString());
            assertTrue(refusals.stream().anyMatch(r -> r.contains("not-your-seal") && r.contains("ord_2")),
                    refusals.toString());

            char[] password = pw.toCharArray();
            IssuedCertificate revoked = f.revocations.revoke(anna, new Request("ord_1", "keyCompromise", true,
                    password, "totp", Fixture.TOTP), null, "x");
            assertTrue(revoked.revoked());
            assertEquals(List.of("ord_1:keyCompromise:customer:h1"), f.keys.revocations);
            char[] wiped = new char[password.length];
            assertTrue(Arrays.equals(wiped, password), "the password is wiped once used");
            assertFalse(f.audit.all().contains(pw), "never a password in the audit log");
            assertFalse(f.audit.all().contains(Fixture.TOTP), "never a code in the audit log");

            // the seal shows it, and no longer signs
            Seal seal = f.service.seals("h1").get(0);
            assertEquals(Seal.Status.REVOKED, seal.status());
            assertFalse(seal.revocable());
            assertNotNull(seal.revocation());
            assertEquals(RevocationReason.KEY_COMPROMISE, seal.revocation().reason());
            byte[] pdf = Files.readAllBytes(Pdfs.pages(dir.resolve("p.pdf"), 1));
            Document d = f.service.upload(anna, "after.pdf", pdf);
            ClickCertException e = assertThrows(ClickCertException.class, () -> f.service.sign(anna, d.id(),
                    new SignRequest("ord_1", pw.toCharArray(), "totp", Fixture.TOTP, d.sha256(), null), null, "x"));
            assertEquals(Kind.SEAL_UNUSABLE, e.kind());

            // once is enough
            Refused again = assertThrows(Refused.class, () -> f.revocations.revoke(anna, request("ord_1",
                    "superseded", true, pw, "totp", Fixture.TOTP), null, "x"));
            assertEquals(Why.ALREADY_REVOKED, again.why());
            assertEquals(409, again.why().status());
            assertEquals(1, f.keys.revocations.size());
            // Bob's seal is untouched
            assertEquals(Seal.Status.VALID, f.service.seals("h2").get(0).status());
        }
    }

    @Test
    void throttledCredentialsAnUnavailableCaAndAMissingIssuanceModuleRevokeNothing() throws Exception {
        try (Fixture f = new Fixture("h2", dir)) {
            f.holderWithSeal("h1", "ord_1");
            HolderSession anna = f.holders.login("h1");
            Request good = request("ord_1", "cessationOfOperation", true, Fixture.PASSWORD, null, null);

            f.keys.revokeDown = true;
            Refused down = assertThrows(Refused.class, () -> f.revocations.revoke(anna, request("ord_1",
                    "cessationOfOperation", true, Fixture.PASSWORD, null, null), null, "x"));
            assertEquals(Why.UNAVAILABLE, down.why());
            assertEquals(503, down.why().status());
            assertTrue(f.keys.revoked.isEmpty());
            f.keys.revokeDown = false;

            SealRevocations withoutIssuance = new SealRevocations(f.holders, () -> null, f.audit);
            Refused absent = assertThrows(Refused.class, () -> withoutIssuance.revoke(anna, request("ord_1",
                    "cessationOfOperation", true, Fixture.PASSWORD, null, null), null, "x"));
            assertEquals(Why.UNAVAILABLE, absent.why());

            f.holders.maxFailures = 0;
            Refused throttled = assertThrows(Refused.class, () -> f.revocations.revoke(anna, good, null, "x"));
            assertEquals(Why.THROTTLED, throttled.why());
            assertEquals("clickcert.revoke.error.throttled", throttled.key());
            assertTrue(f.keys.revoked.isEmpty());

            f.holders.maxFailures = 100;
            IssuedCertificate c = f.revocations.revoke(anna, request("ord_1", "cessationOfOperation", true,
                    Fixture.PASSWORD, null, null), null, "x");
            assertEquals(RevocationReason.CESSATION_OF_OPERATION, c.revocation().orElseThrow().reason());
        }
    }
}
