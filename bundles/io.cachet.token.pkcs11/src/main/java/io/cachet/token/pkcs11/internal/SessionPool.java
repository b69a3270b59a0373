package io.cachet.token.pkcs11.internal;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

import org.xipki.pkcs11.wrapper.Session;

import io.cachet.api.token.TokenException;
import io.cachet.api.token.TokenException.Reason;

/**
 * The sessions of one logged-in token. A PKCS#11 session runs one operation at a time, so every operation
 * borrows a session for its duration; a borrower waits at most the configured time and then gets {@code BUSY},
 * so an overloaded or stuck token shows up as an error instead of piling up threads.
 */
final class SessionPool {

    private final String token;
    private final List<Session> all;
    private final BlockingQueue<Session> idle;
    private final Duration timeout;
    private volatile boolean closed;

    SessionPool(String token, List<Session> sessions, Duration timeout) {
        this.token = token;
        this.all = List.copyOf(sessions);
        this.idle = new ArrayBlockingQueue<>(sessions.size(), false, sessions);
        this.timeout = timeout;
    }

    int size() {
        return all.size();
    }

    /**
     * @throws TokenException {@code CLOSED} once closed, {@code BUSY} when no session came free in time
     */
    Session borrow() {
        if (closed) {
            throw closedException();
        }
        Session session;
        try {
            session = idle.poll(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TokenException(Reason.BUSY, "Interrupted while waiting for a session of token " + token, e);
        }
        if (session == null) {
            throw new TokenException(Reason.BUSY, "All " + all.size() + " sessions of token " + token
                    + " stayed busy for " + timeout.toMillis() + " ms: raise poolSize or borrowTimeoutMillis, or "
                    + "send fewer operations at once");
        }
        if (closed) {
            idle.offer(session);
            throw closedException();
        }
        return session;
    }

    void giveBack(Session session) {
        idle.offer(session);
    }

    /**
     * Stops lending and waits, at most the borrow timeout, for the sessions lent out to come back.
     *
     * @return every session of the pool, returned or not, for the caller to log out and close
     */
    List<Session> close() {
        closed = true;
        long deadline = System.nanoTime() + timeout.toNanos();
        int back = 0;
        while (back < all.size()) {
            try {
                if (idle.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS) == null) {
                    break;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            back++;
        }
        return all;
    }

    boolean closed() {
        return closed;
    }

    private TokenException closedException() {
        return new TokenException(Reason.CLOSED, "Token " + token + " was closed (logged out): log in again");
    }
}
