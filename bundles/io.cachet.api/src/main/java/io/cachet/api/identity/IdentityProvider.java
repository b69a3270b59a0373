package io.cachet.api.identity;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * A way of proving a person's identity: Cachet's phone flow, an external proofing vendor. Register it as an OSGi
 * service with the property {@value #ID} equal to {@link #id()} (whiteboard). Which provider a new case uses is the
 * identity service's configuration (a default, and per brand or per reseller), changed while running; a case keeps
 * the provider that started it until it ends, and if that provider is gone the person is told to come back later.
 *
 * <p>Every provider ends in the same place: the evidence and checks recorded in the case (through
 * {@link IdentityCases}), then an operator's decision. A provider never approves a case itself.
 */
@ConsumerType
public interface IdentityProvider {

    /** Service property naming the provider, equal to {@link #id()}. */
    String ID = "cachet.identity.provider";

    /** Stable identifier, lower case letters, digits and '-', e.g. {@code mobile}, {@code vendor}. */
    String id();

    /**
     * Starts an attempt of {@code identityCase}: the person has opened their identity link and is about to be sent
     * on. Called once per attempt (a new attempt after a rejection calls it again).
     *
     * @param identityCase the case, with its new attempt last in {@link IdentityCase#attempts()}
     * @param flowToken a fresh secret (256 bits, URL-safe) that {@link IdentityCases#byFlowToken} resolves to this
     *        case while the attempt is open: a provider serving its own pages puts it in their URL; a vendor
     *        adapter may ignore it
     * @param language {@code fr} or {@code en}, the language the person's pages should use
     * @return where to send the person's browser, and the provider's own reference for the attempt (a vendor's
     *         session id, stored with the attempt and used to find the case again), may be null
     * @throws IdentityException when the attempt cannot start (a vendor unreachable): the person is told to try
     *         again later and nothing is recorded as started
     */
    Start start(IdentityCase identityCase, String flowToken, String language) throws IdentityException;

    /**
     * The case ended (approved, rejected for good, its order ended) or its attempt was replaced: release what the
     * provider holds for it (a vendor session). Default: nothing.
     */
    default void ended(IdentityCase identityCase) {
    }

    /**
     * @param url absolute ({@code https://vendor…}) or starting with {@code /} (a page of this server, without its
     *        context path)
     * @param reference the provider's reference of the attempt, or null
     */
    record Start(String url, String reference) {
    }
}
