package io.cachet.api.security;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.SecureRandom;

import org.junit.jupiter.api.Test;

class SecretHashTest {

    private final SecureRandom random = new SecureRandom();

    @Test
    void hashesAreSaltedPbkdf2AndVerify() {
        String a = SecretHash.hash("correct horse battery".toCharArray(), random);
        String b = SecretHash.hash("correct horse battery".toCharArray(), random);
        assertTrue(a.matches("pbkdf2-sha256\\$600000\\$[A-Za-z0-9+/]{22}==\\$[A-Za-z0-9+/]{43}="), a);
        assertNotEquals(a, b, "a fresh salt each time");
        assertTrue(SecretHash.verify("correct horse battery".toCharArray(), a));
        assertFalse(SecretHash.verify("correct horse batterY".toCharArray(), a));
        assertFalse(SecretHash.verify(new char[0], a));
    }

    @Test
    void olderOrWeakerHashesAskToBeRehashedAndStillVerify() throws Exception {
        // what SecretHash 1.0 stored: OWASP's SHA-512 figure applied to SHA-256
        byte[] salt = new byte[16];
        random.nextBytes(salt);
        javax.crypto.spec.PBEKeySpec spec = new javax.crypto.spec.PBEKeySpec("correct horse battery".toCharArray(), salt,
                210_000, 256);
        byte[] derived = javax.crypto.SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256").generateSecret(spec).getEncoded();
        java.util.Base64.Encoder b64 = java.util.Base64.getEncoder();
        String old = "pbkdf2-sha256$210000$" + b64.encodeToString(salt) + "$" + b64.encodeToString(derived);

        assertTrue(SecretHash.verify("correct horse battery".toCharArray(), old), "old hashes keep working");
        assertTrue(SecretHash.needsRehash(old));
        String fresh = SecretHash.hash("correct horse battery".toCharArray(), random);
        assertFalse(SecretHash.needsRehash(fresh));
        assertTrue(SecretHash.needsRehash(null));
        assertTrue(SecretHash.needsRehash("md5$1$AA==$AA=="));
        assertTrue(SecretHash.needsRehash("pbkdf2-sha256$x$AA==$AA=="));
    }

    @Test
    void unreadableHashesNeverMatch() {
        for (String stored : new String[] {null, "", "plain", "md5$1$AA==$AA==", "pbkdf2-sha256$x$AA==$AA==",
                "pbkdf2-sha256$0$AA==$AA==", "pbkdf2-sha256$999999999$AA==$AA==", "pbkdf2-sha256$1000$!!$AA==",
                "pbkdf2-sha256$1000$AA==$"}) {
            assertFalse(SecretHash.verify("anything at all".toCharArray(), stored), String.valueOf(stored));
        }
    }

    @Test
    void anUnknownLoginIsNeverRightWhateverItsSecret() {
        org.junit.jupiter.api.Assertions.assertFalse(SecretHash.verifyUnknown("any password at all".toCharArray()));
        org.junit.jupiter.api.Assertions.assertFalse(SecretHash.verifyUnknown(new char[0]));
        org.junit.jupiter.api.Assertions.assertFalse(SecretHash.verifyUnknown(null));
    }
}
