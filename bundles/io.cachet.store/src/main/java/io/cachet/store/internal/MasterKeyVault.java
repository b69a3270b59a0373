package io.cachet.store.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.generators.HKDFBytesGenerator;
import org.bouncycastle.crypto.params.HKDFParameters;

import io.cachet.api.security.SecretVault;

/**
 * The {@link SecretVault} on one 256-bit master key: a key per purpose derived with HKDF-SHA256 (BouncyCastle),
 * each secret sealed with AES-256-GCM (the JDK), the purpose bound as associated data. Blob format:
 * {@code 0x01 | 12-byte nonce | ciphertext and 16-byte tag}.
 *
 * <p>Where the master key comes from is decided once, by {@link #locate}: the environment variable
 * {@value #ENV_KEY} (base64 of 32 bytes), else a key file named by the framework property {@value #FILE_PROPERTY}
 * or the environment variable {@value #ENV_FILE}, else {@code DATA/secrets/master.key}, made at first start. The
 * last is the embedded default: convenient, and no protection against whoever copies the data directory.
 */
public final class MasterKeyVault implements SecretVault {

    public static final String ENV_KEY = "CACHET_MASTER_KEY";
    public static final String ENV_FILE = "CACHET_MASTER_KEY_FILE";
    public static final String FILE_PROPERTY = "cachet.masterKeyFile";

    private static final byte FORMAT = 1;
    private static final int KEY_BYTES = 32;
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final String CONTEXT = "cachet-vault-v1:";
    private static final SecureRandom RANDOM = new SecureRandom();

    private final byte[] master;
    private final String source;
    private final boolean keptWithData;
    private final Map<String, SecretKeySpec> keys = new ConcurrentHashMap<>();

    MasterKeyVault(byte[] master, String source, boolean keptWithData) {
        if (master.length != KEY_BYTES) {
            throw new IllegalArgumentException("the master key must be 32 bytes, not " + master.length);
        }
        this.master = master.clone();
        this.source = source;
        this.keptWithData = keptWithData;
    }

    /**
     * Finds the master key as described in the class comment.
     *
     * @param env the process environment (a parameter, so tests need not change the real one)
     * @param keyFileProperty the framework property {@value #FILE_PROPERTY}, or null
     * @throws IllegalStateException naming the source and what to do when a key is given but unusable
     */
    public static MasterKeyVault locate(Map<String, String> env, String keyFileProperty, Path dataDir) {
        Path data = dataDir.toAbsolutePath().normalize();
        String inline = env.get(ENV_KEY);
        if (inline != null && !inline.isBlank()) {
            return new MasterKeyVault(decode(inline, "the environment variable " + ENV_KEY),
                    "environment variable " + ENV_KEY, false);
        }
        String file = keyFileProperty != null && !keyFileProperty.isBlank() ? keyFileProperty : env.get(ENV_FILE);
        if (file != null && !file.isBlank()) {
            Path path = Path.of(file.trim()).toAbsolutePath().normalize();
            return new MasterKeyVault(read(path), "file " + path, inside(path, data));
        }
        Path embedded = data.resolve("secrets").resolve("master.key");
        if (!Files.exists(embedded, LinkOption.NOFOLLOW_LINKS)) {
            create(embedded);
        }
        return new MasterKeyVault(read(embedded), "file " + embedded + " (embedded default, inside the data directory)",
                true);
    }

    @Override
    public byte[] seal(String purpose, byte[] plaintext) {
        byte[] nonce = new byte[NONCE_BYTES];
        RANDOM.nextBytes(nonce);
        try {
            Cipher gcm = Cipher.getInstance("AES/GCM/NoPadding");
            gcm.init(Cipher.ENCRYPT_MODE, key(purpose), new GCMParameterSpec(TAG_BITS, nonce));
            gcm.updateAAD(aad(purpose));
            byte[] body = gcm.doFinal(plaintext);
            return ByteBuffer.allocate(1 + NONCE_BYTES + body.length).put(FORMAT).put(nonce).put(body).array();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("This Java runtime cannot encrypt with AES-256-GCM", e);
        }
    }

    @Override
    public byte[] open(String purpose, byte[] sealed) throws GeneralSecurityException {
        if (sealed == null || sealed.length < 1 + NONCE_BYTES + TAG_BITS / 8 || sealed[0] != FORMAT) {
            throw new GeneralSecurityException("not a secret sealed by Cachet's vault (unknown format or truncated)");
        }
        Cipher gcm = Cipher.getInstance("AES/GCM/NoPadding");
        gcm.init(Cipher.DECRYPT_MODE, key(purpose), new GCMParameterSpec(TAG_BITS, sealed, 1, NONCE_BYTES));
        gcm.updateAAD(aad(purpose));
        try {
            return gcm.doFinal(sealed, 1 + NONCE_BYTES, sealed.length - 1 - NONCE_BYTES);
        } catch (AEADBadTagException e) {
            throw new GeneralSecurityException("the secret '" + purpose + "' was sealed under another master key, or"
                    + " altered: start Cachet with the master key this data was sealed with (" + source + " now)", e);
        }
    }

    @Override
    public String keySource() {
        return source;
    }

    @Override
    public boolean keptWithData() {
        return keptWithData;
    }

    /** Forgets the key material; the vault is unusable afterwards. */
    void destroy() {
        Arrays.fill(master, (byte) 0);
        keys.clear();
    }

    private SecretKeySpec key(String purpose) {
        if (purpose == null || purpose.isBlank()) {
            throw new IllegalArgumentException("a sealed secret needs a purpose");
        }
        return keys.computeIfAbsent(purpose, p -> {
            HKDFBytesGenerator hkdf = new HKDFBytesGenerator(new SHA256Digest());
            hkdf.init(new HKDFParameters(master, null, aad(p)));
            byte[] derived = new byte[KEY_BYTES];
            hkdf.generateBytes(derived, 0, derived.length);
            try {
                return new SecretKeySpec(derived, "AES");
            } finally {
                Arrays.fill(derived, (byte) 0);
            }
        });
    }

    private static byte[] aad(String purpose) {
        return (CONTEXT + purpose).getBytes(StandardCharsets.UTF_8);
    }

    private static boolean inside(Path file, Path data) {
        try {
            return file.toRealPath().startsWith(data.toRealPath());
        } catch (IOException e) {
            return file.startsWith(data);
        }
    }

    private static byte[] decode(String base64, String where) {
        byte[] key;
        try {
            key = Base64.getDecoder().decode(base64.strip());
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException(where + " is not base64; make a master key with 'openssl rand -base64 32'");
        }
        if (key.length != KEY_BYTES) {
            Arrays.fill(key, (byte) 0);
            throw new IllegalStateException(where + " holds " + key.length + " bytes, not 32; make a master key with"
                    + " 'openssl rand -base64 32'");
        }
        return key;
    }

    private static byte[] read(Path file) {
        if (!Files.isReadable(file)) {
            throw new IllegalStateException("the master key file " + file + " is missing or unreadable; restore it"
                    + " (without it no sealed secret can be opened)");
        }
        try {
            Set<PosixFilePermission> perms = Files.getPosixFilePermissions(file);
            if (perms.stream().anyMatch(p -> p.name().startsWith("GROUP_") || p.name().startsWith("OTHERS_"))) {
                throw new IllegalStateException("the master key file " + file + " can be read by other users"
                        + " (permissions " + PosixFilePermissions.toString(perms) + "); run 'chmod 600 " + file + "'");
            }
        } catch (UnsupportedOperationException | IOException notPosix) {
            // not a POSIX file system: nothing to check
        }
        byte[] raw;
        try {
            raw = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new IllegalStateException("the master key file " + file + " cannot be read: " + e.getMessage());
        }
        String text = new String(raw, StandardCharsets.US_ASCII);
        Arrays.fill(raw, (byte) 0);
        int end = text.indexOf('\n');
        return decode(end < 0 ? text : text.substring(0, end), "the master key file " + file);
    }

    private static void create(Path file) {
        byte[] key = new byte[KEY_BYTES];
        RANDOM.nextBytes(key);
        byte[] line = (Base64.getEncoder().encodeToString(key) + "\n").getBytes(StandardCharsets.US_ASCII);
        try {
            Path dir = file.getParent();
            Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.write(file, line);
        } catch (FileAlreadyExistsException raced) {
            // another start made it first: use that one
        } catch (IOException e) {
            throw new IllegalStateException("cannot write the master key file " + file + ": " + e.getMessage());
        } finally {
            Arrays.fill(key, (byte) 0);
            Arrays.fill(line, (byte) 0);
        }
    }
}
