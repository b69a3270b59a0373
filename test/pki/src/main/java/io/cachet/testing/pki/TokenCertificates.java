package io.cachet.testing.pki;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Date;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.DefaultSignatureAlgorithmIdentifierFinder;

import io.cachet.api.token.SignatureAlgorithm;
import io.cachet.api.token.Token;

/**
 * The tests' one certificate for a key pair that lives on a token: self-signed, the signature made by the token
 * (so it also proves the token signs what X.509 needs).
 */
public final class TokenCertificates {

    private TokenCertificates() {
    }

    /**
     * A self-signed certificate for the key pair {@code alias} on {@code token} (public half {@code publicKey}),
     * valid from an hour ago for a year, checked against the public key before it is returned.
     *
     * @param subject an X.500 name, e.g. {@code CN=seal,O=Cachet test}
     * @throws AssertionError when the token's signature does not verify
     */
    public static X509Certificate selfSigned(Token token, String alias, PublicKey publicKey,
            SignatureAlgorithm algorithm, String subject) {
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        X500Name name = new X500Name(subject);
        JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(name, TestPki.serial(),
                Date.from(now.minus(1, ChronoUnit.HOURS)), Date.from(now.plus(365, ChronoUnit.DAYS)), name, publicKey);
        AlgorithmIdentifier id = new DefaultSignatureAlgorithmIdentifierFinder().find(algorithm.jcaName());
        ContentSigner signer = new ContentSigner() {
            private final ByteArrayOutputStream data = new ByteArrayOutputStream();

            @Override
            public AlgorithmIdentifier getAlgorithmIdentifier() {
                return id;
            }

            @Override
            public OutputStream getOutputStream() {
                return data;
            }

            @Override
            public byte[] getSignature() {
                return token.sign(alias, algorithm, data.toByteArray());
            }
        };
        try {
            X509Certificate certificate = new JcaX509CertificateConverter().getCertificate(builder.build(signer));
            certificate.verify(publicKey);
            return certificate;
        } catch (GeneralSecurityException e) {
            throw new AssertionError("the token's self-signed certificate for " + alias + " does not verify: " + e, e);
        }
    }
}
