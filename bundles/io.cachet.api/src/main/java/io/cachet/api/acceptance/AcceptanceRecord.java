package io.cachet.api.acceptance;

import java.time.Instant;
import java.util.List;

/**
 * An order's acceptance.
 *
 * @param orderId the order
 * @param language the form's language ({@code fr}, {@code en}), the order's
 * @param persons one per person who must accept (one when the Certificate Manager is also the Legal
 *        Representative), Certificate Manager first
 * @param completedAt when the last person accepted, or null while someone has still to
 */
public record AcceptanceRecord(String orderId, String language, List<PersonAcceptance> persons, Instant completedAt) {

    public AcceptanceRecord {
        persons = List.copyOf(persons);
    }

    /** @return whether every person has accepted */
    public boolean complete() {
        return completedAt != null;
    }
}
