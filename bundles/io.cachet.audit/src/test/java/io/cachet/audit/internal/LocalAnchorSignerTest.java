package io.cachet.audit.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyFactory;
import java.security.KeyPairGenerator;
import java.security.spec.X509EncodedKeySpec;


import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.cachet.api.security.SecretVault;
import io.cachet.store.testing.TestVaults;

class LocalAnchorSignerTest {

    private static final byte[] STATEMENT = "statement".getBytes(StandardCharsets.US_ASCII);

    @TempDir
    Path temp;

    private Path keys() {
        return temp.resolve("data/keys");
    }

    private SecretVault vault() {
        return TestVaults.embedded(temp.resolve("data"));
    }

    private LocalAnchorSigner signer() {
        return new LocalAnchorSigner(keys(), vault());
    }

    @Test
    void createsOwnerOnlyKeyFilesOnFirstUse() throws Exception {
        LocalAnchorSigner signer = signer();
        assertFalse(Files.exists(keys()), "nothing is created before first use");
        byte[] token = signer.sign(STATEMENT);
        Path key = keys().resolve(LocalAnchorSigner.KEY_FILE);
        Path pub = keys().resolve(LocalAnchorSigner.PUBLIC_KEY_FILE);
        assertTrue(Files.isRegularFile(key));
        assertTrue(Files.isRegularFile(pub));
        if (key.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(key)));
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(pub)));
        }
        try (var leftovers = Files.list(keys())) {
            assertEquals(2, leftovers.count(), "no temporary files left behind");
        }
        // the private key is not in the data directory in clear: the file is a vault blob, not PKCS#8
        assertThrows(Exception.class, () -> KeyFactory.getInstance("Ed25519")
                .generatePrivate(new java.security.spec.PKCS8EncodedKeySpec(Files.readAllBytes(key))));
        assertFalse(Files.exists(keys().resolve(LocalAnchorSigner.CLEAR_KEY_FILE)));
        // the .pub is a standard X.509 Ed25519 key that verifies the token
        var publicKey = KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(Files.readAllBytes(pub)));
        var s = java.security.Signature.getInstance("Ed25519");
        s.initVerify(publicKey);
        s.update(STATEMENT);
        assertTrue(s.verify(token));
        assertEquals("ed25519-local", signer.id());
    }

    @Test
    void aSecondInstanceReusesTheKeyPair() throws Exception {
        byte[] token = signer().sign(STATEMENT);
        byte[] keyBytes = Files.readAllBytes(keys().resolve(LocalAnchorSigner.KEY_FILE));
        LocalAnchorSigner second = signer();
        assertTrue(second.verify(STATEMENT, token));
        assertArrayEquals(token, second.sign(STATEMENT), "Ed25519 is deterministic: same key, same signature");
        assertArrayEquals(keyBytes, Files.readAllBytes(keys().resolve(LocalAnchorSigner.KEY_FILE)));
    }

    @Test
    void rejectsAnotherStatementOrAnAlteredToken() {
        LocalAnchorSigner signer = signer();
        byte[] token = signer.sign(STATEMENT);
        assertTrue(signer.verify(STATEMENT, token));
        assertFalse(signer.verify("statemenT".getBytes(StandardCharsets.US_ASCII), token));
        byte[] altered = token.clone();
        altered[10] ^= 1;
        assertFalse(signer.verify(STATEMENT, altered));
        assertFalse(signer.verify(STATEMENT, new byte[0]));
        assertFalse(signer.verify(STATEMENT, null));
        assertFalse(signer.verify(null, token));
        // a signature by another installation's key
        assertFalse(new LocalAnchorSigner(temp.resolve("other"), TestVaults.embedded(temp.resolve("other-data"))).verify(STATEMENT, token));
    }

    @Test
    void aCorruptKeyFileGivesOneLineNamingTheFileAndWhatToDo() throws Exception {
        signer().sign(STATEMENT);
        Path key = keys().resolve(LocalAnchorSigner.KEY_FILE);
        Files.write(key, "not a key".getBytes(StandardCharsets.US_ASCII));
        LocalAnchorSigner signer = signer();
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> signer.sign(STATEMENT));
        assertTrue(e.getMessage().contains(key.toAbsolutePath().toString()), e.getMessage());
        assertTrue(e.getMessage().contains("restore it from the backup"), e.getMessage());
        assertFalse(e.getMessage().contains("\n"), "one line");
        assertFalse(signer.verify(STATEMENT, new byte[64]), "verify never throws");
    }

    @Test
    void aMissingPublicKeyIsExplainedNotSilentlyReplaced() throws Exception {
        signer().sign(STATEMENT);
        Path pub = keys().resolve(LocalAnchorSigner.PUBLIC_KEY_FILE);
        Files.delete(pub);
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> signer().sign(STATEMENT));
        assertTrue(e.getMessage().startsWith("Audit anchor key file " + pub.toAbsolutePath() + " is missing"), e.getMessage());
        assertFalse(Files.exists(pub));
    }

    @Test
    void keyFilesOfDifferentPairsAreRefused() throws Exception {
        signer().sign(STATEMENT);
        Files.write(keys().resolve(LocalAnchorSigner.PUBLIC_KEY_FILE),
                KeyPairGenerator.getInstance("Ed25519").generateKeyPair().getPublic().getEncoded());
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> signer().sign(STATEMENT));
        assertTrue(e.getMessage().contains("are not one key pair"), e.getMessage());
    }

    @Test
    void dataDirectoryDefaultsToCachetData() {
        assertEquals(Path.of("cachet-data"), LocalAnchorSigner.dataDirectory(null));
        assertEquals(Path.of("cachet-data"), LocalAnchorSigner.dataDirectory(" "));
        assertEquals(Path.of("/srv/cachet"), LocalAnchorSigner.dataDirectory("/srv/cachet"));
    }

    @Test
    void aClearKeyOfAnEarlierVersionIsSealedAndDeletedAndKeepsSigning() throws Exception {
        // what earlier versions wrote: PKCS#8 in clear next to the .pub
        var pair = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        Files.createDirectories(keys());
        Path clear = keys().resolve(LocalAnchorSigner.CLEAR_KEY_FILE);
        Files.write(clear, pair.getPrivate().getEncoded());
        Files.write(keys().resolve(LocalAnchorSigner.PUBLIC_KEY_FILE), pair.getPublic().getEncoded());

        byte[] token = signer().sign(STATEMENT);
        assertFalse(Files.exists(clear), "the clear key is deleted once sealed");
        Path sealed = keys().resolve(LocalAnchorSigner.KEY_FILE);
        assertArrayEquals(pair.getPrivate().getEncoded(), vault().open(LocalAnchorSigner.PURPOSE, Files.readAllBytes(sealed)));
        var s = java.security.Signature.getInstance("Ed25519");
        s.initVerify(pair.getPublic());
        s.update(STATEMENT);
        assertTrue(s.verify(token), "the same key signs on");
        assertTrue(signer().verify(STATEMENT, signer().sign(STATEMENT)), "and reopens from the sealed file");
    }

    @Test
    void verifyingNeedsOnlyThePublicKeyNotTheMasterKey() throws Exception {
        byte[] token = signer().sign(STATEMENT);
        Files.delete(temp.resolve("data/secrets/master.key"));
        LocalAnchorSigner verifier = LocalAnchorSigner.verifier(keys());
        assertTrue(verifier.verify(STATEMENT, token));
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> verifier.sign(STATEMENT));
        assertTrue(e.getMessage().contains("only verifies"), e.getMessage());
    }

    @Test
    void anotherMasterKeyCannotOpenTheSealedKeyAndSaysWhatToDo() throws Exception {
        signer().sign(STATEMENT);
        Files.delete(temp.resolve("data/secrets/master.key"));
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> signer().sign(STATEMENT));
        assertTrue(e.getMessage().contains("cannot be opened with the master key"), e.getMessage());
        assertFalse(e.getMessage().contains("\n"), "one line");
    }
}
