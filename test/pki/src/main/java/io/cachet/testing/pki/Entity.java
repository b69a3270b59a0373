package io.cachet.testing.pki;

import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;

/**
 * One certificate of a {@link TestPki} with its key pair.
 *
 * @param name the entity's name in the description
 * @param keys its key pair (generated in software)
 * @param certificate its certificate
 * @param issuers the issuing certificates up to the root, nearest first; empty for a self-signed certificate
 */
public record Entity(String name, KeyPair keys, X509Certificate certificate, List<X509Certificate> issuers) {

    public Entity {
        issuers = List.copyOf(issuers);
    }

    /** The certificate, then its issuers up to the root. */
    public List<X509Certificate> chain() {
        List<X509Certificate> chain = new ArrayList<>();
        chain.add(certificate);
        chain.addAll(issuers);
        return List.copyOf(chain);
    }
}
