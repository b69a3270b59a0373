package io.cachet.audit.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.cachet.api.audit.AuditAnchorSigner;
import io.cachet.api.security.SecretVault;

/**
 * Anchors with an Ed25519 key of this installation, kept outside the database (so that whoever can rewrite the
 * database cannot forge anchors) and never in clear: the private key (PKCS#8) is sealed with the master-key
 * {@link SecretVault} (purpose {@value #PURPOSE}) in {@code ${cachet.data}/keys/audit-anchor-ed25519.key.sealed};
 * the public key (X.509 SubjectPublicKeyInfo, DER) is {@code audit-anchor-ed25519.pub}, all that
 * {@code cachet-cli audit verify} needs. Both are created on first use, readable by the owner only where the file
 * system has POSIX permissions. A clear {@code audit-anchor-ed25519.key} of an earlier version is sealed and
 * deleted at first use. Back the files up, and the master key: without the {@code .pub} file existing anchors can
 * no longer be checked, without the sealed key and the master key no new ones made with this key. Nodes sharing
 * one database must share this key pair and master key too, or each reports the others' anchors as invalid.
 *
 * <p>Not a service of its own: the audit component owns it, so that it is still there to anchor the chain when
 * Cachet stops (a timestamp authority, ranked higher, makes the anchors while the CA runs).
 */
public final class LocalAnchorSigner implements AuditAnchorSigner {

    public static final String SIGNER_ID = "ed25519-local";
    /** The vault purpose the private key is sealed for. */
    public static final String PURPOSE = "audit.anchor.key";
    static final String DATA_PROPERTY = "cachet.data";
    /** Where earlier versions kept the private key in clear; sealed and deleted at first use. */
    static final String CLEAR_KEY_FILE = "audit-anchor-ed25519.key";
    static final String KEY_FILE = "audit-anchor-ed25519.key.sealed";
    public static final String PUBLIC_KEY_FILE = "audit-anchor-ed25519.pub";

    private static final Logger LOG = LoggerFactory.getLogger(LocalAnchorSigner.class);
    private static final String ALGORITHM = "Ed25519";
    private static final String RECOVERY = "anchors made with the old key will then be reported as invalid";

    private final Path keyFile;
    private final Path clearKeyFile;
    private final Path publicKeyFile;
    private final SecretVault vault;
    private KeyPair keys; // guarded by this; loaded on first signature, not cached when loading fails
    private PublicKey publicKey; // guarded by this
    private volatile String lastError;

    /**
     * @param keyDirectory where the key files are, or are to be created
     * @param vault seals the private key; null for a signer that only verifies (with the public key)
     */
    public LocalAnchorSigner(Path keyDirectory, SecretVault vault) {
        Path dir = keyDirectory.toAbsolutePath();
        this.keyFile = dir.resolve(KEY_FILE);
        this.clearKeyFile = dir.resolve(CLEAR_KEY_FILE);
        this.publicKeyFile = dir.resolve(PUBLIC_KEY_FILE);
        this.vault = vault;
    }

    /** Checks anchors with the public key alone: no master key needed, nothing created. */
    public static LocalAnchorSigner verifier(Path keyDirectory) {
        return new LocalAnchorSigner(keyDirectory, null);
    }

    static Path dataDirectory(String property) {
        return Path.of(property == null || property.isBlank() ? "cachet-data" : property.trim());
    }

    @Override
    public String id() {
        return SIGNER_ID;
    }

    /** @throws IllegalStateException naming the key file and what to do when it cannot be read or created */
    @Override
    public byte[] sign(byte[] statement) {
        if (vault == null) {
            throw new IllegalStateException("this Ed25519 anchor signer only verifies");
        }
        try {
            Signature s = Signature.getInstance(ALGORITHM);
            s.initSign(keys().getPrivate());
            s.update(statement);
            return s.sign();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Ed25519 signing failed: " + e.getMessage(), e);
        }
    }

    @Override
    public boolean verify(byte[] statement, byte[] token) {
        if (statement == null || token == null) {
            return false;
        }
        PublicKey key;
        try {
            key = publicKey();
        } catch (IllegalStateException e) {
            // verify must not throw; say why every anchor fails, but once, not once per anchor
            if (!e.getMessage().equals(lastError)) {
                LOG.error(e.getMessage());
            }
            lastError = e.getMessage();
            return false;
        }
        try {
            Signature s = Signature.getInstance(ALGORITHM);
            s.initVerify(key);
            s.update(statement);
            return s.verify(token);
        } catch (GeneralSecurityException | RuntimeException e) {
            return false; // a malformed token is simply not a valid one
        }
    }

    private synchronized PublicKey publicKey() {
        if (keys != null) {
            return keys.getPublic();
        }
        if (publicKey == null) {
            if (!Files.exists(publicKeyFile)) {
                throw failure(publicKeyFile, "is missing: restore it from the backup (without it the anchors made "
                        + "with this installation's key cannot be checked)");
            }
            publicKey = readPublic();
            lastError = null;
        }
        return publicKey;
    }

    private synchronized KeyPair keys() {
        if (keys == null) {
            boolean any = Files.exists(keyFile) || Files.exists(clearKeyFile) || Files.exists(publicKeyFile);
            keys = any ? load() : create();
            lastError = null;
        }
        return keys;
    }

    private KeyPair load() {
        if (!Files.exists(publicKeyFile)) {
            throw failure(publicKeyFile, "is missing and cannot be derived from " + keyFile + ": restore it from the "
                    + "backup, or delete " + keyFile + " to create a new key pair (" + RECOVERY + ")");
        }
        PublicKey pub = readPublic();
        if (Files.exists(clearKeyFile)) {
            return sealClearKey(pub);
        }
        if (!Files.exists(keyFile)) {
            throw failure(keyFile, "is missing while " + publicKeyFile + " exists: restore it from the backup, or "
                    + "delete " + publicKeyFile + " to create a new key pair (" + RECOVERY + ")");
        }
        byte[] sealed = read(keyFile);
        byte[] encoded;
        try {
            encoded = vault.open(PURPOSE, sealed);
        } catch (GeneralSecurityException e) {
            throw failure(keyFile, "cannot be opened with the master key from " + vault.keySource() + " ("
                    + e.getMessage() + "): give Cachet the master key it was sealed with, or restore it from the backup");
        }
        KeyPair pair = pair(pub, encoded, keyFile);
        return pair;
    }

    /** Seals the clear private key of an earlier version and deletes the clear file. */
    private KeyPair sealClearKey(PublicKey pub) {
        byte[] encoded = read(clearKeyFile);
        byte[] copy = encoded.clone();
        KeyPair pair = pair(pub, encoded, clearKeyFile);
        try {
            write(keyFile, vault.seal(PURPOSE, copy));
            Files.delete(clearKeyFile);
        } catch (IOException e) {
            throw failure(clearKeyFile, "cannot be sealed into " + keyFile + " and deleted (" + describe(e)
                    + "): make " + keyFile.getParent() + " writable by the Cachet process");
        } finally {
            Arrays.fill(copy, (byte) 0);
        }
        LOG.info("Sealed the audit anchor key with the master key into {} and deleted the clear {}", keyFile,
                clearKeyFile);
        return pair;
    }

    /** The pair of the public key and the PKCS#8 private key {@code encoded} (wiped here). */
    private KeyPair pair(PublicKey pub, byte[] encoded, Path from) {
        PrivateKey privateKey;
        try {
            privateKey = keyFactory().generatePrivate(new PKCS8EncodedKeySpec(encoded, ALGORITHM));
        } catch (GeneralSecurityException | RuntimeException e) {
            throw corrupt(from, "an Ed25519 private key (PKCS#8)");
        } finally {
            Arrays.fill(encoded, (byte) 0);
        }
        KeyPair pair = new KeyPair(pub, privateKey);
        if (!matches(pair)) {
            throw failure(from, "and " + publicKeyFile + " are not one key pair: restore both from the same backup");
        }
        return pair;
    }

    private PublicKey readPublic() {
        try {
            return keyFactory().generatePublic(new X509EncodedKeySpec(read(publicKeyFile), ALGORITHM));
        } catch (GeneralSecurityException | RuntimeException e) {
            if (e instanceof IllegalStateException s && s.getMessage().startsWith("Audit anchor key file")) {
                throw s;
            }
            throw corrupt(publicKeyFile, "an Ed25519 public key (X.509)");
        }
    }

    private KeyPair create() {
        try {
            Files.createDirectories(keyFile.getParent(), ownerOnly(keyFile, "rwx------"));
            KeyPair pair = KeyPairGenerator.getInstance(ALGORITHM).generateKeyPair();
            // public key first: a crash in between leaves an orphan .pub, which load() explains, no anchor lost
            write(publicKeyFile, pair.getPublic().getEncoded());
            byte[] encoded = pair.getPrivate().getEncoded();
            try {
                write(keyFile, vault.seal(PURPOSE, encoded));
            } finally {
                Arrays.fill(encoded, (byte) 0);
            }
            LOG.info("Created the audit anchor key pair {} (sealed with the master key) and {}; back them up and the "
                    + "master key: without them existing anchors cannot be checked", keyFile, publicKeyFile);
            return pair;
        } catch (IOException e) {
            throw failure(keyFile, "cannot be created (" + describe(e) + "): make " + keyFile.getParent()
                    + " writable by the Cachet process");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("This Java runtime cannot make Ed25519 keys: " + e.getMessage(), e);
        }
    }

    private static void write(Path target, byte[] content) throws IOException {
        Path temp = Files.createTempFile(target.getParent(), target.getFileName() + ".", ".tmp",
                ownerOnly(target, "rw-------"));
        try {
            Files.write(temp, content);
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    private static FileAttribute<?>[] ownerOnly(Path path, String permissions) {
        return path.getFileSystem().supportedFileAttributeViews().contains("posix")
                ? new FileAttribute<?>[] { PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString(permissions)) }
                : new FileAttribute<?>[0];
    }

    private byte[] read(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw failure(file, "cannot be read (" + describe(e) + "): make it readable by the Cachet process");
        }
    }

    private static boolean matches(KeyPair pair) {
        try {
            byte[] probe = "cachet audit anchor key check".getBytes(StandardCharsets.US_ASCII);
            Signature s = Signature.getInstance(ALGORITHM);
            s.initSign(pair.getPrivate());
            s.update(probe);
            byte[] signature = s.sign();
            s.initVerify(pair.getPublic());
            s.update(probe);
            return s.verify(signature);
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    private static KeyFactory keyFactory() {
        try {
            return KeyFactory.getInstance(ALGORITHM);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("This Java runtime has no Ed25519: " + e.getMessage(), e);
        }
    }

    private IllegalStateException corrupt(Path file, String expected) {
        return failure(file, "is not " + expected + " (corrupt or replaced): restore it from the backup, or delete "
                + keyFile.getFileName() + " and " + publicKeyFile.getFileName() + " to create a new key pair ("
                + RECOVERY + ")");
    }

    private static IllegalStateException failure(Path file, String what) {
        return new IllegalStateException("Audit anchor key file " + file + " " + what);
    }

    private static String describe(IOException e) {
        return e instanceof FileSystemException f && f.getReason() != null ? e.getClass().getSimpleName() + ": "
                + f.getReason() : e.getClass().getSimpleName();
    }
}
