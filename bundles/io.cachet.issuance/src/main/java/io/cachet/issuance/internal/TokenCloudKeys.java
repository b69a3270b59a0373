package io.cachet.issuance.internal;

import java.io.IOException;
import java.io.OutputStream;
import java.io.ByteArrayOutputStream;
import java.io.StringWriter;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.DefaultSignatureAlgorithmIdentifierFinder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.cachet.api.security.SecretVault;
import io.cachet.api.token.KeyAlgorithm;
import io.cachet.api.token.PinPolicy;
import io.cachet.api.token.SignatureAlgorithm;
import io.cachet.api.token.Token;
import io.cachet.api.token.TokenDriver;
import io.cachet.api.token.TokenException;
import io.cachet.api.token.TokenInfo;
import io.cachet.api.token.TokenKey;

/**
 * Cloud keys on the token labelled {@code label} of a token driver ({@code Cachet Cloud Keys} on the software token by
 * default, a PKCS#11 HSM in production). Its user PIN is kept in {@code pinFile} sealed with the master key (vault
 * purpose {@value #PIN_PURPOSE}); the first use, when no such token exists and no PIN file either, initialises a
 * blank token of the driver with random PINs (the SO PIN sealed in {@code <pinFile>.so}). A PIN file without its
 * token is refused (keys would be lost silently), as the CA does for its own token. The PIN files are written under
 * a {@value #PENDING} name before the token is made and renamed once it is, so that a process killed in between
 * is not taken for a lost token at the next start: pending files without a token are dropped and the token made
 * again, a token with only pending files gets them renamed. Keys are generated on the token,
 * private half sensitive and never extractable (checked). The token is opened on first use and again after a
 * failure. Thread-safe.
 */
final class TokenCloudKeys implements CloudKeys, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(TokenCloudKeys.class);
    static final String PIN_PURPOSE = "issuance.cloud-token.pin";
    static final String SO_PIN_PURPOSE = "issuance.cloud-token.so-pin";
    /** The suffix of a PIN file written before its token is made, renamed once the token is. */
    static final String PENDING = ".pending";
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Supplier<TokenDriver> driver;
    private final String label;
    private final Path pinFile;
    private final SecretVault vault;
    private final KeyAlgorithm algorithm;
    private Token token;

    TokenCloudKeys(Supplier<TokenDriver> driver, String label, Path pinFile, SecretVault vault, KeyAlgorithm algorithm) {
        this.driver = driver;
        this.label = label;
        this.pinFile = pinFile;
        this.vault = vault;
        this.algorithm = algorithm;
    }

    @Override
    public synchronized String request(String alias) {
        Token t = token();
        try {
            TokenKey key = t.keys().stream().filter(k -> k.alias().equals(alias)).findFirst()
                    .orElseGet(() -> t.generateKeyPair(alias, algorithm));
            if (!key.protectedOnToken()) {
                throw new IllegalStateException("the cloud key '" + alias + "' can leave the token (sensitive="
                        + key.sensitive() + ", extractable=" + key.extractable() + "): refused");
            }
            SignatureAlgorithm sa = switch (key.algorithm()) {
            case EC_P256 -> SignatureAlgorithm.ECDSA_SHA256;
            case EC_P384 -> SignatureAlgorithm.ECDSA_SHA384;
            default -> SignatureAlgorithm.RSA_PKCS1_SHA256;
            };
            PKCS10CertificationRequest csr = new JcaPKCS10CertificationRequestBuilder(new X500Name("CN=" + alias),
                    key.publicKey()).build(new OnToken(t, alias, sa));
            StringWriter out = new StringWriter();
            try (JcaPEMWriter pem = new JcaPEMWriter(out)) {
                pem.writeObject(csr);
            }
            return out.toString();
        } catch (IOException e) {
            throw new IllegalStateException("cannot write the certification request: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            dropToken();
            throw e;
        }
    }

    @Override
    public synchronized void attach(String alias, X509Certificate certificate) {
        Token t = token();
        try {
            Optional<X509Certificate> present = t.certificate(alias);
            if (present.isEmpty() || !present.get().equals(certificate)) {
                t.importCertificate(alias, certificate);
            }
        } catch (RuntimeException e) {
            dropToken();
            throw e;
        }
    }

    /**
     * Runs {@code action} on the open token, outside this object's lock (tokens are thread-safe: signatures of
     * several holders run at once); a failure drops the token so that the next use opens it again.
     */
    <T> T use(java.util.function.Function<Token, T> action) {
        Token t;
        synchronized (this) {
            t = token();
        }
        try {
            return action.apply(t);
        } catch (RuntimeException e) {
            if (e instanceof TokenException te && te.reason() != TokenException.Reason.TOKEN_REMOVED
                    && te.reason() != TokenException.Reason.CLOSED && te.reason() != TokenException.Reason.DEVICE_ERROR) {
                throw e; // the token is fine; the request was not (unknown key, unsupported algorithm)
            }
            synchronized (this) {
                if (token == t) {
                    dropToken();
                }
            }
            throw e;
        }
    }

    /** The key {@code alias} alone, as a token view for signing ({@link CloudKeyView}). */
    Token view(String alias) {
        return new CloudKeyView(this, alias);
    }

    private Token token() {
        if (token == null) {
            token = open();
        }
        return token;
    }

    private void dropToken() {
        if (token != null) {
            try {
                token.close();
            } catch (RuntimeException e) {
                LOG.debug("Closing the cloud key token failed: {}", e.toString());
            }
            token = null;
        }
    }

    @Override
    public synchronized void close() {
        dropToken();
    }

    private Token open() {
        TokenDriver d = driver.get();
        if (d == null) {
            throw new IllegalStateException("the token driver of the cloud keys is not available");
        }
        List<TokenInfo> tokens = d.tokens();
        Optional<TokenInfo> existing = tokens.stream()
                .filter(t -> t.has(TokenInfo.Flag.INITIALIZED) && label.equals(t.label())).findFirst();
        Path soFile = Path.of(pinFile + ".so");
        Path pending = Path.of(pinFile + PENDING);
        Path soPending = Path.of(soFile + PENDING);
        if (existing.isPresent()) {
            if (!Files.exists(pinFile) && Files.exists(pending)) {
                // the process died after the token was made, before its PIN files were kept: keep them now
                Token t = login(d, existing.get(), pending);
                promote(soPending, soFile);
                promote(pending, pinFile);
                LOG.info("Finished the interrupted initialisation of the cloud key token '{}': its PIN files are"
                        + " {} and {}", label, pinFile, soFile);
                return t;
            }
            return login(d, existing.get(), pinFile);
        }
        if (Files.exists(pinFile)) {
            throw new IllegalStateException("no token labelled '" + label + "' on driver '" + d.id() + "' although"
                    + " its PIN file " + pinFile + " exists: the cloud key token is missing; restore it");
        }
        // PIN files still pending without their token: the process died before the token was made; nothing used them
        deleteQuietly(pending);
        deleteQuietly(soPending);
        TokenInfo blank = tokens.stream().filter(t -> !t.has(TokenInfo.Flag.INITIALIZED)).findFirst()
                .orElseThrow(() -> new IllegalStateException("driver '" + d.id() + "' offers no blank token to"
                        + " initialise the cloud key token '" + label + "'"));
        char[] userPin = randomPin();
        char[] soPin = randomPin();
        try {
            // the PINs are kept before the token is made (a token whose PIN is lost is lost), under names that
            // claim nothing: the user PIN file's own name says "the token exists", so it comes last
            write(pending, vault.sealChars(PIN_PURPOSE, userPin));
            write(soPending, vault.sealChars(SO_PIN_PURPOSE, soPin));
            TokenInfo made;
            try {
                made = d.initialize(blank.slotId(), soPin, userPin, label, PinPolicy.TOKEN_DEFAULT);
            } catch (RuntimeException e) {
                deleteQuietly(pending);
                deleteQuietly(soPending);
                throw e;
            }
            promote(soPending, soFile);
            promote(pending, pinFile);
            LOG.info("Initialised the cloud key token '{}' (serial {}) on driver '{}'; its PINs are sealed with the"
                    + " master key in {} and {}", label, made.serial(), d.id(), pinFile, soFile);
            return d.login(made.serial(), userPin);
        } finally {
            Arrays.fill(userPin, '\0');
            Arrays.fill(soPin, '\0');
        }
    }

    private Token login(TokenDriver d, TokenInfo token, Path file) {
        char[] pin = readPin(file);
        try {
            return d.login(token.serial(), pin);
        } finally {
            Arrays.fill(pin, '\0');
        }
    }

    /** Renames {@code from} to {@code to} at once, and forces the directory so that the new name survives a crash. */
    private static void promote(Path from, Path to) {
        if (!Files.exists(from)) {
            return; // promoted before the process died
        }
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
            try (FileChannel dir = FileChannel.open(to.toAbsolutePath().getParent(), StandardOpenOption.READ)) {
                dir.force(true);
            } catch (IOException e) {
                LOG.debug("Could not force the directory of {}: {}", to, e.toString()); // not every system can
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot rename " + from + " to " + to + ": " + e.getMessage(), e);
        }
    }

    private char[] readPin(Path file) {
        byte[] sealed;
        try {
            sealed = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new IllegalStateException("the PIN file " + file + " of the cloud key token '" + label
                    + "' is missing or unreadable; restore it", e);
        }
        try {
            return vault.openChars(PIN_PURPOSE, sealed);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the PIN file " + file + " cannot be opened: " + e.getMessage(), e);
        } finally {
            Arrays.fill(sealed, (byte) 0);
        }
    }

    private static void write(Path file, byte[] sealed) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            try {
                Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            } catch (UnsupportedOperationException e) {
                Files.createFile(file);
            }
            Files.write(file, sealed, StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.SYNC);
        } catch (IOException e) {
            throw new IllegalStateException("cannot write " + file + ": " + e.getMessage(), e);
        } finally {
            Arrays.fill(sealed, (byte) 0);
        }
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            LOG.warn("Could not delete {}: {}", file, e.getMessage());
        }
    }

    private static char[] randomPin() {
        byte[] bytes = new byte[24];
        RANDOM.nextBytes(bytes);
        char[] pin = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes).toCharArray();
        Arrays.fill(bytes, (byte) 0);
        return pin;
    }

    /** BouncyCastle signer whose key stays on the token: BC streams the request's bytes in, the token signs. */
    private static final class OnToken implements ContentSigner {
        private final Token token;
        private final String alias;
        private final SignatureAlgorithm algorithm;
        private final ByteArrayOutputStream buffer = new ByteArrayOutputStream(512);

        OnToken(Token token, String alias, SignatureAlgorithm algorithm) {
            this.token = token;
            this.alias = alias;
            this.algorithm = algorithm;
        }

        @Override
        public AlgorithmIdentifier getAlgorithmIdentifier() {
            return new DefaultSignatureAlgorithmIdentifierFinder().find(algorithm.jcaName());
        }

        @Override
        public OutputStream getOutputStream() {
            return buffer;
        }

        @Override
        public byte[] getSignature() {
            return token.sign(alias, algorithm, buffer.toByteArray());
        }
    }
}
