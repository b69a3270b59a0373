package io.cachet.api.ca;

import java.math.BigInteger;
import java.util.Objects;
import java.util.Optional;

/**
 * The revocation status of a certificate the CA issued, as a revocation status service (OCSP) publishes it.
 *
 * @param serial the certificate's serial number
 * @param revocation when and why it was revoked; empty while it is good
 * @since 2.0
 */
public record CertificateStatus(BigInteger serial, Optional<IssuedCertificate.Revocation> revocation) {

    public CertificateStatus {
        Objects.requireNonNull(serial, "serial");
        Objects.requireNonNull(revocation, "revocation");
    }

    public boolean revoked() {
        return revocation.isPresent();
    }
}
