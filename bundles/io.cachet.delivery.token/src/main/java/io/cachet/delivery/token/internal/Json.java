package io.cachet.delivery.token.internal;

import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;

import io.cachet.api.delivery.DeliveryException;
import io.cachet.api.delivery.Shipment;
import io.cachet.api.delivery.TokenDelivery;
import io.cachet.api.rest.ApiException;
import io.cachet.api.rest.RestApi;

/** The JSON of the token delivery's REST answers, and its errors as problem+json. */
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

    /** A text field of the body, or null. */
    static String field(JsonNode body, String name) {
        JsonNode n = body == null ? null : body.get(name);
        return n != null && n.isTextual() ? n.asText() : null;
    }

    /** A boolean field of the body, or null when absent or not a boolean. */
    static Boolean flag(JsonNode body, String name) {
        JsonNode n = body == null ? null : body.get(name);
        return n != null && n.isBoolean() ? n.asBoolean() : null;
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
