package io.cachet.signature.internal;

import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.AccessDeniedException;
import java.util.Locale;

import eu.europa.esig.dss.alert.exception.AlertException;
import eu.europa.esig.dss.pades.exception.InvalidPasswordException;
import eu.europa.esig.dss.pades.exception.ProtectedDocumentException;
import io.cachet.api.token.TokenException;
import io.cachet.api.signature.SignatureException;
import io.cachet.api.signature.SignatureException.Reason;

/** Turns whatever DSS, PDFBox, the token or the file system threw into one {@link SignatureException}. */
final class Failures {

    private Failures() {
    }

    static SignatureException map(Throwable thrown, String what) {
        for (Throwable t = thrown; t != null; t = t.getCause()) {
            if (t instanceof SignatureException s) {
                return s;
            }
        }
        for (Throwable t = thrown; t != null; t = t.getCause()) {
            if (t instanceof TokenException te) {
                return new SignatureException(Reason.KEY_UNUSABLE,
                        "the token could not sign (" + te.reason() + "): " + te.getMessage(), thrown);
            }
            if (t instanceof InvalidPasswordException) {
                return new SignatureException(Reason.PASSWORD_REQUIRED,
                        what + " is encrypted: give its password (the one given, if any, is wrong)", thrown);
            }
            if (t instanceof ProtectedDocumentException) {
                return new SignatureException(Reason.INVALID_OPTIONS,
                        what + " forbids modification (its permissions do not allow signing): "
                                + rootMessage(t), thrown);
            }
            if (t instanceof AlertException) {
                String m = rootMessage(t);
                String lower = m.toLowerCase(Locale.ROOT);
                if (lower.contains("revoked")) {
                    return new SignatureException(Reason.CERTIFICATE_REVOKED, m, thrown);
                }
                if (lower.contains("revocation")) {
                    return new SignatureException(Reason.REVOCATION_UNAVAILABLE, "revocation data for level LT/LTA"
                            + " could not be gathered: " + m + " Every certificate below the trust anchors (signer,"
                            + " issuing CA, TSA) needs an OCSP or CRL answer: give the certificates that name no"
                            + " revocation service (often the TSA's) as trust anchors", thrown);
                }
                if (lower.contains("expired") || lower.contains("not yet valid")) {
                    return new SignatureException(Reason.CERTIFICATE_EXPIRED, m, thrown);
                }
                return new SignatureException(Reason.FAILED, m, thrown);
            }
            if (t instanceof NoSuchFileException e) {
                return new SignatureException(Reason.IO, "no such file: " + e.getFile(), thrown);
            }
            if (t instanceof AccessDeniedException e) {
                return new SignatureException(Reason.IO, "permission denied: " + e.getFile(), thrown);
            }
            if (t instanceof IOException) {
                return new SignatureException(Reason.IO, what + ": " + rootMessage(t), thrown);
            }
        }
        return new SignatureException(Reason.FAILED, what + " failed: " + rootMessage(thrown), thrown);
    }

    /** The innermost message, or the innermost class name when it has none. */
    static String rootMessage(Throwable thrown) {
        String message = null;
        Throwable last = thrown;
        for (Throwable t = thrown; t != null; t = t.getCause()) {
            last = t;
            if (t.getMessage() != null && !t.getMessage().isBlank()) {
                message = t.getMessage();
            }
        }
        return message != null ? message : last.getClass().getSimpleName();
    }
}
