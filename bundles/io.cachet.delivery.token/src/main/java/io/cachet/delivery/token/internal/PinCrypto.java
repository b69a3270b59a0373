package io.cachet.delivery.token.internal;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.spec.MGF1ParameterSpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;

import javax.crypto.Cipher;
import javax.crypto.spec.OAEPParameterSpec;
import javax.crypto.spec.PSource;

import io.cachet.api.security.Digests;

/**
 * RSA-OAEP with SHA-256 and MGF1-SHA-256 (named explicitly: the JDK's default MGF1 digest is SHA-1), public keys in
 * PEM, and key ids. The station and this module must agree on every parameter, so they are all here.
 */
final class PinCrypto {

    static final String ALGORITHM = "RSA-OAEP-256";
    private static final String TRANSFORMATION = "RSA/ECB/OAEPPadding";

    private PinCrypto() {
    }

    static OAEPParameterSpec oaep() {
        return new OAEPParameterSpec("SHA-256", "MGF1", MGF1ParameterSpec.SHA256, PSource.PSpecified.DEFAULT);
    }

    static String encrypt(PublicKey key, byte[] plaintext) throws GeneralSecurityException {
        Cipher c = Cipher.getInstance(TRANSFORMATION);
        c.init(Cipher.ENCRYPT_MODE, key, oaep());
        return Base64.getEncoder().encodeToString(c.doFinal(plaintext));
    }

    /** @throws GeneralSecurityException when the text is not Base64 or does not decrypt with this key */
    static byte[] decrypt(PrivateKey key, String base64) throws GeneralSecurityException {
        byte[] ct;
        try {
            ct = Base64.getDecoder().decode(base64.strip());
        } catch (IllegalArgumentException e) {
            throw new GeneralSecurityException("the ciphertext is not Base64");
        }
        Cipher c = Cipher.getInstance(TRANSFORMATION);
        c.init(Cipher.DECRYPT_MODE, key, oaep());
        return c.doFinal(ct);
    }

    /** The hex of the first 16 bytes of the SHA-256 of the key's SubjectPublicKeyInfo (DER). */
    static String keyId(PublicKey key) {
        return HexFormat.of().formatHex(Arrays.copyOf(Digests.sha256(key.getEncoded()), 16));
    }

    static String pem(PublicKey key) {
        return "-----BEGIN PUBLIC KEY-----\n" + Base64.getMimeEncoder(64, new byte[] { '\n' })
                .encodeToString(key.getEncoded()) + "\n-----END PUBLIC KEY-----\n";
    }

    /** The DER of a PEM block of the given label (or Base64 without armour); null when it is not one. */
    static byte[] der(String pem, String label) {
        if (pem == null || pem.length() > 20_000) {
            return null;
        }
        String s = pem.strip();
        String begin = "-----BEGIN " + label + "-----";
        String end = "-----END " + label + "-----";
        if (s.startsWith("-----")) {
            if (!s.startsWith(begin) || !s.endsWith(end)) {
                return null;
            }
            s = s.substring(begin.length(), s.length() - end.length());
        }
        try {
            byte[] der = Base64.getMimeDecoder().decode(s.replaceAll("\\s", "").getBytes(StandardCharsets.US_ASCII));
            return der.length == 0 ? null : der;
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** A PEM {@code PUBLIC KEY} (SubjectPublicKeyInfo) of an RSA or EC key; null when it is not one. */
    static PublicKey publicKey(String pem) {
        byte[] der = der(pem, "PUBLIC KEY");
        return der == null ? null : publicKey(der);
    }

    static PublicKey publicKey(byte[] der) {
        for (String alg : new String[] { "EC", "RSA" }) {
            try {
                return KeyFactory.getInstance(alg).generatePublic(new X509EncodedKeySpec(der));
            } catch (GeneralSecurityException | IllegalArgumentException e) {
                // try the next
            }
        }
        return null;
    }
}
