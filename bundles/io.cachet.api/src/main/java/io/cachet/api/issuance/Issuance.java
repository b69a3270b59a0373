package io.cachet.api.issuance;

import java.time.Instant;
import java.util.Optional;

import io.cachet.api.ca.SealCertificateRequest;

/**
 * Where an order's issuance stands.
 *
 * @param orderId the order
 * @param status where it stands
 * @param profile {@code CLOUD} (key made on the platform's token) or {@code QSCD} (key on the customer's token)
 * @param commonName the certificate's common name, frozen when the order entered {@code ISSUANCE}
 * @param organisation the certificate's subject organisation, frozen then too
 * @param serial the issued certificate's serial (lower-case hex), empty until issued
 * @param attempts how many times issuance was tried (cloud)
 * @param keyAlias the key pair's alias on the platform's cloud key token (cloud), empty for token orders
 * @param lastError why the last attempt failed (for operators; no key material), empty when none did
 * @param createdAt when the order entered {@code ISSUANCE}
 * @param updatedAt when this last changed
 */
public record Issuance(String orderId, Status status, SealCertificateRequest.Profile profile, String commonName,
        SealCertificateRequest.Organisation organisation, Optional<String> serial, Optional<String> keyAlias, int attempts,
        Optional<String> lastError, Instant createdAt, Instant updatedAt) {

    /** Where an issuance stands. */
    public enum Status {
        /** A cloud order's certificate is being made (or waits to retry after the CA was unavailable). */
        ISSUING,
        /** A token order waits for the certificate request made on its token. */
        AWAITING_REQUEST,
        /** The certificate is issued. */
        ISSUED,
        /**
         * The CA refused the request for good (e.g. a name it cannot certify), or the order ended before the
         * certificate was issued: nothing was issued; {@code lastError} says why and an operator decides.
         */
        FAILED
    }
}
