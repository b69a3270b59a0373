package io.cachet.cli.token;

import java.security.PublicKey;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.cachet.api.token.TokenKey;
import io.cachet.cli.demo.Http;

/**
 * The server's token delivery REST API, as the provisioning station and the holder's activation call it
 * ({@code /api/v1/token-delivery/...}, {@code /api/v1/orders/{id}/token/...}). Every error answer becomes a
 * {@link ServerRefusal} carrying the server's own explanation.
 */
public final class ProvisioningApi {

    /** The server's key for the initialisation PIN. */
    public record PinKey(String keyId, PublicKey key) {
    }

    /** What {@code GET /api/v1/orders/{id}/token} says about the order's delivery. */
    public record Delivery(String stage, String tokenLabel, String tokenSerial, int attempt) {
    }

    /** The answer to starting (or resuming) provisioning on a token. */
    public record Started(int attempt, String stage, boolean resume, String tokenLabel, String keyAlias,
            String keyAlgorithm, int maxUserPinTries, int pinDigits, String pin) {
    }

    /** The certificate the CA issued for the token's key, and its issuers (issuing CA first). */
    public record Certified(String certificateSerial, String certificate, List<String> chain) {
    }

    /** The shipment prepared once the token is provisioned. */
    public record Shipment(String id, String state, String labelUrl) {
    }

    private final Http http;

    public ProvisioningApi(Http http) {
        this.http = http;
    }

    public Http http() {
        return http;
    }

    /** 1. {@code GET /api/v1/token-delivery/pin-key}. */
    public PinKey pinKey() {
        JsonNode j = ok(http.api("GET", "/api/v1/token-delivery/pin-key", null), "reading the server's PIN key");
        if (!"RSA-OAEP-256".equals(j.path("algorithm").asText())) {
            throw new IllegalStateException("the server's PIN key is for " + j.path("algorithm").asText()
                    + ", not RSA-OAEP-256: this cachet-cli does not match the server's version");
        }
        return new PinKey(j.path("keyId").asText(), PinCipher.rsaPublicKey(j.path("publicKey").asText()));
    }

    /**
     * 8. {@code GET /api/v1/orders/{id}/token}.
     *
     * @throws ServerRefusal 404 for an order the server provisions no token for (unknown, cloud, not in ISSUANCE)
     */
    public Delivery delivery(String orderId) {
        JsonNode j = ok(http.api("GET", "/api/v1/orders/" + orderId + "/token", null), "order " + orderId);
        return new Delivery(j.path("stage").asText(), text(j, "tokenLabel"), text(j, "tokenSerial"),
                j.path("attempt").asInt());
    }

    /** 2. Starts, or resumes, provisioning on the token {@code serial}. */
    public Started start(String orderId, String serial, String manufacturer, String model, String firmware,
            PublicKey resumeKey) {
        ObjectNode b = Http.JSON.createObjectNode().put("tokenSerial", serial).put("manufacturer", manufacturer)
                .put("model", model).put("firmware", firmware).put("resumeKey", PinCipher.pem(resumeKey));
        JsonNode j = ok(http.api("POST", base(orderId), b), "starting the provisioning of order " + orderId);
        JsonNode pin = j.path("pin");
        String encrypted = pin.isTextual() ? pin.asText() : pin.isObject() ? text(pin, "ciphertext") : null;
        return new Started(j.path("attempt").asInt(), j.path("stage").asText(), j.path("resume").asBoolean(),
                j.path("tokenLabel").asText(), j.path("keyAlias").asText("seal"), j.path("keyAlgorithm").asText(),
                j.path("maxUserPinTries").asInt(), j.path("pinDigits").asInt(4), encrypted);
    }

    /** 3. Registers the initialisation PIN (encrypted to the server's PIN key) before it goes on the token. */
    public void initialised(String orderId, String serial, PinKey key, char[] pin) {
        ObjectNode b = Http.JSON.createObjectNode().put("tokenSerial", serial);
        b.putObject("pin").put("keyId", key.keyId()).put("ciphertext", PinCipher.encrypt(pin, key.key()));
        ok(http.api("POST", base(orderId) + "/initialised", b), "registering the initialisation PIN");
    }

    /** 4. The key pair made on the token, with its attributes as read back from it. */
    public void key(String orderId, String serial, TokenKey key) {
        ObjectNode b = Http.JSON.createObjectNode().put("tokenSerial", serial)
                .put("publicKey", PinCipher.pem(key.publicKey())).put("sensitive", key.sensitive())
                .put("extractable", key.extractable()).put("alwaysSensitive", key.alwaysSensitive())
                .put("neverExtractable", key.neverExtractable());
        ok(http.api("POST", base(orderId) + "/key", b), "recording the token's key");
    }

    /** 5. The certification request; the CA's answer. */
    public Certified csr(String orderId, String serial, String csrPem) {
        ObjectNode b = Http.JSON.createObjectNode().put("tokenSerial", serial).put("csr", csrPem);
        JsonNode j = ok(http.api("POST", base(orderId) + "/csr", b), "having the certificate issued");
        List<String> chain = new ArrayList<>();
        j.path("chain").forEach(c -> chain.add(c.asText()));
        return new Certified(j.path("certificateSerial").asText(), j.path("certificate").asText(), chain);
    }

    /** 6. The certificate is on the token: the shipment is prepared. */
    public Shipment written(String orderId, String serial) {
        ObjectNode b = Http.JSON.createObjectNode().put("tokenSerial", serial);
        JsonNode j = ok(http.api("POST", base(orderId) + "/written", b), "completing the provisioning");
        JsonNode s = j.path("shipment");
        return new Shipment(s.path("id").asText(), s.path("state").asText(), s.path("labelUrl").asText());
    }

    /** 7. Where the station stopped and why, for the operators' queue. */
    public void failure(String orderId, String serial, String step, String error) {
        ObjectNode b = Http.JSON.createObjectNode().put("tokenSerial", serial).put("step", step).put("error",
                error.length() > 500 ? error.substring(0, 500) : error);
        ok(http.api("POST", base(orderId) + "/failure", b), "recording where the provisioning stopped");
    }

    /** 10. The holder's report that the token is activated (public: the management link is the credential). */
    public String activated(String link, String serial) {
        ObjectNode b = Http.JSON.createObjectNode().put("link", link).put("tokenSerial", serial);
        JsonNode j = ok(http.anonymous("POST", "/api/v1/token-delivery/activation", b),
                "reporting the activation to Cachet");
        return j.path("state").asText();
    }

    private static String base(String orderId) {
        return "/api/v1/orders/" + orderId + "/token/provisioning";
    }

    private static String text(JsonNode j, String field) {
        return j.hasNonNull(field) ? j.get(field).asText() : null;
    }

    private static JsonNode ok(Http.Answer a, String what) {
        if (a.status() / 100 == 2) {
            return a.body().length == 0 ? Http.JSON.createObjectNode() : a.json();
        }
        if (a.status() == 401) {
            throw new ServerRefusal(what, 401, "the API key was refused (" + a.problem() + ")");
        }
        throw new ServerRefusal(what, a.status(), a.problem());
    }
}
