package io.cachet.api.token;

import java.util.OptionalInt;
import java.util.Set;

/**
 * A token as its slot reports it.
 *
 * @param slotId slot identifier within the driver
 * @param label token label ({@code ""} when blank)
 * @param serial token serial number (stable while the token is plugged)
 * @param manufacturer e.g. {@code SafeNet, Inc.}
 * @param model e.g. {@code eToken}
 * @param flags state flags
 * @param userPinTriesLeft tries left before the user PIN locks, where the token tells
 */
public record TokenInfo(long slotId, String label, String serial, String manufacturer, String model,
        Set<Flag> flags, OptionalInt userPinTriesLeft) {

    public TokenInfo {
        flags = Set.copyOf(flags);
    }

    public boolean has(Flag flag) {
        return flags.contains(flag);
    }

    /** Token state flags (PKCS#11 token flags and their equivalents). */
    public enum Flag {
        INITIALIZED, USER_PIN_INITIALIZED, LOGIN_REQUIRED, USER_PIN_COUNT_LOW, USER_PIN_FINAL_TRY,
        USER_PIN_LOCKED, USER_PIN_TO_BE_CHANGED, SO_PIN_LOCKED, WRITE_PROTECTED
    }
}
