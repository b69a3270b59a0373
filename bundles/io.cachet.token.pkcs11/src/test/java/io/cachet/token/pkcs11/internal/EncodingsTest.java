package io.cachet.token.pkcs11.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.Signature;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.util.Arrays;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;

import io.cachet.api.token.KeyAlgorithm;
import io.cachet.api.token.SignatureAlgorithm;

/** The encodings the driver builds itself, checked against the JDK's own signatures. */
class EncodingsTest {

    @ParameterizedTest
    @EnumSource(value = SignatureAlgorithm.class, names = {"RSA_PKCS1_SHA256", "RSA_PKCS1_SHA384", "RSA_PKCS1_SHA512"})
    void aRawRsaSignatureOverTheDigestInfoIsAPkcs1Signature(SignatureAlgorithm algorithm) throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        KeyPair pair = generator.generateKeyPair();
        byte[] message = "digest info".getBytes();
        // NONEwithRSA pads and signs its input as is, which is what CKM_RSA_PKCS does
        Signature raw = Signature.getInstance("NONEwithRSA");
        raw.initSign(pair.getPrivate());
        raw.update(Signatures.digestInfo(algorithm, MessageDigest.getInstance(algorithm.hash()).digest(message)));
        Signature verifier = Signature.getInstance(algorithm.jcaName());
        verifier.initVerify(pair.getPublic());
        verifier.update(message);
        assertTrue(verifier.verify(raw.sign()));
    }

    @ParameterizedTest
    @EnumSource(value = KeyAlgorithm.class, names = {"EC_P256", "EC_P384"})
    void rAndSBecomeADerSignatureAndThePointAKeyWrappedOrNot(KeyAlgorithm algorithm) throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec(algorithm == KeyAlgorithm.EC_P256 ? "secp256r1" : "secp384r1"));
        KeyPair pair = generator.generateKeyPair();
        byte[] message = "ecdsa".getBytes();
        Signature p1363 = Signature.getInstance("SHA256withECDSAinP1363Format");
        p1363.initSign(pair.getPrivate());
        p1363.update(message);
        byte[] der = Signatures.ecdsaDer(p1363.sign());
        Signature verifier = Signature.getInstance("SHA256withECDSA");
        verifier.initVerify(pair.getPublic());
        verifier.update(message);
        assertTrue(verifier.verify(der));

        ECPublicKey key = (ECPublicKey) pair.getPublic();
        int field = (algorithm.bits() + 7) / 8;
        byte[] point = new byte[1 + 2 * field];
        point[0] = 4;
        copy(key.getW().getAffineX(), point, 1, field);
        copy(key.getW().getAffineY(), point, 1 + field, field);
        assertEquals(key.getW(), ((ECPublicKey) PublicKeys.ec(algorithm, point)).getW());
        // CKA_EC_POINT as PKCS#11 prescribes and SoftHSM2 stores it: a DER OCTET STRING around the point
        assertEquals(key.getW(), ((ECPublicKey) PublicKeys.ec(algorithm, wrap(point))).getW());
        assertTrue(PublicKeys.same(key, PublicKeys.ec(algorithm, point)));
        assertThrows(IllegalArgumentException.class, () -> PublicKeys.ec(algorithm, Arrays.copyOf(point, 10)));
    }

    private static void copy(BigInteger value, byte[] into, int offset, int length) {
        byte[] bytes = value.toByteArray();
        int skip = bytes.length > length ? bytes.length - length : 0;
        System.arraycopy(bytes, skip, into, offset + length - (bytes.length - skip), bytes.length - skip);
    }

    /** A DER OCTET STRING around {@code content} (long-form length from 128 bytes on), written by hand. */
    private static byte[] wrap(byte[] content) {
        byte[] head = content.length < 0x80 ? new byte[] {0x04, (byte) content.length}
                : new byte[] {0x04, (byte) 0x81, (byte) content.length};
        byte[] out = Arrays.copyOf(head, head.length + content.length);
        System.arraycopy(content, 0, out, head.length, content.length);
        return out;
    }

    @Test
    void octetStringsAreUnwrappedOnlyWhenTheyAreWhole() {
        byte[] longForm = wrap(new byte[200]);
        assertEquals(0x81, longForm[1] & 0xff);
        assertArrayEquals(new byte[200], PublicKeys.octetStringContent(longForm));
        byte[] truncated = {0x04, 5, 1};
        assertArrayEquals(truncated, PublicKeys.octetStringContent(truncated));
        byte[] bitString = {0x03, 1, 0};
        assertArrayEquals(bitString, PublicKeys.octetStringContent(bitString));
        byte[] trailing = Arrays.copyOf(wrap(new byte[3]), 6);
        assertArrayEquals(trailing, PublicKeys.octetStringContent(trailing), "an OCTET STRING followed by more bytes");
        assertArrayEquals(new byte[] {2, 1, 0x7f}, Signatures.der(new org.bouncycastle.asn1.ASN1Integer(127)));
        assertArrayEquals(new byte[] {2, 2, 0, (byte) 0x80}, Signatures.der(new org.bouncycastle.asn1.ASN1Integer(128)));
    }

    @Test
    void labelsArePaddedToThirtyTwoBytesOfUtf8() {
        assertEquals(32, new String(InitToken.pad("seal")).length());
        char[] accented = InitToken.pad("\u00e9t\u00e9");
        assertEquals(32, new String(accented).getBytes(java.nio.charset.StandardCharsets.UTF_8).length);
        assertThrows(IllegalArgumentException.class, () -> InitToken.pad("\u00e9".repeat(17)));
    }
}
