package io.cachet.delivery.cloud.internal.sign;

import java.time.Instant;

import io.cachet.api.ca.IssuedCertificate;

/**
 * One of the holder's cloud seals, as step 1 lists it.
 *
 * @param orderId the cloud order whose certificate it is
 * @param commonName the certificate's CN; null while none is issued
 * @param organisation the certificate's O; null while none is issued
 * @param validFrom notBefore; null while none is issued
 * @param validTo notAfter; null while none is issued
 * @param status whether it can seal now
 * @param serial the certificate's serial, lower-case hexadecimal; null while none is issued
 * @param revocation when and why the certificate was revoked; null unless {@link Status#REVOKED}
 */
public record Seal(String orderId, String commonName, String organisation, Instant validFrom, Instant validTo,
        Status status, String serial, IssuedCertificate.Revocation revocation) {

    /** Only {@link #VALID} seals can be chosen. */
    public enum Status {
        VALID, NOT_YET_VALID, EXPIRED, REVOKED, PENDING
    }

    public boolean usable() {
        return status == Status.VALID;
    }

    /** Whether its holder may still revoke it: issued, and neither revoked nor expired. */
    public boolean revocable() {
        return status == Status.VALID || status == Status.NOT_YET_VALID;
    }
}
