package io.cachet.issuance.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.Signature;
import java.time.Duration;
import java.time.Instant;
import java.util.stream.Stream;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import io.cachet.api.ca.IssuedCertificate;
import io.cachet.api.ca.RevocationReason;
import io.cachet.api.issuance.IssuanceException;
import io.cachet.api.order.Medium;
import io.cachet.api.order.Order;
import io.cachet.api.signature.SigningKey;
import io.cachet.api.token.KeyAlgorithm;
import io.cachet.api.token.SignatureAlgorithm;
import io.cachet.api.token.TokenException;

/**
 * A cloud order's signing key (CloudSigningKeys): the key issued for that order only, signing on the real cloud key
 * token so that its certificate's public key verifies; nothing for a token order or before issuance; nothing once
 * the certificate is revoked or expired.
 */
class CloudSigningTest {

    @TempDir
    Path dir;

    static Stream<String> products() {
        return IssuanceServiceTest.products();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("products")
    void theKeyOfACloudOrderSignsAndOnlyIt(String product) throws Exception {
        try (IssuanceFixture f = new IssuanceFixture(product, dir)) {
            Order o = f.inIssuance(Medium.CLOUD);
            Order other = f.inIssuance(Medium.CLOUD);
            IssuanceException before = assertThrows(IssuanceException.class, () -> key(f, o.id(), Instant.now()));
            assertEquals(IssuanceException.Kind.NOT_FOUND, before.kind());
            while (f.service.runDue()) {
                // both issued
            }
            SigningKey key = key(f, o.id(), Instant.now());
            IssuedCertificate issued = f.service.find(o.id()).orElseThrow();
            assertEquals(issued.certificate(), key.certificate());
            assertEquals(f.ca.chain(), key.chain());
            assertEquals(1, key.token().keys().size());

            byte[] message = "a document's signed attributes".getBytes(StandardCharsets.UTF_8);
            boolean ec = issued.certificate().getPublicKey().getAlgorithm().startsWith("EC");
            SignatureAlgorithm alg = ec ? SignatureAlgorithm.ECDSA_SHA256 : SignatureAlgorithm.RSA_PKCS1_SHA256;
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(message);
            byte[] signature = key.token().signDigest(key.alias(), alg, digest);
            Signature verify = Signature.getInstance(alg.jcaName());
            verify.initVerify(issued.certificate().getPublicKey());
            verify.update(message);
            assertTrue(verify.verify(signature), "the token signed with the certified key");

            // the view holds one key: the other order's key, making keys, importing, closing the platform's token
            String otherAlias = f.service.status(other.id()).orElseThrow().keyAlias().orElseThrow();
            assertEquals(TokenException.Reason.NOT_FOUND, assertThrows(TokenException.class,
                    () -> key.token().signDigest(otherAlias, alg, digest)).reason());
            assertTrue(key.token().certificate(otherAlias).isEmpty());
            assertEquals(TokenException.Reason.UNSUPPORTED, assertThrows(TokenException.class,
                    () -> key.token().generateKeyPair("x", KeyAlgorithm.EC_P256)).reason());
            assertEquals(TokenException.Reason.UNSUPPORTED, assertThrows(TokenException.class,
                    () -> key.token().changePin("a".toCharArray(), "b".toCharArray())).reason());
            key.token().close();
            byte[] again = key.token().signDigest(key.alias(), alg, digest);
            verify.initVerify(issued.certificate().getPublicKey());
            verify.update(message);
            assertTrue(verify.verify(again), "closing a view leaves the platform's token open");

            // expired: refused
            Instant after = issued.certificate().getNotAfter().toInstant().plus(Duration.ofSeconds(1));
            assertEquals(IssuanceException.Kind.CONFLICT,
                    assertThrows(IssuanceException.class, () -> key(f, o.id(), after)).kind());

            // revoked: refused
            f.ca.revoke(issued.serial(), RevocationReason.KEY_COMPROMISE, "test");
            IssuanceException revoked = assertThrows(IssuanceException.class, () -> key(f, o.id(), Instant.now()));
            assertEquals(IssuanceException.Kind.CONFLICT, revoked.kind());
            assertTrue(revoked.getMessage().contains("revoked"), revoked.getMessage());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("products")
    void aTokenOrderHasNoCloudKey(String product) throws Exception {
        try (IssuanceFixture f = new IssuanceFixture(product, dir)) {
            Order o = f.inIssuance(Medium.USB_A);
            assertEquals(IssuanceException.Kind.NOT_FOUND,
                    assertThrows(IssuanceException.class, () -> key(f, o.id(), Instant.now())).kind());
            assertEquals(IssuanceException.Kind.NOT_FOUND,
                    assertThrows(IssuanceException.class, () -> key(f, "no-such-order", Instant.now())).kind());
            assertFalse(f.service.status("no-such-order").isPresent());
        }
    }

    private static SigningKey key(IssuanceFixture f, String orderId, Instant now) {
        return CloudSigning.key(orderId, f.service.status(orderId), f.service.find(orderId), f.ca.chain(), now,
                f.keys::view);
    }
}
