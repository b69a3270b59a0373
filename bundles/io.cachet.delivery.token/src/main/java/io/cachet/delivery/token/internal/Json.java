package io.cachet.delivery.token.internal;

import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Base64;
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

    static TokenViews.Delivery delivery(TokenDelivery d) {
        return new TokenViews.Delivery(d.orderId(), d.attempt(), d.stage().name(), d.tokenLabel(),
                d.tokenSerial().orElse(null), d.tokenModel().orElse(null), d.tokenFirmware().orElse(null),
                d.certificateSerial().orElse(null), d.pin().name(), text(d.pinRevealedAt()), text(d.activatedAt()),
                d.lastError().orElse(null), d.updatedAt().toString());
    }

    /**
     * The answer to the start of provisioning: the attempt and what the station needs to provision the token; a null
     * certificateSerial or pin is left out of the JSON ({@link TokenViews.Started}).
     */
    static TokenViews.Started started(TokenDeliveryService.Started s, TokenSettings settings) {
        TokenDelivery d = s.delivery();
        return new TokenViews.Started(d.orderId(), d.attempt(), d.stage().name(), s.resume(), d.tokenLabel(),
                TokenDeliveryService.KEY_ALIAS, settings.keyAlgorithm().name(), settings.maxUserPinTries(),
                settings.pinDigits(), d.certificateSerial().orElse(null), s.encryptedPin());
    }

    /** The certificate issued for the token's request, with its chain (issuing CA, root), in PEM. */
    static TokenViews.Certified certified(TokenDeliveryService.Certified c) {
        return new TokenViews.Certified(c.certificate().serialHex(), pem(c.certificate().certificate()),
                c.chain().stream().map(Json::pem).toList());
    }

    /** The token provisioned: its stage and the shipment prepared for it. */
    static TokenViews.Provisioned provisioned(TokenDeliveryService.Provisioned p) {
        return new TokenViews.Provisioned(p.delivery().stage().name(), shipment(p.shipment()));
    }

    static TokenViews.ShipmentView shipment(Shipment s) {
        return new TokenViews.ShipmentView(s.id(), s.state().name(),
                RestApi.BASE_PATH + "/shipments/" + s.id() + "/label");
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
