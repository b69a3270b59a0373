package io.cachet.signature.internal;

import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import eu.europa.esig.dss.enumerations.CertificateStatus;
import eu.europa.esig.dss.model.x509.CertificateToken;
import eu.europa.esig.dss.spi.CertificateExtensionsUtils;
import eu.europa.esig.dss.spi.x509.revocation.RevocationToken;
import io.cachet.api.signature.SignatureException;
import io.cachet.api.signature.SignatureException.Reason;

/**
 * Refuses a signing certificate that is expired, not yet valid or revoked, before anything is signed. Revocation
 * is asked of the OCSP responder named in the certificate, then of its CRL distribution points.
 */
final class SigningCertificateCheck {
    private final Network network;

    SigningCertificateCheck(Network network) {
        this.network = network;
    }

    void requireValidAt(X509Certificate certificate, Instant now) {
        if (now.isAfter(certificate.getNotAfter().toInstant())) {
            throw new SignatureException(Reason.CERTIFICATE_EXPIRED, "the signing certificate of "
                    + subject(certificate) + " expired on " + certificate.getNotAfter().toInstant()
                    + ": renew the seal certificate to sign");
        }
        if (now.isBefore(certificate.getNotBefore().toInstant())) {
            throw new SignatureException(Reason.CERTIFICATE_EXPIRED, "the signing certificate of "
                    + subject(certificate) + " is not valid before " + certificate.getNotBefore().toInstant());
        }
    }

    /** Checks the revocation status; the issuer is looked for in {@code chain}, else fetched through AIA. */
    void requireNotRevoked(X509Certificate certificate, List<X509Certificate> chain) {
        CertificateToken cert = new CertificateToken(certificate);
        if (cert.isSelfSigned()) {
            return;
        }
        List<String> ocspUrls = CertificateExtensionsUtils.getOCSPAccessUrls(cert);
        List<String> crlUrls = CertificateExtensionsUtils.getCRLAccessUrls(cert);
        if (ocspUrls.isEmpty() && crlUrls.isEmpty()) {
            // nothing to ask: the certificate names no revocation service
            return;
        }
        CertificateToken issuer = issuer(cert, chain);
        List<String> failures = new ArrayList<>();
        RevocationToken<?> status = null;
        if (!ocspUrls.isEmpty()) {
            try {
                status = network.ocsp().getRevocationToken(cert, issuer);
                if (status == null) {
                    failures.add("OCSP " + ocspUrls + " gave no answer");
                }
            } catch (RuntimeException e) {
                failures.add("OCSP " + ocspUrls + ": " + Failures.rootMessage(e));
            }
        }
        if ((status == null || status.getStatus() == CertificateStatus.UNKNOWN) && !crlUrls.isEmpty()) {
            try {
                RevocationToken<?> crl = network.crl().getRevocationToken(cert, issuer);
                if (crl == null) {
                    failures.add("CRL " + crlUrls + " gave no answer");
                } else {
                    status = crl;
                }
            } catch (RuntimeException e) {
                failures.add("CRL " + crlUrls + ": " + Failures.rootMessage(e));
            }
        }
        if (status == null) {
            throw new SignatureException(Reason.REVOCATION_UNAVAILABLE, "the revocation status of the signing"
                    + " certificate of " + subject(certificate) + " cannot be obtained: " + String.join("; ", failures));
        }
        if (status.getStatus() == CertificateStatus.REVOKED) {
            throw new SignatureException(Reason.CERTIFICATE_REVOKED, "the signing certificate of "
                    + subject(certificate) + " is revoked"
                    + (status.getRevocationDate() == null ? "" : " since " + status.getRevocationDate().toInstant())
                    + (status.getReason() == null ? "" : " (" + status.getReason() + ")")
                    + ": a revoked certificate cannot sign");
        }
        if (status.getStatus() != CertificateStatus.GOOD) {
            throw new SignatureException(Reason.REVOCATION_UNAVAILABLE, "the revocation service does not know the"
                    + " signing certificate of " + subject(certificate) + " (status " + status.getStatus() + ")");
        }
    }

    private CertificateToken issuer(CertificateToken cert, List<X509Certificate> chain) {
        for (X509Certificate c : chain) {
            CertificateToken candidate = new CertificateToken(c);
            if (cert.isSignedBy(candidate)) {
                return candidate;
            }
        }
        Set<CertificateToken> fetched;
        try {
            fetched = network.aia().getCertificatesByAIA(cert);
        } catch (RuntimeException e) {
            throw new SignatureException(Reason.REVOCATION_UNAVAILABLE, "the issuer of the signing certificate is"
                    + " not given and cannot be fetched from its AIA: " + Failures.rootMessage(e), e);
        }
        for (CertificateToken candidate : fetched) {
            if (cert.isSignedBy(candidate)) {
                return candidate;
            }
        }
        throw new SignatureException(Reason.REVOCATION_UNAVAILABLE, "the issuer of the signing certificate of "
                + subject(cert.getCertificate()) + " is not given and its AIA does not lead to it:"
                + " give the certificate chain");
    }

    static String subject(X509Certificate certificate) {
        return certificate.getSubjectX500Principal().getName();
    }
}
