package io.cachet.api.testing;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.util.Arrays;

/**
 * A {@link SecureRandom} that hands out the given bytes in order, for known-answer tests of code that draws keys and
 * nonces (e.g. that a cipher still writes the bytes a stored vector holds); asked for more than it was given, it fails
 * the test. Tests only: production code never has a switch for it. Not thread-safe.
 */
public final class ReplayedRandom extends SecureRandom {
    private static final long serialVersionUID = 1L;
    private final transient ByteBuffer bytes;

    /** The concatenation of {@code parts}, in order. */
    public ReplayedRandom(byte[]... parts) {
        ByteBuffer all = ByteBuffer.allocate(Arrays.stream(parts).mapToInt(b -> b.length).sum());
        for (byte[] part : parts) {
            all.put(part);
        }
        bytes = all.flip();
    }

    @Override
    public void nextBytes(byte[] out) {
        try {
            bytes.get(out);
        } catch (BufferUnderflowException e) {
            throw new AssertionError("asked for " + out.length + " random bytes, " + bytes.remaining() + " left to replay");
        }
    }
}
