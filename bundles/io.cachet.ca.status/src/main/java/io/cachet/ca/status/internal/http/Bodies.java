package io.cachet.ca.status.internal.http;

import java.io.IOException;
import java.io.InputStream;

/** Request bodies read with a size limit. */
final class Bodies {

    /** Thrown when a body is larger than allowed; the caller answers 413. */
    static final class TooLarge extends IOException {
        private static final long serialVersionUID = 1L;

        TooLarge(int max) {
            super("the request body is larger than " + max + " bytes");
        }
    }

    private Bodies() {
    }

    /** Reads at most {@code max} bytes; more (announced or sent) is refused without reading it all. */
    static byte[] read(InputStream in, long contentLength, int max) throws IOException {
        if (contentLength > max) {
            throw new TooLarge(max);
        }
        byte[] data = in.readNBytes(max + 1);
        if (data.length > max) {
            throw new TooLarge(max);
        }
        return data;
    }
}
