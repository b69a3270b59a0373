package io.cachet.api.signature;

/**
 * Signing or validation was refused or failed. The message is one line, says what is wrong with the input or the
 * environment and, where there is one, what to do; {@link #reason()} lets programs tell the cases apart (a command
 * line maps it to an exit code, never to a stack trace).
 */
public class SignatureException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** Why signing or validation stopped. */
    public enum Reason {
        /** The options do not fit together or do not fit the input (e.g. PAdES of a file that is not a PDF). */
        INVALID_OPTIONS,
        /** The PDF is encrypted and no password, or a wrong one, was given. */
        PASSWORD_REQUIRED,
        /** The input cannot be read as what it should be: truncated or corrupt PDF, malformed XML, bad PEM. */
        MALFORMED_INPUT,
        /** The XML input has a DOCTYPE (entities could read local files or expand without bound): refused. */
        XML_DOCTYPE_REFUSED,
        /** The signing certificate is expired or not yet valid. */
        CERTIFICATE_EXPIRED,
        /** The signing certificate is revoked. */
        CERTIFICATE_REVOKED,
        /** The revocation status of a certificate could not be obtained (OCSP and CRL unreachable or unusable). */
        REVOCATION_UNAVAILABLE,
        /** The time-stamp authority did not answer or answered with an error. */
        TIMESTAMP_UNAVAILABLE,
        /** The key cannot be used: no certificate, wrong PIN or password, token error, unsupported algorithm. */
        KEY_UNUSABLE,
        /** Reading the input or writing the output failed. */
        IO,
        /** Anything else the signature library reported. */
        FAILED
    }

    private final Reason reason;

    public SignatureException(Reason reason, String message) {
        this(reason, message, null);
    }

    public SignatureException(Reason reason, String message, Throwable cause) {
        super(oneLine(message), cause);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }

    private static String oneLine(String message) {
        return message == null ? "" : message.replaceAll("\\s*[\\r\\n]+\\s*", " ").trim();
    }
}
