package io.cachet.api.notify;

import java.time.Instant;

/**
 * A queued notification as stored: rendered, with its delivery state.
 *
 * @param id its identifier
 * @param channel e-mail or SMS
 * @param recipient the address or phone number
 * @param template the template key it was rendered from
 * @param language the language of the template used
 * @param brand the brand it was rendered for
 * @param subject the e-mail subject; empty for an SMS
 * @param body the text sent
 * @param status where it is
 * @param attempts how many times sending was tried
 * @param createdAt when it was queued
 * @param nextAttemptAt for {@link NotificationStatus#PENDING}, the earliest next attempt; else when it last changed
 * @param sentAt when it was sent or put in the outbox; {@code null} otherwise
 * @param lastError the last failure, one line for an operator; {@code null} when none
 */
public record NotificationRecord(String id, Channel channel, String recipient, String template, String language,
        String brand, String subject, String body, NotificationStatus status, int attempts, Instant createdAt,
        Instant nextAttemptAt, Instant sentAt, String lastError) {
}
