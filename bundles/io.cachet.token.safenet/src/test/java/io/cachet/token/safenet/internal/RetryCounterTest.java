package io.cachet.token.safenet.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteOrder;
import java.util.OptionalInt;

import org.junit.jupiter.api.Test;

class RetryCounterTest {

    @Test
    void aCkUlongIsReadInTheGivenByteOrderWhateverItsSize() {
        assertEquals(OptionalInt.of(15), RetryCounter.decode(new byte[] {15, 0, 0, 0, 0, 0, 0, 0},
                ByteOrder.LITTLE_ENDIAN));
        assertEquals(OptionalInt.of(15), RetryCounter.decode(new byte[] {0, 0, 0, 0, 0, 0, 0, 15},
                ByteOrder.BIG_ENDIAN));
        assertEquals(OptionalInt.of(3), RetryCounter.decode(new byte[] {3, 0, 0, 0}, ByteOrder.LITTLE_ENDIAN));
        assertEquals(OptionalInt.of(0), RetryCounter.decode(new byte[] {0}, ByteOrder.LITTLE_ENDIAN));
        assertEquals(OptionalInt.of(9), RetryCounter.decode(new byte[] {0, 9}, ByteOrder.BIG_ENDIAN));
    }

    @Test
    void valuesThatCannotBeACounterAreIgnored() {
        assertEquals(OptionalInt.empty(), RetryCounter.decode(null));
        assertEquals(OptionalInt.empty(), RetryCounter.decode(new byte[0]));
        assertEquals(OptionalInt.empty(), RetryCounter.decode(new byte[3]));
        assertEquals(OptionalInt.empty(), RetryCounter.decode(new byte[] {0, 1, 0, 0}, ByteOrder.LITTLE_ENDIAN));
        assertEquals(OptionalInt.empty(), RetryCounter.decode(new byte[] {-1, -1, -1, -1, -1, -1, -1, -1},
                ByteOrder.LITTLE_ENDIAN));
    }

    @Test
    void theNativeOrderIsTheDefault() {
        byte[] five = ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN ? new byte[] {5, 0, 0, 0, 0, 0, 0, 0}
                : new byte[] {0, 0, 0, 0, 0, 0, 0, 5};
        assertEquals(OptionalInt.of(5), RetryCounter.decode(five));
    }
}
