package io.cachet.api.signature;

import java.time.Instant;
import java.util.List;

/**
 * One trusted list as loaded.
 *
 * @param location where it was read from
 * @param loaded whether it was read and parsed
 * @param signatureValid whether its signature is valid and made with one of its source's signing certificates
 * @param territory the scheme territory, e.g. {@code FR}; {@code null} when not loaded
 * @param services the number of trust services it lists
 * @param nextUpdate when the list says it will be replaced; {@code null} when not loaded
 * @param trusted whether its services are used as trust anchors: loaded, signature valid and not expired
 * @param problems why it is not trusted, and the structure warnings of the list; empty when all is well
 */
public record TrustedListStatus(String location, boolean loaded, boolean signatureValid, String territory,
        int services, Instant nextUpdate, boolean trusted, List<String> problems) {

    public TrustedListStatus {
        problems = List.copyOf(problems);
    }
}
