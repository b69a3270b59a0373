package io.cachet.api.identity;

import io.cachet.api.order.OrderRole;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;

/**
 * The identity proofing of one person for one order (one case for the Certificate Manager, another for the Legal
 * Representative when they are someone else). Holds no image bytes.
 *
 * @param id opaque, unguessable
 * @param orderId the order
 * @param role who in the order (a person who is both has one case, role {@code CERTIFICATE_MANAGER})
 * @param surname expected surname, from the order
 * @param givenNames expected given names, from the order
 * @param birthDate expected birth date, from the order
 * @param email where the person's links go
 * @param status where it stands
 * @param provider the provider of the open or last attempt (or the one chosen for the next)
 * @param attempts the attempts, oldest first
 * @param maxAttempts how many attempts the person has in all
 * @param decisions the operators' decisions, oldest first (two approvals when a second one is required)
 * @param level the proofing level claimed, e.g. the TS 119 461 OID {@code 0.4.0.19461.1.1} (baseline)
 * @param createdAt when the case was opened (the order entered VERIFICATION)
 * @param updatedAt when it last changed
 * @param purgedAt when its evidence was purged after the retention period, or null
 */
public record IdentityCase(String id, String orderId, OrderRole role, String surname, String givenNames,
        LocalDate birthDate, String email, CaseStatus status, String provider, List<Attempt> attempts,
        int maxAttempts, List<Decision> decisions, String level, Instant createdAt, Instant updatedAt,
        Instant purgedAt) {

    public IdentityCase {
        attempts = attempts == null ? List.of() : List.copyOf(attempts);
        decisions = decisions == null ? List.of() : List.copyOf(decisions);
    }

    /** @return the last attempt, or null before the first */
    public Attempt currentAttempt() {
        return attempts.isEmpty() ? null : attempts.get(attempts.size() - 1);
    }
}
