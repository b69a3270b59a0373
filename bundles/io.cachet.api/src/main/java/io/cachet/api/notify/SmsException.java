package io.cachet.api.notify;

/** An SMS gateway did not accept a message. */
public class SmsException extends Exception {
    private static final long serialVersionUID = 1L;

    private final boolean retryable;

    /**
     * @param message one line for an operator (a status and the vendor's reason), never the text or the number
     * @param retryable true for temporary failures (network, time-out, 5xx, 429): the message is tried again later;
     *        false when the gateway refused it for good (4xx): it fails at once
     */
    public SmsException(String message, boolean retryable, Throwable cause) {
        super(message, cause);
        this.retryable = retryable;
    }

    public SmsException(String message, boolean retryable) {
        this(message, retryable, null);
    }

    public boolean retryable() {
        return retryable;
    }
}
