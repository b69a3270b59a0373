package io.cachet.api.notify;

/** How a notification reaches its recipient. */
public enum Channel {
    /** E-mail; the recipient is an address ({@code alice@example.org}). */
    EMAIL,
    /** SMS; the recipient is a phone number in E.164 form ({@code +33612345678}). */
    SMS;

    /** Lower-case name as used in configurations, template paths and the REST API: {@code email}, {@code sms}. */
    public String id() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
