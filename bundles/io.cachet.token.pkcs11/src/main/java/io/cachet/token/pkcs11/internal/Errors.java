package io.cachet.token.pkcs11.internal;

import static org.xipki.pkcs11.wrapper.PKCS11Constants.*;

import java.util.OptionalInt;

import org.xipki.pkcs11.wrapper.PKCS11Constants;
import org.xipki.pkcs11.wrapper.PKCS11Exception;

import io.cachet.api.token.TokenException;
import io.cachet.api.token.TokenException.Reason;

/** Turns the module's CKR_* codes into the reasons of the token API, with messages that say what to do. */
final class Errors {

    private Errors() {
    }

    static String name(long ckr) {
        String name = PKCS11Constants.ckrCodeToName(ckr);
        return name == null ? "CKR_0x" + Long.toHexString(ckr) : name;
    }

    static Reason reason(long ckr) {
        if (ckr == CKR_PIN_INCORRECT) {
            return Reason.WRONG_PIN;
        }
        if (ckr == CKR_PIN_LOCKED) {
            return Reason.PIN_LOCKED;
        }
        if (ckr == CKR_PIN_INVALID || ckr == CKR_PIN_LEN_RANGE || ckr == CKR_PIN_EXPIRED) {
            return Reason.PIN_INVALID;
        }
        if (removal(ckr)) {
            return Reason.TOKEN_REMOVED;
        }
        if (ckr == CKR_SESSION_COUNT || ckr == CKR_SESSION_EXISTS || ckr == CKR_USER_ALREADY_LOGGED_IN
                || ckr == CKR_USER_ANOTHER_ALREADY_LOGGED_IN || ckr == CKR_OPERATION_ACTIVE) {
            return Reason.BUSY;
        }
        if (ckr == CKR_MECHANISM_INVALID || ckr == CKR_MECHANISM_PARAM_INVALID || ckr == CKR_KEY_SIZE_RANGE
                || ckr == CKR_KEY_TYPE_INCONSISTENT || ckr == CKR_TEMPLATE_INCONSISTENT
                || ckr == CKR_ATTRIBUTE_VALUE_INVALID || ckr == CKR_ATTRIBUTE_TYPE_INVALID
                || ckr == CKR_DOMAIN_PARAMS_INVALID || ckr == CKR_CURVE_NOT_SUPPORTED
                || ckr == CKR_FUNCTION_NOT_SUPPORTED || ckr == CKR_KEY_FUNCTION_NOT_PERMITTED
                || ckr == CKR_TOKEN_WRITE_PROTECTED) {
            return Reason.UNSUPPORTED;
        }
        if (ckr == CKR_SLOT_ID_INVALID || ckr == CKR_OBJECT_HANDLE_INVALID || ckr == CKR_KEY_HANDLE_INVALID) {
            return Reason.NOT_FOUND;
        }
        return Reason.DEVICE_ERROR;
    }

    /**
     * Codes after which the sessions of a token are gone: the token was pulled, the reader or module reset, or the
     * module was finalised underneath us. Logging in again is the only way back.
     */
    static boolean removal(long ckr) {
        return ckr == CKR_TOKEN_NOT_PRESENT || ckr == CKR_DEVICE_REMOVED || ckr == CKR_SESSION_HANDLE_INVALID
                || ckr == CKR_SESSION_CLOSED || ckr == CKR_DEVICE_ERROR || ckr == CKR_TOKEN_NOT_RECOGNIZED
                || ckr == CKR_CRYPTOKI_NOT_INITIALIZED || ckr == CKR_USER_NOT_LOGGED_IN;
    }

    static TokenException map(PKCS11Exception e, String what) {
        return map(e, what, OptionalInt.empty());
    }

    static TokenException map(PKCS11Exception e, String what, OptionalInt triesLeft) {
        long ckr = e.getErrorCode();
        Reason reason = reason(ckr);
        String hint = switch (reason) {
            case WRONG_PIN -> triesLeft.isPresent() ? ": wrong PIN, " + triesLeft.getAsInt() + " tries left"
                    : ": wrong PIN";
            case PIN_LOCKED -> ": the PIN is locked";
            case PIN_INVALID -> ckr == CKR_PIN_EXPIRED ? ": the PIN has expired and must be changed first"
                    : ": the token refuses this PIN (length or characters)";
            case TOKEN_REMOVED -> ckr == CKR_CRYPTOKI_NOT_INITIALIZED
                    ? ": the PKCS#11 module was finalised; open the driver and log in again"
                    : ": the token was removed or reset; plug it in and log in again";
            case BUSY -> ckr == CKR_SESSION_EXISTS
                    ? ": sessions are open on the token; log out of it (close its Token) first"
                    : ": the token is in use";
            case UNSUPPORTED -> ": the token does not support this";
            default -> "";
        };
        return new TokenException(reason, what + " failed with " + name(ckr) + hint,
                reason == Reason.WRONG_PIN ? triesLeft : OptionalInt.empty(), e);
    }
}
