package io.cachet.api.issuance;

import java.math.BigInteger;
import java.util.Optional;

import io.cachet.api.ca.IssuedCertificate;
import io.cachet.api.ca.RevocationReason;
import org.osgi.annotation.versioning.ProviderType;

/**
 * The certificates of orders: which certificate an order got, which order a certificate belongs to, and the
 * issuance of a token order's certificate from the request made on its token. A service of the issuance module;
 * thread-safe; safe with several nodes on one database.
 */
@ProviderType
public interface OrderCertificates {

    /**
     * @return the certificate issued for the order (its current revocation status included), empty while none
     *         is (or for an unknown order)
     */
    Optional<IssuedCertificate> find(String orderId);

    /** @return the id of the order the certificate with this serial was issued for, if it was issued for one */
    Optional<String> orderOf(BigInteger serial);

    /**
     * Where the order's issuance stands (the subject frozen when it entered {@code ISSUANCE}, the profile, the
     * state, the last error), empty before the order entered {@code ISSUANCE}.
     */
    Optional<Issuance> status(String orderId);

    /**
     * Issues the certificate of a token order waiting in {@code ISSUANCE} (or in {@code DELIVERY} after its previous
     * certificate was {@linkplain #discard discarded}), for the key whose request
     * {@code csrPem} is (PKCS#10, PEM), with the subject frozen when the order entered {@code ISSUANCE}; then
     * reports the order's issuance check passed. Idempotent: the same request again returns the certificate
     * already issued.
     *
     * @param actor who asks, as the audit log names actors
     * @throws IssuanceException {@code NOT_FOUND} for an unknown order or one that has not entered
     *         {@code ISSUANCE}; {@code CONFLICT} for a cloud order, or when a certificate was issued for another
     *         request; {@code INVALID} for a bad request (malformed, weak key); {@code UNAVAILABLE} when the CA
     *         cannot issue now (retry later: nothing was issued)
     */
    IssuedCertificate issue(String orderId, String csrPem, String actor);

    /**
     * Revokes the certificate issued for a token order whose token will not reach its holder (provisioning started
     * again on another token, the letter lost) and makes the order wait for the request of its next token
     * ({@code AWAITING_REQUEST}); the order keeps its state. The next certificate is a new CA request (the order's
     * id and the attempt), so nothing is ever issued twice for one request. Audited ({@code issuance.discarded}).
     * Idempotent: an order with no certificate issued is returned as it is.
     *
     * @param reason the revocation reason, e.g. {@code CESSATION_OF_OPERATION} for a token never used,
     *        {@code KEY_COMPROMISE} for a token lost in the post
     * @throws IssuanceException {@code NOT_FOUND} before {@code ISSUANCE}, {@code CONFLICT} for a cloud order,
     *         {@code UNAVAILABLE} when the CA cannot revoke now (nothing changed)
     * @since 1.1
     */
    Issuance discard(String orderId, RevocationReason reason, String actor);
    /**
     * Revokes the certificate issued for the order for good, whoever asks (an operator in the console, the order's
     * Certificate Manager in the customer space): the CA records and audits the revocation under {@code actor} and
     * tells its revocation listeners (the order's people are e-mailed, its reseller's webhook called). The order keeps
     * its state. The caller checks that {@code actor} may revoke this order's certificate and that the reason is one
     * it may give.
     *
     * @param reason the revocation reason; never {@code CA_COMPROMISE}, which is the CA's own
     * @throws IssuanceException {@code NOT_FOUND} when no certificate was issued for the order, {@code CONFLICT} when
     *         it is already revoked, {@code INVALID} for {@code CA_COMPROMISE}, {@code UNAVAILABLE} when the CA cannot
     *         revoke now (nothing changed)
     * @since 1.3
     */
    IssuedCertificate revoke(String orderId, RevocationReason reason, String actor);
}
