package io.cachet.issuance.internal;

import java.io.IOException;
import java.io.OutputStream;
import java.io.ByteArrayOutputStream;
import java.io.StringWriter;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
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
import io.cachet.api.token.SignatureAlgorithm;
import io.cachet.api.token.Token;
import io.cachet.api.token.TokenCustody;
import io.cachet.api.token.TokenDriver;
import io.cachet.api.token.TokenException;
import io.cachet.api.token.TokenKey;

/**
 * Cloud keys on the token labelled {@code label} of a token driver ({@code Cachet Cloud Keys} on the software token by
 * default, a PKCS#11 HSM in production). Its user PIN is kept in {@code pinFile} sealed with the master key (vault
 * purpose {@value #PIN_PURPOSE}); the first use, when no such token exists and no PIN file either, initialises a
 * blank token of the driver with random PINs (the SO PIN sealed in {@code <pinFile>.so}), safe against a crash
 * meanwhile, and a PIN file without its token is refused (keys would be lost silently): {@link TokenCustody}, as
 * for the CA's tokens. Keys are generated on the token,
 * private half sensitive and never extractable (checked). The token is opened on first use and again after a
 * failure. Thread-safe.
 */
final class TokenCloudKeys implements CloudKeys, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(TokenCloudKeys.class);
    static final String PIN_PURPOSE = "issuance.cloud-token.pin";
    static final String SO_PIN_PURPOSE = "issuance.cloud-token.so-pin";

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
        TokenCustody.Opened opened = TokenCustody.open(d, label, pinFile,
                TokenCustody.sealed(vault, PIN_PURPOSE, SO_PIN_PURPOSE), true, "the cloud key token");
        switch (opened.outcome()) {
        case INITIALISED -> LOG.info("Initialised the cloud key token '{}' (serial {}) on driver '{}'; its PINs are"
                + " sealed with the master key in {} and {}{}", label, opened.serial(), d.id(), pinFile, pinFile,
                TokenCustody.SO);
        case FINISHED -> LOG.info("Finished the interrupted initialisation of the cloud key token '{}': its PIN"
                + " files are {} and {}{}", label, pinFile, pinFile, TokenCustody.SO);
        case OPENED -> { }
        }
        return opened.token();
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
