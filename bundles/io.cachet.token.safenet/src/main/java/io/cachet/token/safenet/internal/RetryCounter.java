package io.cachet.token.safenet.internal;

import java.nio.ByteOrder;
import java.util.OptionalInt;

/**
 * Decodes SafeNet's retry counter attributes ({@code ETCKA_RETRY_USER}, {@code ETCKA_RETRY_USER_MAX}). They are
 * CK_ULONGs, so their raw value is the platform's {@code unsigned long}: 8 bytes on 64-bit Linux and macOS, 4 on
 * Windows, in native byte order. Shorter values are accepted in case a library returns a CK_BYTE.
 */
final class RetryCounter {

    /** The eToken counts at most 15 tries (SAC's range is 1 to 15); anything far beyond is not a counter. */
    static final int PLAUSIBLE_MAX = 255;

    private RetryCounter() {
    }

    static OptionalInt decode(byte[] raw) {
        return decode(raw, ByteOrder.nativeOrder());
    }

    static OptionalInt decode(byte[] raw, ByteOrder order) {
        if (raw == null || !(raw.length == 1 || raw.length == 2 || raw.length == 4 || raw.length == 8)) {
            return OptionalInt.empty();
        }
        long value = 0;
        for (int i = 0; i < raw.length; i++) {
            int index = order == ByteOrder.LITTLE_ENDIAN ? raw.length - 1 - i : i;
            value = (value << 8) | (raw[index] & 0xff);
        }
        return value >= 0 && value <= PLAUSIBLE_MAX ? OptionalInt.of((int) value) : OptionalInt.empty();
    }
}
