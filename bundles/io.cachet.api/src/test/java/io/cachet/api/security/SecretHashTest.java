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
        assertTrue(a.matches("pbkdf2-sha256\\$210000\\$[A-Za-z0-9+/]{22}==\\$[A-Za-z0-9+/]{43}="), a);
        assertNotEquals(a, b, "a fresh salt each time");
        assertTrue(SecretHash.verify("correct horse battery".toCharArray(), a));
        assertFalse(SecretHash.verify("correct horse batterY".toCharArray(), a));
        assertFalse(SecretHash.verify(new char[0], a));
    }

    @Test
    void unreadableHashesNeverMatch() {
        for (String stored : new String[] {null, "", "plain", "md5$1$AA==$AA==", "pbkdf2-sha256$x$AA==$AA==",
                "pbkdf2-sha256$0$AA==$AA==", "pbkdf2-sha256$999999999$AA==$AA==", "pbkdf2-sha256$1000$!!$AA==",
                "pbkdf2-sha256$1000$AA==$"}) {
            assertFalse(SecretHash.verify("anything at all".toCharArray(), stored), String.valueOf(stored));
        }
    }
}
