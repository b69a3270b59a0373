package io.cachet.ca.internal;

import java.security.cert.X509CRL;
import java.util.Optional;

/**
 * What the root of this CA offers while its key stays on a token the server does not keep open: its current
 * authority revocation list, and the ceremony that renews it with a PIN the operator supplies. Registered by
 * {@link CaComponent} for the HTTP endpoints of this bundle.
 */
public interface RootCeremony {

    /** The root's newest ARL; empty when the root is not offline (adopted, or made before ARLs were kept). */
    Optional<X509CRL> arl();

    /**
     * Signs a new ARL with the root token, opened with {@code rootPin} for this call only and logged out after.
     * The caller wipes {@code rootPin}.
     *
     * @throws CaException {@code INVALID_REQUEST} for a wrong PIN, {@code CONFLICT} when this CA has no offline root,
     *         {@code UNAVAILABLE} when the root token is not connected
     */
    X509CRL renewArl(char[] rootPin, String actor);
}
