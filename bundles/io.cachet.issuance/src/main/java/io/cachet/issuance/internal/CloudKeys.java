package io.cachet.issuance.internal;

import java.security.cert.X509Certificate;

/** Where cloud orders' key pairs are made and kept: the platform's cloud key token. */
interface CloudKeys {

    /**
     * The certification request (PKCS#10, PEM) of the key pair {@code alias}, made on the token first when it is not
     * there yet (so a retried attempt reuses the pair it made). The subject is a placeholder: the CA takes the
     * subject from the order, never from the request.
     *
     * @throws io.cachet.api.token.TokenException or {@link IllegalStateException} when the token cannot be used now
     */
    String request(String alias);

    /** Stores the issued certificate next to its key pair (done again harmlessly). */
    void attach(String alias, X509Certificate certificate);
}
