package io.cachet.notify.internal;

/** What one delivery attempt gave. */
public sealed interface DeliveryResult {

    /** Accepted by the server or gateway. */
    record Sent() implements DeliveryResult {
    }

    /** Kept in the outbox (the channel has no real transport). */
    record KeptInOutbox() implements DeliveryResult {
    }

    /** Failed; {@code retryable} when a later attempt may succeed. {@code error} is one line for an operator. */
    record Failed(String error, boolean retryable) implements DeliveryResult {
    }

    static DeliveryResult sent() {
        return new Sent();
    }

    static DeliveryResult outbox() {
        return new KeptInOutbox();
    }

    static DeliveryResult retry(String error) {
        return new Failed(error, true);
    }

    static DeliveryResult permanent(String error) {
        return new Failed(error, false);
    }
}
