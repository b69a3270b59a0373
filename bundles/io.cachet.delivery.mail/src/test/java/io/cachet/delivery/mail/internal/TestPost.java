package io.cachet.delivery.mail.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.cachet.api.delivery.Carrier;
import io.cachet.api.delivery.ShipmentState;

/**
 * A carrier integration as a real one is written: webhook calls signed with HMAC-SHA256 over the raw body
 * ({@code X-TestPost-Signature: sha256=<hex>}, compared in constant time), a JSON body
 * {@code {"tracking","status","comment"}} read only after the signature checked; polling answers from its own table.
 */
final class TestPost implements Carrier {

    static final String HEADER = "x-testpost-signature";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final byte[] secret;
    final Map<String, CarrierEvent> tracked = new ConcurrentHashMap<>();
    final AtomicInteger asked = new AtomicInteger();

    TestPost(String secret) {
        this.secret = secret.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public String id() {
        return "testpost";
    }

    @Override
    public String name() {
        return "Test Post";
    }

    @Override
    public Optional<CarrierEvent> track(String trackingNumber) {
        asked.incrementAndGet();
        return Optional.ofNullable(tracked.get(trackingNumber));
    }

    @Override
    public Optional<CarrierEvent> event(Map<String, String> headers, byte[] body) {
        String given = headers.get(HEADER);
        byte[] expected = ("sha256=" + sign(secret, body)).getBytes(StandardCharsets.US_ASCII);
        if (given == null || !MessageDigest.isEqual(expected, given.getBytes(StandardCharsets.US_ASCII))) {
            throw new SecurityException("bad or missing signature");
        }
        JsonNode n;
        try {
            n = JSON.readTree(body);
        } catch (IOException e) {
            throw new IllegalArgumentException("not JSON");
        }
        if (n == null || !n.path("tracking").isTextual()) {
            throw new IllegalArgumentException("no tracking number");
        }
        String status = n.path("status").asText("");
        ShipmentState state = switch (status) {
            case "DELIVERED" -> ShipmentState.DELIVERED;
            case "RETURNED_TO_SENDER" -> ShipmentState.RETURNED;
            case "LOST" -> ShipmentState.LOST;
            case "IN_TRANSIT" -> null;
            default -> throw new IllegalArgumentException("unknown status " + status);
        };
        return state == null ? Optional.empty()
                : Optional.of(new CarrierEvent(n.path("tracking").asText(), state, n.path("comment").asText("")));
    }

    static String sign(byte[] secret, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret, "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(body));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
