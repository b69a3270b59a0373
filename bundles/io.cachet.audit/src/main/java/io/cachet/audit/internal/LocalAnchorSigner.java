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

import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.cachet.api.audit.AuditAnchorSigner;

/**
 * Anchors with an Ed25519 key of this installation, kept outside the database (so that whoever can rewrite
 * the database cannot forge anchors): {@code ${cachet.data}/keys/audit-anchor-ed25519.key} (PKCS#8, DER) and
 * {@code .pub} (X.509 SubjectPublicKeyInfo, DER), created on first use, readable by the owner only where the
 * file system has POSIX permissions. Back both up: without the {@code .pub} file, existing anchors can no longer
 * be checked. Nodes sharing one database must share this key pair too (copy the files), or each will report
 * the others' anchors as invalid.
 *
 * <p>Ranked 0: a timestamp authority registered with a higher ranking takes over making new anchors, while
 * anchors made here stay verifiable as long as this component runs.
 */
@Component(service = AuditAnchorSigner.class,
        property = { AuditAnchorSigner.ID + "=" + LocalAnchorSigner.SIGNER_ID, "service.ranking:Integer=0" })
public final class LocalAnchorSigner implements AuditAnchorSigner {

    public static final String SIGNER_ID = "ed25519-local";
    static final String DATA_PROPERTY = "cachet.data";
    static final String KEY_FILE = "audit-anchor-ed25519.key";
    static final String PUBLIC_KEY_FILE = "audit-anchor-ed25519.pub";

    private static final Logger LOG = LoggerFactory.getLogger(LocalAnchorSigner.class);
    private static final String ALGORITHM = "Ed25519";
    private static final String RECOVERY = "anchors made with the old key will then be reported as invalid";

    private final Path keyFile;
    private final Path publicKeyFile;
    private KeyPair keys; // guarded by this; loaded on first use, not cached when loading fails
    private volatile String lastError;

    @Activate
    public LocalAnchorSigner(BundleContext context) {
        this(dataDirectory(context.getProperty(DATA_PROPERTY)).resolve("keys"));
    }

    /** @param keyDirectory where the key files are, or are to be created */
    public LocalAnchorSigner(Path keyDirectory) {
        Path dir = keyDirectory.toAbsolutePath();
        this.keyFile = dir.resolve(KEY_FILE);
        this.publicKeyFile = dir.resolve(PUBLIC_KEY_FILE);
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
        PublicKey publicKey;
        try {
            publicKey = keys().getPublic();
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
            s.initVerify(publicKey);
            s.update(statement);
            return s.verify(token);
        } catch (GeneralSecurityException | RuntimeException e) {
            return false; // a malformed token is simply not a valid one
        }
    }

    private synchronized KeyPair keys() {
        if (keys == null) {
            keys = Files.exists(keyFile) || Files.exists(publicKeyFile) ? load() : create();
            lastError = null;
        }
        return keys;
    }

    private KeyPair load() {
        if (!Files.exists(keyFile)) {
            throw failure(keyFile, "is missing while " + publicKeyFile + " exists: restore it from the backup, or "
                    + "delete " + publicKeyFile + " to create a new key pair (" + RECOVERY + ")");
        }
        if (!Files.exists(publicKeyFile)) {
            throw failure(publicKeyFile, "is missing and cannot be derived from " + keyFile + ": restore it from the "
                    + "backup, or delete " + keyFile + " to create a new key pair (" + RECOVERY + ")");
        }
        KeyFactory factory = keyFactory();
        PrivateKey privateKey;
        byte[] encoded = read(keyFile);
        try {
            privateKey = factory.generatePrivate(new PKCS8EncodedKeySpec(encoded, ALGORITHM));
        } catch (GeneralSecurityException | RuntimeException e) {
            throw corrupt(keyFile, "an Ed25519 private key (PKCS#8)");
        } finally {
            Arrays.fill(encoded, (byte) 0);
        }
        PublicKey publicKey;
        try {
            publicKey = factory.generatePublic(new X509EncodedKeySpec(read(publicKeyFile), ALGORITHM));
        } catch (GeneralSecurityException | RuntimeException e) {
            throw corrupt(publicKeyFile, "an Ed25519 public key (X.509)");
        }
        KeyPair pair = new KeyPair(publicKey, privateKey);
        if (!matches(pair)) {
            throw failure(keyFile, "and " + publicKeyFile + " are not one key pair: restore both from the same backup");
        }
        return pair;
    }

    private KeyPair create() {
        try {
            Files.createDirectories(keyFile.getParent(), ownerOnly(keyFile, "rwx------"));
            KeyPair pair = KeyPairGenerator.getInstance(ALGORITHM).generateKeyPair();
            // public key first: a crash in between leaves an orphan .pub, which load() explains, no anchor lost
            write(publicKeyFile, pair.getPublic().getEncoded());
            byte[] encoded = pair.getPrivate().getEncoded();
            try {
                write(keyFile, encoded);
            } finally {
                Arrays.fill(encoded, (byte) 0);
            }
            LOG.info("Created the audit anchor key pair {} and {}; back them up: without them existing anchors "
                    + "cannot be checked", keyFile, publicKeyFile);
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
