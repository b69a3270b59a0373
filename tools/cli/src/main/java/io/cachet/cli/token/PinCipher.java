package io.cachet.cli.token;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.spec.MGF1ParameterSpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;
import java.util.Base64;

import javax.crypto.Cipher;
import javax.crypto.spec.OAEPParameterSpec;
import javax.crypto.spec.PSource;

/**
 * The initialisation PIN on the wire: RSA-OAEP with SHA-256 and MGF1-SHA-256 (spelled out: the JDK's default MGF1
 * digest for "OAEPPadding" is SHA-1), the plaintext the PIN's ASCII digits. To the server's PIN key when the station
 * registers it; back to this run's resume key when the server returns it to finish an interrupted provisioning.
 */
public final class PinCipher {

    static final OAEPParameterSpec OAEP = new OAEPParameterSpec("SHA-256", "MGF1", MGF1ParameterSpec.SHA256,
            PSource.PSpecified.DEFAULT);

    private PinCipher() {
    }

    /** The PIN encrypted to {@code key}, base64. */
    public static String encrypt(char[] pin, PublicKey key) {
        byte[] plain = ascii(pin);
        try {
            Cipher c = Cipher.getInstance("RSA/ECB/OAEPPadding");
            c.init(Cipher.ENCRYPT_MODE, key, OAEP);
            return Base64.getEncoder().encodeToString(c.doFinal(plain));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot encrypt the PIN with RSA-OAEP-256: " + e.getMessage(), e);
        } finally {
            Arrays.fill(plain, (byte) 0);
        }
    }

    /** The PIN in {@code base64}, decrypted with {@code key}. The caller wipes it. */
    public static char[] decrypt(String base64, PrivateKey key) {
        byte[] plain = null;
        try {
            Cipher c = Cipher.getInstance("RSA/ECB/OAEPPadding");
            c.init(Cipher.DECRYPT_MODE, key, OAEP);
            plain = c.doFinal(Base64.getDecoder().decode(base64.strip()));
            CharBuffer chars = StandardCharsets.US_ASCII.decode(ByteBuffer.wrap(plain));
            char[] pin = new char[chars.remaining()];
            chars.get(pin);
            Arrays.fill(chars.array(), '\0');
            return pin;
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new IllegalStateException("the PIN the server returned cannot be decrypted with this run's resume"
                    + " key (" + e.getMessage() + ")", e);
        } finally {
            if (plain != null) {
                Arrays.fill(plain, (byte) 0);
            }
        }
    }

    /** A fresh RSA-3072 key pair: this run's resume key. */
    public static KeyPair resumeKey(SecureRandom random) {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
            g.initialize(3072, random);
            return g.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** {@code -----BEGIN PUBLIC KEY-----} (SubjectPublicKeyInfo). */
    public static String pem(PublicKey key) {
        return "-----BEGIN PUBLIC KEY-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(key.getEncoded()) + "\n-----END PUBLIC KEY-----\n";
    }

    /** An RSA public key from PEM SubjectPublicKeyInfo. */
    public static PublicKey rsaPublicKey(String pem) {
        String b64 = pem.replaceAll("-----(BEGIN|END) PUBLIC KEY-----", "").replaceAll("\\s", "");
        try {
            return KeyFactory.getInstance("RSA").generatePublic(new X509EncodedKeySpec(Base64.getDecoder()
                    .decode(b64)));
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new IllegalStateException("the server's PIN key is not an RSA public key in PEM: " + e.getMessage(),
                    e);
        }
    }

    private static byte[] ascii(char[] pin) {
        byte[] b = new byte[pin.length];
        for (int i = 0; i < pin.length; i++) {
            if (pin[i] > 0x7f) {
                throw new IllegalArgumentException("a PIN is ASCII digits");
            }
            b[i] = (byte) pin[i];
        }
        return b;
    }
}
