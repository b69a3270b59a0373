package io.cachet.delivery.cloud.internal.factor;

import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.time.Instant;
import java.util.Locale;
import java.util.OptionalLong;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Time-based one-time passwords, RFC 6238 over RFC 4226's HOTP: HMAC-SHA1 of the 30-second time step, dynamic
 * truncation, 6 digits (what authenticator apps use with an {@code otpauth://totp/} URI).
 *
 * <p>Written here rather than embedding java-otp (com.eatthepath, not an OSGi bundle): the algorithm is the dozen
 * lines of RFC 4226 section 5.3 around the JDK's own HMAC ({@link Mac}), no cryptography of our own; it is tested
 * against RFC 6238 appendix B's vectors. Thread-safe; stateless.
 */
public final class Totp {

    /** Seconds of a time step. */
    public static final int STEP_SECONDS = 30;
    /** Digits of a code. */
    public static final int DIGITS = 6;
    /** Steps accepted before and after the current one (clock drift between phone and server). */
    public static final int WINDOW = 1;

    private Totp() {
    }

    /** The time step of {@code t} (RFC 6238: T = floor((unix time - T0) / X), T0 = 0, X = 30). */
    public static long step(Instant t) {
        return Math.floorDiv(t.getEpochSecond(), STEP_SECONDS);
    }

    /**
     * The HOTP value of {@code counter} with {@code digits} digits (RFC 4226 section 5.3).
     *
     * @param algorithm {@code HmacSHA1} (authenticator apps), {@code HmacSHA256} or {@code HmacSHA512} (RFC 6238
     *        vectors)
     */
    public static String code(byte[] key, long counter, int digits, String algorithm) {
        try {
            Mac mac = Mac.getInstance(algorithm);
            mac.init(new SecretKeySpec(key, algorithm));
            byte[] h = mac.doFinal(ByteBuffer.allocate(8).putLong(counter).array());
            int offset = h[h.length - 1] & 0x0f;
            int binary = (h[offset] & 0x7f) << 24 | (h[offset + 1] & 0xff) << 16 | (h[offset + 2] & 0xff) << 8
                    | h[offset + 3] & 0xff;
            long mod = (long) Math.pow(10, digits);
            return String.format(Locale.ROOT, "%0" + digits + "d", binary % mod);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(algorithm + " is part of every Java runtime", e);
        }
    }

    /**
     * The step whose code {@code given} is, within {@link #WINDOW} steps of {@code now} and after
     * {@code lastUsedStep} (a code is never accepted twice, nor an older one once a newer one was); empty when none.
     */
    public static OptionalLong verify(byte[] key, String given, Instant now, long lastUsedStep) {
        String code = given == null ? "" : given.replaceAll("\\s", "");
        if (!code.matches("[0-9]{" + DIGITS + "}")) {
            return OptionalLong.empty();
        }
        long current = step(now);
        OptionalLong found = OptionalLong.empty();
        for (long s = current - WINDOW; s <= current + WINDOW; s++) {
            // compare every candidate, constant time each, so the answer's timing says nothing of which matched
            if (java.security.MessageDigest.isEqual(code(key, s, DIGITS, "HmacSHA1").getBytes(
                    java.nio.charset.StandardCharsets.US_ASCII), code.getBytes(java.nio.charset.StandardCharsets.US_ASCII))
                    && s > lastUsedStep && found.isEmpty()) {
                found = OptionalLong.of(s);
            }
        }
        return found;
    }

    /** RFC 4648 Base32 (no padding) of {@code key}, as {@code otpauth://} URIs carry it. */
    public static String base32(byte[] key) {
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
        StringBuilder b = new StringBuilder();
        int buffer = 0;
        int bits = 0;
        for (byte x : key) {
            buffer = buffer << 8 | x & 0xff;
            bits += 8;
            while (bits >= 5) {
                b.append(alphabet.charAt(buffer >> bits - 5 & 31));
                bits -= 5;
            }
        }
        if (bits > 0) {
            b.append(alphabet.charAt(buffer << 5 - bits & 31));
        }
        return b.toString();
    }

    /** The enrolment URI authenticator apps read from the QR code. */
    public static String uri(String issuer, String account, byte[] key) {
        return "otpauth://totp/" + encode(issuer) + ":" + encode(account) + "?secret=" + base32(key) + "&issuer="
                + encode(issuer) + "&algorithm=SHA1&digits=" + DIGITS + "&period=" + STEP_SECONDS;
    }

    private static String encode(String s) {
        return java.net.URLEncoder.encode(s, java.nio.charset.StandardCharsets.UTF_8).replace("+", "%20");
    }
}
