package io.cachet.ca.internal;

import io.cachet.api.ca.CertificateAuthorityException;

/**
 * A CA operation was refused or failed; the message names the problem (never key material or PINs). Without a
 * kind, the request was at fault ({@code INVALID_REQUEST}).
 */
public class CaException extends CertificateAuthorityException {
    private static final long serialVersionUID = 1L;

    public CaException(String message) {
        super(Kind.INVALID_REQUEST, message);
    }

    public CaException(String message, Throwable cause) {
        super(Kind.INVALID_REQUEST, message, cause);
    }

    public CaException(Kind kind, String message) {
        super(kind, message);
    }

    public CaException(Kind kind, String message, Throwable cause) {
        super(kind, message, cause);
    }
}
