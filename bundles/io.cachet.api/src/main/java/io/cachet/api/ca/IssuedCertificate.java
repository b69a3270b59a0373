package io.cachet.api.ca;

import java.math.BigInteger;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Optional;

/**
 * A certificate the CA issued.
 *
 * @param serial its serial number
 * @param certificate the certificate
 * @param revocation when and why it was revoked, if it was
 */
public record IssuedCertificate(BigInteger serial, X509Certificate certificate, Optional<Revocation> revocation) {

    /** Serial as lower-case hexadecimal, the form used in URLs and logs. */
    public String serialHex() {
        return serial.toString(16);
    }

    public boolean revoked() {
        return revocation.isPresent();
    }

    /** @param time when the revocation took effect */
    public record Revocation(Instant time, RevocationReason reason) {
    }
}
