package io.cachet.ca.internal;

/** A CA operation was refused or failed; the message names the problem (never key material or PINs). */
public class CaException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    public CaException(String message) {
        super(message);
    }

    public CaException(String message, Throwable cause) {
        super(message, cause);
    }
}
