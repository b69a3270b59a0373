package io.cachet.api.ca;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Told of each revocation the CA records, whatever asked for it (an operator's console, the REST API, a token
 * delivery that discards a certificate). Whiteboard: register it as an OSGi service.
 *
 * <p>It is called on the revoking thread, <em>inside the transaction that records the revocation</em>, after the
 * revocation's own statements: what it writes to the deployment's database through the services that join the
 * calling thread's transaction (e.g. an e-mail queued with {@link io.cachet.api.notify.Notifier#send}) commits with
 * the revocation, or not at all. It runs while the CA holds that transaction, which other issuances and revocations
 * may share: do only quick database work here, nothing slow or remote. When it throws, its own changes are undone
 * (a savepoint), the failure is logged, and the revocation stands.
 *
 * @since 2.2
 */
@ConsumerType
public interface RevocationListener {

    /**
     * @param certificate the certificate just revoked, with its revocation
     * @param actor who revoked it, as the audit log names actors
     */
    void revoked(IssuedCertificate certificate, String actor);
}
