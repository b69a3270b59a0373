package io.cachet.api.identity;

import java.time.Instant;
import java.util.List;

/**
 * One try of a person at proving their identity.
 *
 * @param number 1, 2… within the case
 * @param provider the {@link IdentityProvider#id()} that ran it
 * @param reference the provider's reference (a vendor session), or null
 * @param documentType the {@link DocumentType#id()} the person chose, or null before
 * @param evidence the images received so far (latest of each kind)
 * @param mrz what the zone said, once it was accepted, else null
 * @param checks the automatic checks run on this attempt
 * @param startedAt when the provider started it
 * @param submittedAt when its evidence was complete (the case went to review), or null
 */
public record Attempt(int number, String provider, String reference, String documentType, List<Evidence> evidence,
        MrzData mrz, List<CheckResult> checks, Instant startedAt, Instant submittedAt) {

    public Attempt {
        evidence = evidence == null ? List.of() : List.copyOf(evidence);
        checks = checks == null ? List.of() : List.copyOf(checks);
    }
}
