package io.cachet.api.notify;

/**
 * A notification cannot be queued: an unknown template, a template error, a malformed recipient, or an unknown
 * brand. The message names the problem for the caller's log or error answer; it never contains the model's values.
 */
public class NotificationException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public NotificationException(String message) {
        super(message);
    }

    public NotificationException(String message, Throwable cause) {
        super(message, cause);
    }
}
