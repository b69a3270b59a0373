package io.cachet.console.internal;

import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Exponential back-off of failed credentials, in memory, per client address and per account (or API key).
 * After {@code freeAttempts} failures in a row for one of them, each further failure makes it wait
 * {@code initialDelay}, then twice as long, and so on up to a ceiling: a ceiling for client addresses and a lower
 * one for accounts, so that an attacker spread over many addresses can slow an account down but never lock its
 * owner out for long. During the wait every attempt is refused without its credential being checked. A success
 * clears the account's (and the client's) count; a count is forgotten after a quiet period.
 *
 * <p>Bounded: at most {@code maxEntries} keys are kept; beyond that the least recently used that is not waiting
 * goes first, then the least recently used. Thread-safe.
 */
final class LoginThrottle {

    /** Key prefixes: the kind of thing a key throttles. */
    static final String CLIENT = "client:";
    static final String ACCOUNT = "account:";
    static final String API_KEY = "apikey:";

    record Settings(int freeAttempts, Duration initialDelay, Duration maxClientDelay, Duration maxAccountDelay,
            int maxEntries) {
        static final Settings DEFAULTS = new Settings(5, Duration.ofSeconds(1), Duration.ofMinutes(15),
                Duration.ofMinutes(1), 10_000);

        Settings {
            if (freeAttempts < 1) {
                throw new IllegalArgumentException("backoffFreeAttempts must be 1 or more, got " + freeAttempts);
            }
            if (initialDelay.isNegative() || initialDelay.isZero()) {
                throw new IllegalArgumentException("backoffInitialSeconds must be 1 or more, got " + initialDelay.toSeconds());
            }
            if (maxClientDelay.compareTo(initialDelay) < 0) {
                throw new IllegalArgumentException("clientBackoffMaxSeconds must be at least backoffInitialSeconds, got "
                        + maxClientDelay.toSeconds());
            }
            if (maxAccountDelay.compareTo(initialDelay) < 0) {
                throw new IllegalArgumentException("accountBackoffMaxSeconds must be at least backoffInitialSeconds, got "
                        + maxAccountDelay.toSeconds());
            }
            if (maxEntries < 100) {
                throw new IllegalArgumentException("throttleMaxEntries must be 100 or more, got " + maxEntries);
            }
        }
    }

    private static final class Entry {
        int failures;
        Instant lastFailure;
        Instant blockedUntil = Instant.MIN;
    }

    private final Settings settings;
    /** Access order: the eldest is the least recently used. */
    private final LinkedHashMap<String, Entry> entries = new LinkedHashMap<>(64, 0.75f, true);

    LoginThrottle(Settings settings) {
        this.settings = settings;
    }

    /** @return how long the caller must still wait because of any of {@code keys}; zero when it may try now */
    synchronized Duration waitFor(Instant now, String... keys) {
        Duration wait = Duration.ZERO;
        for (String key : keys) {
            if (key == null) {
                continue;
            }
            Entry e = entries.get(key);
            if (e != null && now.isBefore(e.blockedUntil)) {
                Duration d = Duration.between(now, e.blockedUntil);
                wait = d.compareTo(wait) > 0 ? d : wait;
            }
        }
        return wait;
    }

    /** Counts a failure against each of {@code keys} and starts or lengthens their back-off. */
    synchronized void failure(Instant now, String... keys) {
        for (String key : keys) {
            if (key == null) {
                continue;
            }
            Entry e = entries.get(key);
            if (e == null) {
                makeRoom(now);
                e = new Entry();
                entries.put(key, e);
            } else if (Duration.between(e.lastFailure, now).compareTo(forgetAfter(key)) > 0) {
                e.failures = 0;
            }
            e.failures++;
            e.lastFailure = now;
            int over = e.failures - settings.freeAttempts();
            if (over > 0) {
                e.blockedUntil = now.plus(delay(key, over));
            }
        }
    }

    /** Clears {@code keys}: the credential was right. */
    synchronized void success(String... keys) {
        for (String key : keys) {
            if (key != null) {
                entries.remove(key);
            }
        }
    }

    synchronized int size() {
        return entries.size();
    }

    /** The back-off after the {@code over}-th failure beyond the free ones: initial × 2^(over-1), capped. */
    Duration delay(String key, int over) {
        Duration max = key.startsWith(CLIENT) ? settings.maxClientDelay() : settings.maxAccountDelay();
        if (over > 40) {
            return max;
        }
        Duration d = settings.initialDelay().multipliedBy(1L << (over - 1));
        return d.compareTo(max) > 0 ? max : d;
    }

    /** A count ends once nothing failed for four times its ceiling. */
    private Duration forgetAfter(String key) {
        return (key.startsWith(CLIENT) ? settings.maxClientDelay() : settings.maxAccountDelay()).multipliedBy(4);
    }

    private void makeRoom(Instant now) {
        if (entries.size() < settings.maxEntries()) {
            return;
        }
        for (Iterator<Map.Entry<String, Entry>> it = entries.entrySet().iterator(); it.hasNext()
                && entries.size() >= settings.maxEntries();) {
            if (!now.isBefore(it.next().getValue().blockedUntil)) {
                it.remove();
            }
        }
        Iterator<String> eldest = entries.keySet().iterator();
        while (entries.size() >= settings.maxEntries() && eldest.hasNext()) {
            eldest.next();
            eldest.remove();
        }
    }
}
