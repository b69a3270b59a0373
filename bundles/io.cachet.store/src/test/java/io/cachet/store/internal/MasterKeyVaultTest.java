package io.cachet.store.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import java.util.Base64;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MasterKeyVaultTest {
    private static final String KEY_A = Base64.getEncoder().encodeToString(new byte[32]);
    private static final String KEY_B = Base64.getEncoder().encodeToString(filled(7));

    @TempDir
    Path dir;

    private static byte[] filled(int value) {
        byte[] b = new byte[32];
        Arrays.fill(b, (byte) value);
        return b;
    }

    private MasterKeyVault vault(String key) {
        return MasterKeyVault.locate(Map.of(MasterKeyVault.ENV_KEY, key), null, dir);
    }

    @Test
    void sealedSecretsOpenOnlyForTheirPurposeAndKey() throws Exception {
        byte[] secret = "0123456789".getBytes(StandardCharsets.UTF_8);
        byte[] sealed = vault(KEY_A).seal("ca.token.pin", secret);
        assertFalse(new String(sealed, StandardCharsets.ISO_8859_1).contains("0123456789"), "not in clear");
        assertArrayEquals(secret, vault(KEY_A).open("ca.token.pin", sealed));
        assertNotEquals(Arrays.toString(sealed), Arrays.toString(vault(KEY_A).seal("ca.token.pin", secret)),
                "a fresh nonce each time");
        GeneralSecurityException other = assertThrows(GeneralSecurityException.class,
                () -> vault(KEY_B).open("ca.token.pin", sealed));
        assertTrue(other.getMessage().contains("another master key"), other.getMessage());
        assertThrows(GeneralSecurityException.class, () -> vault(KEY_A).open("audit.anchor.key", sealed));
        byte[] altered = sealed.clone();
        altered[altered.length - 1] ^= 1;
        assertThrows(GeneralSecurityException.class, () -> vault(KEY_A).open("ca.token.pin", altered));
        assertThrows(GeneralSecurityException.class, () -> vault(KEY_A).open("ca.token.pin", new byte[5]));
    }

    @Test
    void charactersRoundTripThroughUtf8() throws Exception {
        char[] pin = "été-1234".toCharArray();
        MasterKeyVault v = vault(KEY_A);
        assertArrayEquals(pin, v.openChars("p", v.sealChars("p", pin)));
    }

    @Test
    void environmentKeyIsNotKeptWithData() {
        MasterKeyVault v = vault(KEY_A);
        assertFalse(v.keptWithData());
        assertEquals("environment variable CACHET_MASTER_KEY", v.keySource());
    }

    @Test
    void malformedKeysAreRefusedWithWhatToDo() {
        IllegalStateException shortKey = assertThrows(IllegalStateException.class,
                () -> vault(Base64.getEncoder().encodeToString(new byte[16])));
        assertTrue(shortKey.getMessage().contains("16 bytes, not 32"), shortKey.getMessage());
        assertTrue(shortKey.getMessage().contains("openssl rand -base64 32"), shortKey.getMessage());
        assertThrows(IllegalStateException.class, () -> vault("not base64 !"));
    }

    @Test
    void embeddedDefaultIsMadeOwnerOnlyInsideDataAndSaysSo() throws Exception {
        MasterKeyVault first = MasterKeyVault.locate(Map.of(), null, dir);
        Path file = dir.resolve("secrets/master.key");
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file.getParent())));
        assertTrue(first.keptWithData());
        byte[] sealed = first.seal("x", new byte[] { 1, 2, 3 });
        MasterKeyVault again = MasterKeyVault.locate(Map.of(), null, dir);
        assertArrayEquals(new byte[] { 1, 2, 3 }, again.open("x", sealed), "the same key at the next start");
    }

    @Test
    void keyFileOutsideDataIsUsedAndMustBeOwnerOnly() throws Exception {
        Path outside = Files.createTempFile("master", ".key");
        try {
            Files.writeString(outside, KEY_B + "\n");
            Files.setPosixFilePermissions(outside, PosixFilePermissions.fromString("rw-r--r--"));
            IllegalStateException open = assertThrows(IllegalStateException.class,
                    () -> MasterKeyVault.locate(Map.of(), outside.toString(), dir));
            assertTrue(open.getMessage().contains("chmod 600"), open.getMessage());
            Files.setPosixFilePermissions(outside, PosixFilePermissions.fromString("rw-------"));
            MasterKeyVault v = MasterKeyVault.locate(Map.of(MasterKeyVault.ENV_FILE, "/nonexistent"),
                    outside.toString(), dir);
            assertFalse(v.keptWithData());
            assertArrayEquals(new byte[] { 9 }, vault(KEY_B).open("y", v.seal("y", new byte[] { 9 })));
            IllegalStateException missing = assertThrows(IllegalStateException.class,
                    () -> MasterKeyVault.locate(Map.of(MasterKeyVault.ENV_FILE, "/nonexistent/key"), null, dir));
            assertTrue(missing.getMessage().contains("missing or unreadable"), missing.getMessage());
        } finally {
            Files.deleteIfExists(outside);
        }
    }
}
