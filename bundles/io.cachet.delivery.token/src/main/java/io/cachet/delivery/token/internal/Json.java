package io.cachet.delivery.token.internal;

import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

import com.fasterxml.jackson.databind.JsonNode;

import io.cachet.api.delivery.DeliveryException;
import io.cachet.api.delivery.Shipment;
import io.cachet.api.delivery.TokenDelivery;
import io.cachet.api.rest.ApiException;
import io.cachet.api.rest.RestApi;

import jakarta.ws.rs.core.Response;

/** The JSON of the token delivery's REST answers, sent uncached, and its errors as problem+json. */
final class Json {

    private Json() {
    }

    static Map<String, Object> delivery(TokenDelivery d) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("orderId", d.orderId());
        m.put("attempt", d.attempt());
        m.put("stage", d.stage().name());
        m.put("tokenLabel", d.tokenLabel());
        m.put("tokenSerial", d.tokenSerial().orElse(null));
        m.put("tokenModel", d.tokenModel().orElse(null));
        m.put("tokenFirmware", d.tokenFirmware().orElse(null));
        m.put("certificateSerial", d.certificateSerial().orElse(null));
        m.put("pin", d.pin().name());
        m.put("pinRevealedAt", text(d.pinRevealedAt()));
        m.put("activatedAt", text(d.activatedAt()));
        m.put("lastError", d.lastError().orElse(null));
        m.put("updatedAt", d.updatedAt().toString());
        return m;
    }

    /** The answer to the start of provisioning: the attempt and what the station needs to provision the token. */
    static Map<String, Object> started(TokenDeliveryService.Started s, TokenSettings settings) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("orderId", s.delivery().orderId());
        m.put("attempt", s.delivery().attempt());
        m.put("stage", s.delivery().stage().name());
        m.put("resume", s.resume());
        m.put("tokenLabel", s.delivery().tokenLabel());
        m.put("keyAlias", TokenDeliveryService.KEY_ALIAS);
        m.put("keyAlgorithm", settings.keyAlgorithm().name());
        m.put("maxUserPinTries", settings.maxUserPinTries());
        m.put("pinDigits", settings.pinDigits());
        s.delivery().certificateSerial().ifPresent(x -> m.put("certificateSerial", x));
        if (s.encryptedPin() != null) {
            m.put("pin", s.encryptedPin());
        }
        return m;
    }

    /** The certificate issued for the token's request, with its chain (issuing CA, root), in PEM. */
    static Map<String, Object> certified(TokenDeliveryService.Certified c) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("certificateSerial", c.certificate().serialHex());
        m.put("certificate", pem(c.certificate().certificate()));
        m.put("chain", c.chain().stream().map(Json::pem).toList());
        return m;
    }

    /** The token provisioned: its stage and the shipment prepared for it. */
    static Map<String, Object> provisioned(TokenDeliveryService.Provisioned p) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("stage", p.delivery().stage().name());
        m.put("shipment", shipment(p.shipment()));
        return m;
    }

    static Map<String, Object> shipment(Shipment s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", s.id());
        m.put("state", s.state().name());
        m.put("labelUrl", RestApi.BASE_PATH + "/shipments/" + s.id() + "/label");
        return m;
    }

    static String pem(X509Certificate c) {
        try {
            return "-----BEGIN CERTIFICATE-----\n" + Base64.getMimeEncoder(64, new byte[] { '\n' })
                    .encodeToString(c.getEncoded()) + "\n-----END CERTIFICATE-----\n";
        } catch (CertificateEncodingException e) {
            throw new IllegalStateException("certificate cannot be encoded", e);
        }
    }

    private static String text(Optional<Instant> t) {
        return t.map(Instant::toString).orElse(null);
    }

    /**
     * A text field of the body, or null when absent or null; a value of another type (a serial sent as a number) is
     * the caller's mistake, said so rather than read as missing.
     */
    static String field(JsonNode body, String name) {
        JsonNode n = body == null ? null : body.get(name);
        if (n == null || n.isNull()) {
            return null;
        }
        if (!n.isTextual()) {
            throw ApiException.badRequest("Field '" + name + "' must be a string.");
        }
        return n.asText();
    }

    /** A boolean field of the body, or null when absent or null; a value of another type is refused likewise. */
    static Boolean flag(JsonNode body, String name) {
        JsonNode n = body == null ? null : body.get(name);
        if (n == null || n.isNull()) {
            return null;
        }
        if (!n.isBoolean()) {
            throw ApiException.badRequest("Field '" + name + "' must be true or false.");
        }
        return n.asBoolean();
    }

    /** 200 with the answer, never cached. */
    static Response noStore(Object entity) {
        return Response.ok(entity).header("Cache-Control", "no-store").build();
    }

    /** Runs a call of the service: its answer as {@link #noStore}, a refusal as problem+json ({@link #problem}). */
    static Response answer(Supplier<?> call) {
        try {
            return noStore(call.get());
        } catch (DeliveryException e) {
            throw problem(e);
        }
    }

    static ApiException problem(DeliveryException e) {
        if (e instanceof TokenDeliveryService.Gone) {
            return new ApiException(410, "gone", e.getMessage());
        }
        if (e instanceof TokenDeliveryService.Forbidden) {
            return ApiException.forbidden(e.getMessage());
        }
        return switch (e.kind()) {
        case INVALID -> ApiException.badRequest(e.getMessage());
        case NOT_FOUND -> ApiException.notFound(e.getMessage());
        case CONFLICT -> ApiException.conflict(e.getMessage());
        case LOCKED -> new ApiException(423, "locked", e.getMessage());
        case UNAVAILABLE -> new ApiException(503, "unavailable", e.getMessage());
        };
    }
}
