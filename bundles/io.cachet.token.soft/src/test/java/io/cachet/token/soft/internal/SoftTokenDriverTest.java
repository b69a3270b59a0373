package io.cachet.token.soft.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.Key;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.util.List;
import java.util.OptionalInt;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

import io.cachet.api.token.KeyAlgorithm;
import io.cachet.api.token.PinPolicy;
import io.cachet.api.token.SignatureAlgorithm;
import io.cachet.api.token.Token;
import io.cachet.api.token.TokenException;
import io.cachet.api.token.TokenException.Reason;
import io.cachet.api.token.TokenInfo;
import io.cachet.api.token.TokenInfo.Flag;
import io.cachet.api.token.TokenKey;

/** What the compliance kit cannot see: the files, persistence across restarts, corruption, unblocking. */
class SoftTokenDriverTest {

    private static final String SO = "so-pin-1234";
    private static final String PIN = "user-pin-1234";

    @TempDir
    Path directory;

    private SoftTokenDriver driver() {
        return new SoftTokenDriver(directory, 4);
    }

    private static TokenInfo initialise(SoftTokenDriver driver, PinPolicy policy) {
        return driver.initialize(blankSlot(driver), SO.toCharArray(), PIN.toCharArray(), "test", policy);
    }

    private static long blankSlot(SoftTokenDriver driver) {
        return driver.tokens().stream().filter(t -> !t.has(Flag.INITIALIZED)).findFirst().orElseThrow().slotId();
    }

    private static TokenException expect(Reason reason, Executable action) {
        TokenException e = assertThrows(TokenException.class, action);
        assertEquals(reason, e.reason(), e.getMessage());
        return e;
    }

    private Path keyStoreFile(TokenInfo info) {
        return directory.resolve("token-" + info.slotId() + ".p12");
    }

    private Path metadataFile(TokenInfo info) {
        return directory.resolve("token-" + info.slotId() + ".properties");
    }

    // ------------------------------------------------------------------------------------------ the PKCS#12 file

    @Test
    void keyStoreFileOpensOnlyWithThePin() throws Exception {
        SoftTokenDriver driver = driver();
        TokenInfo info = initialise(driver, PinPolicy.TOKEN_DEFAULT);
        TokenKey key;
        try (Token token = driver.login(info.serial(), PIN.toCharArray())) {
            key = token.generateKeyPair("seal", KeyAlgorithm.EC_P256);
        }
        byte[] file = Files.readAllBytes(keyStoreFile(info));

        KeyStore wrong = KeyStore.getInstance("PKCS12");
        IOException refused = assertThrows(IOException.class,
                () -> wrong.load(new ByteArrayInputStream(file), "not-the-pin".toCharArray()));
        assertTrue(refused.getMessage().contains("password") || refused.getMessage().contains("ntegrity"),
                refused.getMessage());

        KeyStore right = KeyStore.getInstance("PKCS12");
        right.load(new ByteArrayInputStream(file), PIN.toCharArray());
        Key privateKey = right.getKey("seal", PIN.toCharArray());
        assertTrue(privateKey instanceof PrivateKey, "a standard PKCS#12 file: the JDK opens it with the PIN");
        assertArrayEquals(key.publicKey().getEncoded(), right.getCertificate("seal").getPublicKey().getEncoded());
    }

    @Test
    void keyStoreFileUsesStrongAlgorithmsOnly() throws Exception {
        SoftTokenDriver driver = driver();
        TokenInfo info = initialise(driver, PinPolicy.TOKEN_DEFAULT);
        try (Token token = driver.login(info.serial(), PIN.toCharArray())) {
            token.generateKeyPair("seal", KeyAlgorithm.RSA_2048);
        }
        byte[] file = Files.readAllBytes(keyStoreFile(info));
        // OIDs are stored in the clear structure of the file
        assertTrue(contains(file, oid("1.2.840.113549.1.5.13")), "PBES2");
        assertTrue(contains(file, oid("2.16.840.1.101.3.4.1.42")), "AES-256-CBC");
        assertTrue(contains(file, oid("1.2.840.113549.2.9")), "PBKDF2 with HMAC-SHA256");
        assertTrue(contains(file, oid("2.16.840.1.101.3.4.2.1")), "SHA-256 MAC");
        assertFalse(contains(file, oid("1.2.840.113549.1.12.1.3")), "no 3DES");
        assertFalse(contains(file, oid("1.2.840.113549.1.12.1.6")), "no RC2-40");
        assertFalse(contains(file, oid("1.3.14.3.2.26")), "no SHA-1");
    }

    @Test
    void refusesToWriteWhenTheJvmAsksForLegacyPkcs12() {
        SoftTokenDriver driver = driver();
        System.setProperty("keystore.pkcs12.legacy", "");
        try {
            TokenException e = expect(Reason.DEVICE_ERROR, () -> initialise(driver, PinPolicy.TOKEN_DEFAULT));
            assertTrue(e.getMessage().contains("keystore.pkcs12.legacy"), e.getMessage());
        } finally {
            System.clearProperty("keystore.pkcs12.legacy");
        }
        assertFalse(driver.tokens().get(0).has(Flag.INITIALIZED), "nothing written");
    }

    @Test
    void filesAreOwnerOnly() throws IOException {
        SoftTokenDriver driver = new SoftTokenDriver(directory.resolve("tokens"), 2);
        TokenInfo info = initialise(driver, PinPolicy.TOKEN_DEFAULT);
        Path tokens = directory.resolve("tokens");
        if (!tokens.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            return;
        }
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(tokens)));
        for (String name : List.of("token-" + info.slotId() + ".p12", "token-" + info.slotId() + ".properties")) {
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(
                    tokens.resolve(name))), name);
        }
    }

    // --------------------------------------------------------------------------------------------- PIN policy

    @Test
    void wrongTriesSurviveARestartAndTheLockToo() {
        TokenInfo info = initialise(driver(), new PinPolicy(OptionalInt.of(3), false, true, 4));
        expect(Reason.WRONG_PIN, () -> driver().login(info.serial(), "wrong-pin".toCharArray()));
        TokenException second = expect(Reason.WRONG_PIN,
                () -> driver().login(info.serial(), "wrong-pin".toCharArray()));
        assertEquals(OptionalInt.of(1), second.triesLeft());

        TokenInfo listed = driver().tokens().get(0);
        assertEquals(OptionalInt.of(1), listed.userPinTriesLeft(), "count read back by a new driver");
        assertTrue(listed.has(Flag.USER_PIN_FINAL_TRY), listed.flags().toString());

        expect(Reason.PIN_LOCKED, () -> driver().login(info.serial(), "wrong-pin".toCharArray()));
        expect(Reason.PIN_LOCKED, () -> driver().login(info.serial(), PIN.toCharArray()));
        assertTrue(driver().tokens().get(0).has(Flag.USER_PIN_LOCKED));
    }

    @Test
    void tenTriesWhenThePolicyLeavesItToTheToken() {
        SoftTokenDriver driver = driver();
        TokenInfo info = initialise(driver, PinPolicy.TOKEN_DEFAULT);
        assertEquals(OptionalInt.of(SoftTokenDriver.DEFAULT_MAX_TRIES), info.userPinTriesLeft());
        for (int i = 1; i < 10; i++) {
            expect(Reason.WRONG_PIN, () -> driver.login(info.serial(), "wrong-pin".toCharArray()));
        }
        expect(Reason.PIN_LOCKED, () -> driver.login(info.serial(), "wrong-pin".toCharArray()));
    }

    @Test
    void mustChangeSurvivesARestartUntilTheChange() {
        TokenInfo info = initialise(driver(), PinPolicy.qualifiedSeal(5));
        driver().login(info.serial(), PIN.toCharArray()).close();
        try (Token token = driver().login(info.serial(), PIN.toCharArray())) {
            assertTrue(token.info().has(Flag.USER_PIN_TO_BE_CHANGED));
            expect(Reason.PIN_INVALID, () -> token.changePin(PIN.toCharArray(), PIN.toCharArray()));
            expect(Reason.PIN_INVALID, () -> token.changePin(PIN.toCharArray(), "123".toCharArray()));
            token.changePin(PIN.toCharArray(), "a-new-pin".toCharArray());
        }
        try (Token token = driver().login(info.serial(), "a-new-pin".toCharArray())) {
            assertFalse(token.info().has(Flag.USER_PIN_TO_BE_CHANGED));
        }
    }

    @Test
    void keysSurviveAPinChangeAndOtherSessionsFollow() {
        SoftTokenDriver driver = driver();
        TokenInfo info = initialise(driver, PinPolicy.TOKEN_DEFAULT);
        try (Token first = driver.login(info.serial(), PIN.toCharArray());
                Token second = driver.login(info.serial(), PIN.toCharArray())) {
            TokenKey key = first.generateKeyPair("seal", KeyAlgorithm.RSA_2048);
            first.changePin(PIN.toCharArray(), "a-new-pin".toCharArray());
            second.generateKeyPair("other", KeyAlgorithm.EC_P256); // written under the new PIN
            assertEquals(List.of("other", "seal"), first.keys().stream().map(TokenKey::alias).toList());
            assertNotNull(second.sign("seal", SignatureAlgorithm.RSA_PKCS1_SHA256, new byte[] {1}));
            assertArrayEquals(key.publicKey().getEncoded(), second.keys().get(1).publicKey().getEncoded());
        }
        try (Token token = driver().login(info.serial(), "a-new-pin".toCharArray())) {
            assertEquals(2, token.keys().size());
        }
    }

    @Test
    void minimumLengthOfThePolicy() {
        SoftTokenDriver driver = driver();
        expect(Reason.PIN_INVALID, () -> driver.initialize(0, SO.toCharArray(), "1234567".toCharArray(), "test",
                new PinPolicy(OptionalInt.empty(), false, true, 8)));
        expect(Reason.PIN_INVALID, () -> driver.initialize(0, "123".toCharArray(), PIN.toCharArray(), "test",
                PinPolicy.TOKEN_DEFAULT));
        TokenInfo info = driver.initialize(0, SO.toCharArray(), "12345678".toCharArray(), "test",
                new PinPolicy(OptionalInt.empty(), false, true, 8));
        try (Token token = driver.login(info.serial(), "12345678".toCharArray())) {
            expect(Reason.PIN_INVALID, () -> token.changePin("12345678".toCharArray(), "1234567".toCharArray()));
        }
    }

    @Test
    void securityOfficerUnblocksWhereThePolicyAllows() {
        SoftTokenDriver driver = driver();
        TokenInfo info = initialise(driver, new PinPolicy(OptionalInt.of(3), false, true, 4));
        for (int i = 0; i < 3; i++) {
            assertThrows(TokenException.class, () -> driver.login(info.serial(), "wrong-pin".toCharArray()));
        }
        expect(Reason.PIN_LOCKED, () -> driver.login(info.serial(), PIN.toCharArray()));
        expect(Reason.WRONG_PIN, () -> driver.unblock(info.serial(), "wrong-so-pin".toCharArray()));
        driver.unblock(info.serial(), SO.toCharArray());
        try (Token token = driver.login(info.serial(), PIN.toCharArray())) {
            assertTrue(token.info().has(Flag.USER_PIN_TO_BE_CHANGED), "the holder chooses a new PIN");
            assertEquals(OptionalInt.of(3), token.info().userPinTriesLeft());
        }
    }

    @Test
    void unblockingRefusedWhenThePolicyDisablesIt() {
        SoftTokenDriver driver = driver();
        TokenInfo info = initialise(driver, PinPolicy.qualifiedSeal(3));
        for (int i = 0; i < 3; i++) {
            assertThrows(TokenException.class, () -> driver.login(info.serial(), "wrong-pin".toCharArray()));
        }
        TokenException e = expect(Reason.PIN_LOCKED, () -> driver.login(info.serial(), PIN.toCharArray()));
        assertTrue(e.getMessage().contains("for good"), e.getMessage());
        expect(Reason.UNSUPPORTED, () -> driver.unblock(info.serial(), SO.toCharArray()));
        expect(Reason.PIN_LOCKED, () -> driver.login(info.serial(), PIN.toCharArray()));
    }

    @Test
    void reinitialisingNeedsTheSoPinAndNoOpenSession() {
        SoftTokenDriver driver = driver();
        TokenInfo info = initialise(driver, PinPolicy.TOKEN_DEFAULT);
        long slot = info.slotId();
        try (Token token = driver.login(info.serial(), PIN.toCharArray())) {
            token.generateKeyPair("seal", KeyAlgorithm.EC_P256);
            expect(Reason.BUSY, () -> driver.initialize(slot, SO.toCharArray(), PIN.toCharArray(), "again",
                    PinPolicy.TOKEN_DEFAULT));
        }
        expect(Reason.WRONG_PIN, () -> driver.initialize(slot, "wrong-so-pin".toCharArray(), PIN.toCharArray(),
                "again", PinPolicy.TOKEN_DEFAULT));
        TokenInfo again = driver.initialize(slot, SO.toCharArray(), "other-pin".toCharArray(), "again",
                PinPolicy.TOKEN_DEFAULT);
        assertNotEquals(info.serial(), again.serial(), "a new token, a new serial");
        expect(Reason.NOT_FOUND, () -> driver.login(info.serial(), PIN.toCharArray()));
        try (Token token = driver.login(again.serial(), "other-pin".toCharArray())) {
            assertEquals(List.of(), token.keys(), "the keys went with the old token");
        }
    }

    // -------------------------------------------------------------------------------------------------- slots

    @Test
    void theLowestFreeSlotIsTheBlankTokenWhileOneIsFree() {
        SoftTokenDriver driver = new SoftTokenDriver(directory, 2);
        assertEquals(List.of(0L), driver.tokens().stream().map(TokenInfo::slotId).toList());
        TokenInfo first = initialise(driver, PinPolicy.TOKEN_DEFAULT);
        assertEquals(0, first.slotId());
        assertEquals(List.of(0L, 1L), driver.tokens().stream().map(TokenInfo::slotId).toList());
        initialise(driver, PinPolicy.TOKEN_DEFAULT);
        assertTrue(driver.tokens().stream().allMatch(t -> t.has(Flag.INITIALIZED)), "no free slot left");
        expect(Reason.NOT_FOUND, () -> driver.initialize(2, SO.toCharArray(), PIN.toCharArray(), "x",
                PinPolicy.TOKEN_DEFAULT));
    }

    @Test
    void keyAliasesAreLowerCase() {
        SoftTokenDriver driver = driver();
        TokenInfo info = initialise(driver, PinPolicy.TOKEN_DEFAULT);
        try (Token token = driver.login(info.serial(), PIN.toCharArray())) {
            assertThrows(IllegalArgumentException.class, () -> token.generateKeyPair("Seal", KeyAlgorithm.EC_P256));
            assertThrows(IllegalArgumentException.class, () -> token.generateKeyPair("", KeyAlgorithm.EC_P256));
        }
    }

    @Test
    void refusesACertificateForAnotherKey() throws Exception {
        SoftTokenDriver driver = driver();
        TokenInfo info = initialise(driver, PinPolicy.TOKEN_DEFAULT);
        try (Token token = driver.login(info.serial(), PIN.toCharArray())) {
            token.generateKeyPair("seal", KeyAlgorithm.EC_P256);
            java.security.KeyPairGenerator generator = java.security.KeyPairGenerator.getInstance("EC");
            generator.initialize(256);
            java.security.cert.X509Certificate other = PlaceholderCertificate.create("seal",
                    generator.generateKeyPair());
            assertThrows(IllegalArgumentException.class, () -> token.importCertificate("seal", other));
            assertTrue(token.certificate("seal").isEmpty());
        }
    }

    @Test
    void signingAKeyWithTheWrongFamilyIsUnsupported() {
        SoftTokenDriver driver = driver();
        TokenInfo info = initialise(driver, PinPolicy.TOKEN_DEFAULT);
        try (Token token = driver.login(info.serial(), PIN.toCharArray())) {
            token.generateKeyPair("seal", KeyAlgorithm.EC_P256);
            expect(Reason.UNSUPPORTED, () -> token.sign("seal", SignatureAlgorithm.RSA_PKCS1_SHA256, new byte[1]));
            assertThrows(IllegalArgumentException.class,
                    () -> token.signDigest("seal", SignatureAlgorithm.ECDSA_SHA256, new byte[20]));
        }
    }

    // ---------------------------------------------------------------------------------------- corrupt files

    @Test
    void aGarbledKeyStoreIsADeviceErrorNamingTheFileNotAWrongPin() throws IOException {
        SoftTokenDriver driver = driver();
        TokenInfo info = initialise(driver, PinPolicy.TOKEN_DEFAULT);
        Path file = keyStoreFile(info);
        byte[] content = Files.readAllBytes(file);
        content[content.length / 2] ^= 0x01; // still parses; only the MAC (or the metadata's digest) can tell
        Files.write(file, content);

        TokenException e = expect(Reason.DEVICE_ERROR, () -> driver.login(info.serial(), PIN.toCharArray()));
        assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
        assertFalse(e.getMessage().contains(PIN), "no PIN in messages");
        assertEquals(OptionalInt.of(10), driver.tokens().get(0).userPinTriesLeft(), "no try counted");
    }

    @Test
    void aTruncatedKeyStoreIsADeviceErrorNamingTheFile() throws IOException {
        SoftTokenDriver driver = driver();
        TokenInfo info = initialise(driver, PinPolicy.TOKEN_DEFAULT);
        Path file = keyStoreFile(info);
        Files.write(file, new byte[] {0x30, 0x03, 0x02});
        TokenException e = expect(Reason.DEVICE_ERROR, () -> driver.login(info.serial(), PIN.toCharArray()));
        assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
    }

    @Test
    void corruptMetadataIsADeviceErrorNamingTheFile() throws IOException {
        SoftTokenDriver driver = driver();
        TokenInfo info = initialise(driver, PinPolicy.TOKEN_DEFAULT);
        Path file = metadataFile(info);
        Files.writeString(file, "format=1\nlabel=test\n");
        assertTrue(driver.tokens().stream().noneMatch(t -> info.serial().equals(t.serial())), "left out");
        TokenException e = expect(Reason.DEVICE_ERROR, () -> driver.login(info.serial(), PIN.toCharArray()));
        assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
    }

    @Test
    void aCrashBetweenTheTwoWritesLeavesAReadableToken() throws IOException {
        SoftTokenDriver driver = driver();
        TokenInfo info = initialise(driver, PinPolicy.TOKEN_DEFAULT);
        TokenFiles files = new TokenFiles(directory, (int) info.slotId());
        byte[] before = Files.readAllBytes(keyStoreFile(info));
        TokenMetadata metadataBefore = files.readMetadata().orElseThrow();
        try (Token token = driver.login(info.serial(), PIN.toCharArray())) {
            token.generateKeyPair("seal", KeyAlgorithm.EC_P256);
        }
        byte[] after = Files.readAllBytes(keyStoreFile(info));
        // as the first of the three writes leaves it: metadata accepting both files
        files.writeMetadata(metadataBefore.withKeyStoreDigests(
                List.of(TokenFiles.digest(before), TokenFiles.digest(after))));
        Files.write(keyStoreFile(info), before);
        try (Token token = driver().login(info.serial(), PIN.toCharArray())) {
            assertEquals(List.of(), token.keys(), "the old file opens");
        }
        Files.write(keyStoreFile(info), after);
        try (Token token = driver().login(info.serial(), PIN.toCharArray())) {
            assertEquals(1, token.keys().size(), "the new file opens");
        }
    }

    @Test
    void metadataIsReplacedAtomically() throws Exception {
        TokenFiles files = new TokenFiles(directory, 0);
        TokenMetadata shortOne = new TokenMetadata("a", "0123456789abcdef", "pbkdf2-sha256$1$AA==$AA==", 0, 3, false,
                true, 4, List.of("digest"));
        TokenMetadata longOne = new TokenMetadata("a much longer label".repeat(50), "fedcba9876543210",
                "pbkdf2-sha256$1$AA==$AA==", 2, 10, true, false, 8, List.of("digest", "other"));
        files.writeMetadata(shortOne);
        Thread writer = new Thread(() -> {
            for (int i = 0; i < 300; i++) {
                files.writeMetadata(i % 2 == 0 ? longOne : shortOne);
            }
        });
        writer.start();
        int reads = 0;
        while (writer.isAlive() || reads < 300) {
            TokenMetadata read = new TokenFiles(directory, 0).readMetadata().orElseThrow();
            assertTrue(read.equals(shortOne) || read.equals(longOne), "a whole old or new file, never a mix");
            reads++;
        }
        writer.join();
        try (Stream<Path> left = Files.list(directory)) {
            assertEquals(List.of("token-0.properties"), left.map(p -> p.getFileName().toString()).toList(),
                    "no temporary file left behind");
        }
    }

    @Test
    void metadataHoldsNoPin() throws IOException {
        TokenInfo info = initialise(driver(), PinPolicy.TOKEN_DEFAULT);
        String metadata = Files.readString(metadataFile(info));
        assertFalse(metadata.contains(SO) || metadata.contains(PIN), metadata);
        assertTrue(metadata.contains("soPinHash=pbkdf2-sha256$"), metadata);
    }

    private static boolean contains(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }

    /** The DER of an OBJECT IDENTIFIER, to look for in a file. */
    private static byte[] oid(String dotted) throws java.io.IOException {
        return new org.bouncycastle.asn1.ASN1ObjectIdentifier(dotted).getEncoded();
    }
}
