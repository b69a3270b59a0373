package io.cachet.ca.internal;

import java.math.BigInteger;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import org.bouncycastle.asn1.x509.CRLReason;

/**
 * Issued and revoked certificates of one issuing CA. Implementations are thread-safe. The CA keeps them in the
 * database ({@link JdbcCertificateRepository}); the CA's unit tests also use one in memory (in its test sources).
 */
public interface CertificateRepository {

    /** A certificate this CA issued, with its revocation if any. */
    record Entry(BigInteger serial, X509Certificate certificate, Optional<Revocation> revocation) {
    }

    /** When and why a certificate was revoked; {@code reason} is an RFC 5280 CRLReason code. */
    record Revocation(Instant time, int reason) {
        public Revocation {
            if (reason < CRLReason.unspecified || reason > CRLReason.aACompromise || reason == 7) {
                throw new CaException("unknown CRL reason code " + reason);
            }
        }
    }

    /** A revoked serial, what a CRL entry needs: not the certificate (a CRL of many entries never decodes them). */
    record Revoked(BigInteger serial, Revocation revocation) {
    }

    void add(X509Certificate certificate);

    Optional<Entry> find(BigInteger serial);

    /** What a status answer needs of a certificate issued here: its revocation, if any; not the certificate. */
    record Status(BigInteger serial, Optional<Revocation> revocation) {
    }

    /** The status of {@code serial}, empty when this CA did not issue it; reads only the revocation columns. */
    Optional<Status> status(BigInteger serial);

    /**
     * Marks {@code serial} revoked.
     *
     * @throws CaException if the serial is unknown or already revoked
     */
    Entry revoke(BigInteger serial, Revocation revocation);

    /** All revoked serials, oldest revocation first. */
    List<Revoked> revoked();

    /** The next CRL number (monotonic). */
    BigInteger nextCrlNumber();

    /** How many certificates are revoked: the entries of a CRL made now. */
    long revokedCount();

    /**
     * A published CRL as kept for the next start: its number, its thisUpdate and nextUpdate as encoded (seconds),
     * how many entries it lists, and its DER encoding.
     */
    record KeptCrl(BigInteger number, Instant thisUpdate, Instant nextUpdate, long entries, byte[] der) {
    }

    /** Keeps {@code crl} as the last CRL published, in place of the one kept before. */
    void keepCrl(KeptCrl crl);

    /** The last CRL kept, if any. */
    Optional<KeptCrl> keptCrl();
}
