package io.cachet.identity.vendor.internal;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A vendor webhook's authentication: header {@code <timestamp header>} is the Unix time (seconds) it was signed at;
 * header {@code <signature header>} is one or more comma-separated {@code sha256=<hex>} entries, each the
 * HMAC-SHA256, keyed with a webhook secret's UTF-8 bytes, of {@code "<timestamp>.<raw body>"} — the body's bytes as
 * received, before any parsing. Accepted when the timestamp is within the tolerance of now and any entry matches any
 * configured secret (current or previous), compared in constant time. The JDK's HMAC; nothing home-made.
 */
final class WebhookSignature {

    static final String SCHEME = "sha256=";
    private static final int MAX_HEADER = 1024;

    /** Why a webhook was not authenticated: {@code code} is stable (for the audit log and the answer). */
    static final class Refused extends Exception {
        private static final long serialVersionUID = 1L;
        final String code;

        Refused(String code, String message) {
            super(message);
            this.code = code;
        }
    }

    private final List<byte[]> keys;
    private final Duration tolerance;

    WebhookSignature(List<String> secrets, Duration tolerance) {
        this.keys = secrets.stream().map(s -> s.getBytes(StandardCharsets.UTF_8)).toList();
        this.tolerance = tolerance;
    }

    /** The header value a vendor holding {@code secret} sends (the fake vendor of the tests signs with it). */
    static String sign(String secret, long timestamp, byte[] body) {
        return SCHEME + HexFormat.of().formatHex(hmac(secret.getBytes(StandardCharsets.UTF_8), timestamp, body));
    }

    static byte[] hmac(byte[] key, long timestamp, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            mac.update((timestamp + ".").getBytes(StandardCharsets.US_ASCII));
            return mac.doFinal(body);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("This Java runtime lacks HmacSHA256", e);
        }
    }

    /**
     * @param timestampHeader the timestamp header's value, or null
     * @param signatureHeader the signature header's value, or null
     * @param body the raw body
     * @param now the time here
     * @return the verified timestamp
     * @throws Refused {@code signature.missing}, {@code timestamp.malformed}, {@code timestamp.stale},
     *         {@code signature.malformed}, {@code signature.mismatch}
     */
    long verify(String timestampHeader, String signatureHeader, byte[] body, Instant now) throws Refused {
        if (timestampHeader == null || timestampHeader.isBlank() || signatureHeader == null
                || signatureHeader.isBlank()) {
            throw new Refused("signature.missing", "The webhook has no signature or no timestamp header.");
        }
        String ts = timestampHeader.strip();
        if (!ts.matches("[0-9]{1,12}")) {
            throw new Refused("timestamp.malformed", "The timestamp header must be Unix time in seconds.");
        }
        long timestamp = Long.parseLong(ts);
        long skew = Math.abs(now.getEpochSecond() - timestamp);
        if (skew > tolerance.toSeconds()) {
            throw new Refused("timestamp.stale", "The webhook was signed " + skew + " s away from this server's time;"
                    + " at most " + tolerance.toSeconds() + " s are accepted.");
        }
        if (signatureHeader.length() > MAX_HEADER) {
            throw new Refused("signature.malformed", "The signature header is too long.");
        }
        boolean any = false;
        boolean match = false;
        for (String entry : signatureHeader.split(",")) {
            String e = entry.strip();
            if (!e.toLowerCase(Locale.ROOT).startsWith(SCHEME)) {
                continue; // another scheme: not ours
            }
            byte[] given;
            try {
                given = HexFormat.of().parseHex(e.substring(SCHEME.length()));
            } catch (IllegalArgumentException notHex) {
                continue;
            }
            any = true;
            for (byte[] key : keys) {
                // MessageDigest.isEqual takes the same time whatever the content (JDK 17: constant time)
                match |= MessageDigest.isEqual(hmac(key, timestamp, body), given);
            }
        }
        if (!any) {
            throw new Refused("signature.malformed", "The signature header has no sha256=<hex> entry.");
        }
        if (!match) {
            throw new Refused("signature.mismatch", "The signature does not match the body and timestamp.");
        }
        return timestamp;
    }
}
