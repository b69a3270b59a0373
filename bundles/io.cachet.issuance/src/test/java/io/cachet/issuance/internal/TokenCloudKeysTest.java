package io.cachet.issuance.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.cachet.api.security.SecretVault;
import io.cachet.api.token.KeyAlgorithm;
import io.cachet.api.token.PinPolicy;
import io.cachet.api.token.TokenCustody;
import io.cachet.api.token.TokenDriver;
import io.cachet.api.token.TokenInfo;
import io.cachet.store.testing.TestVaults;
import io.cachet.token.soft.launch.SoftTokens;

/**
 * The cloud key token made at the first cloud key, on the software token driver: a process killed while it was being
 * made is not taken for a lost token at the next start (the on-disk states such a kill leaves, made here by hand),
 * while a PIN file whose token is gone is still refused.
 */
class TokenCloudKeysTest {

    private static final String LABEL = "Cachet Cloud Keys";

    @TempDir
    Path dir;

    private TokenCloudKeys keys(TokenDriver driver, SecretVault vault) {
        return new TokenCloudKeys(() -> driver, LABEL, dir.resolve("secrets/cloud-token.pin"), vault,
                KeyAlgorithm.EC_P256);
    }

    private Path pin(String suffix) {
        return dir.resolve("secrets/cloud-token.pin" + suffix);
    }

    private static List<TokenInfo> labelled(TokenDriver driver) {
        return driver.tokens().stream().filter(t -> t.has(TokenInfo.Flag.INITIALIZED) && LABEL.equals(t.label()))
                .toList();
    }

    @Test
    void theFirstKeyMakesTheTokenAndKeepsItsPinsUnderTheirOwnNames() throws Exception {
        TokenDriver driver = SoftTokens.driver(dir.resolve("tokens"), 2);
        try (TokenCloudKeys k = keys(driver, TestVaults.embedded(dir))) {
            assertTrue(k.request("cloud-1").contains("BEGIN CERTIFICATE REQUEST"));
        }
        assertEquals(1, labelled(driver).size());
        assertTrue(Files.exists(pin("")) && Files.exists(pin(".so")));
        assertFalse(Files.exists(pin(TokenCustody.PENDING)) || Files.exists(pin(".so" + TokenCustody.PENDING)));
    }

    @Test
    void pendingPinsWithoutTheirTokenAreDroppedAndTheTokenMade() throws Exception {
        SecretVault vault = TestVaults.embedded(dir);
        TokenDriver driver = SoftTokens.driver(dir.resolve("tokens"), 2);
        // killed after the PINs were written, before the token was made
        Files.createDirectories(pin("").getParent());
        Files.write(pin(TokenCustody.PENDING), vault.sealChars(TokenCloudKeys.PIN_PURPOSE, "old".toCharArray()));
        Files.write(pin(".so" + TokenCustody.PENDING), vault.sealChars(TokenCloudKeys.SO_PIN_PURPOSE,
                "old-so".toCharArray()));
        try (TokenCloudKeys k = keys(driver, vault)) {
            assertTrue(k.request("cloud-1").contains("BEGIN CERTIFICATE REQUEST"));
        }
        assertEquals(1, labelled(driver).size());
        assertFalse(Files.exists(pin(TokenCustody.PENDING)));
        // the kept PIN is the new token's: a second start opens it with the same key
        try (TokenCloudKeys again = keys(SoftTokens.driver(dir.resolve("tokens"), 2), vault)) {
            assertTrue(again.request("cloud-1").contains("BEGIN CERTIFICATE REQUEST"));
        }
    }

    @Test
    void aTokenMadeWhosePinsWerePendingGetsThemKept() throws Exception {
        SecretVault vault = TestVaults.embedded(dir);
        TokenDriver driver = SoftTokens.driver(dir.resolve("tokens"), 2);
        // killed after the token was made, before its PIN files were renamed
        TokenInfo blank = driver.tokens().stream().filter(t -> !t.has(TokenInfo.Flag.INITIALIZED)).findFirst()
                .orElseThrow();
        driver.initialize(blank.slotId(), "so-secret".toCharArray(), "user-secret".toCharArray(), LABEL,
                PinPolicy.TOKEN_DEFAULT);
        Files.createDirectories(pin("").getParent());
        Files.write(pin(TokenCustody.PENDING), vault.sealChars(TokenCloudKeys.PIN_PURPOSE,
                "user-secret".toCharArray()));
        Files.write(pin(".so" + TokenCustody.PENDING), vault.sealChars(TokenCloudKeys.SO_PIN_PURPOSE,
                "so-secret".toCharArray()));
        try (TokenCloudKeys k = keys(driver, vault)) {
            assertTrue(k.request("cloud-1").contains("BEGIN CERTIFICATE REQUEST"));
        }
        assertEquals(1, labelled(driver).size(), "no second token");
        assertTrue(Files.exists(pin("")) && Files.exists(pin(".so")));
        assertFalse(Files.exists(pin(TokenCustody.PENDING)) || Files.exists(pin(".so" + TokenCustody.PENDING)));
        assertEquals("user-secret", new String(vault.openChars(TokenCloudKeys.PIN_PURPOSE, Files.readAllBytes(pin("")))));
    }

    @Test
    void aPinFileWhoseTokenIsGoneIsStillRefused() throws Exception {
        SecretVault vault = TestVaults.embedded(dir);
        try (TokenCloudKeys k = keys(SoftTokens.driver(dir.resolve("tokens"), 2), vault)) {
            k.request("cloud-1");
        }
        // the token's files lost, its PIN file kept: its keys are gone, which a new token must not hide
        TokenDriver other = SoftTokens.driver(dir.resolve("other-tokens"), 2);
        try (TokenCloudKeys k = keys(other, vault)) {
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> k.request("cloud-2"));
            assertTrue(e.getMessage().contains("the cloud key token is missing; restore it"), e.getMessage());
        }
        assertTrue(labelled(other).isEmpty());
    }
}
