package io.cachet.webhook.internal;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Collectors;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The signature of a webhook delivery: {@code v1=<hex HMAC-SHA256(secret, timestamp + "." + raw body)>}, the key
 * being the secret as the receiver was shown it (its UTF-8 bytes), so that
 * {@code printf '%s.%s' "$TS" "$BODY" | openssl dgst -sha256 -hmac "$SECRET"} computes the same. The JDK's HMAC;
 * nothing home-made.
 */
final class Signatures {

    static final String HEADER = "Cachet-Signature";
    static final String TIMESTAMP = "Cachet-Timestamp";
    static final String ID = "Cachet-Webhook-Id";

    private Signatures() {
    }

    /** @return the lower-case hex HMAC-SHA256 of {@code timestamp + "." + body} under {@code secret} */
    static String hmac(String secret, long timestamp, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            mac.update((timestamp + ".").getBytes(StandardCharsets.US_ASCII));
            return HexFormat.of().formatHex(mac.doFinal(body));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("This Java runtime lacks HmacSHA256", e);
        }
    }

    /**
     * The header value: one {@code v1=} entry per secret, the current one first, comma-separated (during a rotation's
     * grace period the previous secret signs too; a receiver accepts the delivery when any entry matches).
     */
    static String header(List<String> secrets, long timestamp, byte[] body) {
        return secrets.stream().map(s -> "v1=" + hmac(s, timestamp, body)).collect(Collectors.joining(","));
    }
}
