package io.cachet.rest.internal;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

import io.cachet.api.rest.ApiException;

/** A request body that fails with {@link TooLarge} (a 413) as soon as it goes past its limit. */
final class LimitedInputStream extends FilterInputStream {

    /** The body went past the limit; {@link #problem()} is the 413 to answer. */
    static final class TooLarge extends IOException {
        private static final long serialVersionUID = 1L;
        private final transient ApiException problem;

        TooLarge(ApiException problem) {
            super(problem.getMessage());
            this.problem = problem;
        }

        ApiException problem() {
            return problem;
        }
    }

    private final long limit;
    private final ApiException tooLarge;
    private long read;

    LimitedInputStream(InputStream in, long limit, ApiException tooLarge) {
        super(in);
        this.limit = limit;
        this.tooLarge = tooLarge;
    }

    @Override
    public int read() throws IOException {
        int b = super.read();
        if (b >= 0) {
            count(1);
        }
        return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        int n = super.read(b, off, len);
        if (n > 0) {
            count(n);
        }
        return n;
    }

    @Override
    public long skip(long n) throws IOException {
        long skipped = super.skip(n);
        count(skipped);
        return skipped;
    }

    private void count(long n) throws TooLarge {
        read += n;
        if (read > limit) {
            throw new TooLarge(tooLarge);
        }
    }

    @Override
    public boolean markSupported() {
        return false;
    }
}
