package io.cachet.token.safenet.internal;

import io.cachet.api.token.TokenException;
import io.cachet.api.token.TokenException.Reason;

/** The CK_RV codes the ETC functions can answer that mean something to a caller; the rest is a device error. */
final class CkrCodes {

    static final long CKR_DEVICE_REMOVED = 0x32;
    static final long CKR_PIN_INCORRECT = 0xA0;
    static final long CKR_PIN_INVALID = 0xA1;
    static final long CKR_PIN_LEN_RANGE = 0xA2;
    static final long CKR_PIN_LOCKED = 0xA4;
    static final long CKR_SESSION_EXISTS = 0xB6;
    static final long CKR_TOKEN_NOT_PRESENT = 0xE0;

    private CkrCodes() {
    }

    static Reason reason(long code) {
        if (code == CKR_PIN_INCORRECT) {
            return Reason.WRONG_PIN;
        }
        if (code == CKR_PIN_LOCKED) {
            return Reason.PIN_LOCKED;
        }
        if (code == CKR_PIN_INVALID || code == CKR_PIN_LEN_RANGE) {
            return Reason.PIN_INVALID;
        }
        if (code == CKR_SESSION_EXISTS) {
            return Reason.BUSY;
        }
        if (code == CKR_TOKEN_NOT_PRESENT || code == CKR_DEVICE_REMOVED) {
            return Reason.TOKEN_REMOVED;
        }
        return Reason.DEVICE_ERROR;
    }

    static TokenException exception(long code, String what) {
        return new TokenException(reason(code), what + " failed with CK_RV 0x" + Long.toHexString(code));
    }
}
