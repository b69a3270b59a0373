package io.cachet.api.reseller;

import java.util.List;
import java.util.Optional;

import org.osgi.annotation.versioning.ProviderType;

import io.cachet.api.operator.IssuedApiKey;

/**
 * The resellers. A service; thread-safe.
 */
@ProviderType
public interface Resellers {

    /** A reseller just created, with the first key of its account (the only time the secret is shown). */
    record Created(Reseller reseller, IssuedApiKey apiKey) {
    }

    /**
     * Creates a reseller, its API account and a first key (scope {@code operator}).
     *
     * @throws IllegalArgumentException when the name is blank or longer than 200 characters, or the brand unknown
     */
    Created create(String name, String brand, String actor);

    Optional<Reseller> find(String id);

    /** @return the reseller whose API account is {@code login}, if any: how a request is tied to its reseller */
    Optional<Reseller> byLogin(String login);

    List<Reseller> list();

    /** Disables or enables a reseller: its keys are refused while it is disabled. */
    Reseller setDisabled(String id, boolean disabled, String actor);
}
