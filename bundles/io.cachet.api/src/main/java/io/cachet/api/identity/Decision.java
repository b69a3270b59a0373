package io.cachet.api.identity;

import java.time.Instant;

/**
 * An operator's decision on a case's current attempt.
 *
 * @param operator who decided (operator login)
 * @param approved approve or reject
 * @param reason for a rejection, a code of the configured list (e.g. {@code document-unreadable},
 *        {@code selfie-mismatch}, {@code copy-not-original}); null for an approval
 * @param comment free text shown to the person with the reason (may be empty)
 * @param attempt the attempt number decided on
 * @param at when
 */
public record Decision(String operator, boolean approved, String reason, String comment, int attempt, Instant at) {
}
