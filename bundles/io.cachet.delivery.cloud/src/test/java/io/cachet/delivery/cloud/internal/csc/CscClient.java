package io.cachet.delivery.cloud.internal.csc;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * A CSC API v2 client written for the tests from the specification (v2.0.0.2), knowing nothing of Cachet's classes:
 * every call is a POST of a JSON object to {@code <base>/<method>} over HTTP; errors come back as
 * {@code {error, error_description}} and are thrown as {@link Failure}.
 */
final class CscClient {

    /** An error answer of the service. */
    static final class Failure extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final int status;
        final String error;
        final String description;
        final String challenge;

        Failure(int status, String error, String description, String challenge) {
            super(status + " " + error + ": " + description);
            this.status = status;
            this.error = error;
            this.description = description;
            this.challenge = challenge;
        }
    }

    /** A raw answer. */
    record Answer(int status, JsonNode body, HttpResponse<String> response) {
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newHttpClient();
    private final URI base;
    private String accessToken;

    /** @param base the service's base URI, ending with {@code /csc/v2/} */
    CscClient(URI base) {
        this.base = base;
    }

    String accessToken() {
        return accessToken;
    }

    void useToken(String token) {
        this.accessToken = token;
    }

    JsonNode info() {
        return call("info", null, Map.of());
    }

    /** auth/login with HTTP Basic; keeps the access token for the next calls. */
    JsonNode login(String user, String password) {
        String basic = "Basic " + Base64.getEncoder().encodeToString((user + ":" + password)
                .getBytes(StandardCharsets.UTF_8));
        JsonNode r = call("auth/login", basic, Map.of("rememberMe", false));
        accessToken = r.get("access_token").asText();
        return r;
    }

    void revoke() {
        call("auth/revoke", bearer(), Map.of("token", accessToken, "token_type_hint", "access_token"));
    }

    List<String> list() {
        List<String> ids = new ArrayList<>();
        call("credentials/list", bearer(), Map.of()).get("credentialIDs").forEach(n -> ids.add(n.asText()));
        return ids;
    }

    JsonNode credentialInfo(String credentialId) {
        return call("credentials/info", bearer(), Map.of("credentialID", credentialId, "certificates", "chain",
                "certInfo", true, "authInfo", true));
    }

    /** credentials/authorize for {@code hashes}; the PIN (and the OTP when not null) as authData. */
    String authorize(String credentialId, List<byte[]> hashes, String hashOid, String pin, String otp) {
        List<Map<String, String>> authData = new ArrayList<>();
        authData.add(Map.of("id", "PIN", "value", pin));
        if (otp != null) {
            authData.add(Map.of("id", "OTP", "value", otp));
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("credentialID", credentialId);
        body.put("numSignatures", hashes.size());
        body.put("hashes", hashes.stream().map(Base64.getEncoder()::encodeToString).toList());
        body.put("hashAlgorithmOID", hashOid);
        body.put("authData", authData);
        return call("credentials/authorize", bearer(), body).get("SAD").asText();
    }

    List<byte[]> signHash(String credentialId, String sad, List<byte[]> hashes, String hashOid, String signAlgo) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("credentialID", credentialId);
        body.put("SAD", sad);
        body.put("hashes", hashes.stream().map(Base64.getEncoder()::encodeToString).toList());
        body.put("hashAlgorithmOID", hashOid);
        body.put("signAlgo", signAlgo);
        List<byte[]> out = new ArrayList<>();
        call("signatures/signHash", bearer(), body).get("signatures")
                .forEach(n -> out.add(Base64.getDecoder().decode(n.asText())));
        return out;
    }

    private String bearer() {
        return accessToken == null ? null : "Bearer " + accessToken;
    }

    private JsonNode call(String method, String authorization, Object body) {
        Answer a;
        try {
            a = send("POST", method, authorization, JSON.writeValueAsBytes(body));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        if (a.status() >= 400) {
            throw new Failure(a.status(), a.body().path("error").asText(null),
                    a.body().path("error_description").asText(null),
                    a.response().headers().firstValue("WWW-Authenticate").orElse(null));
        }
        return a.body();
    }

    /** A request as it is: any method, header and body. */
    Answer send(String httpMethod, String method, String authorization, byte[] body) {
        HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve(method))
                .method(httpMethod, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofByteArray(body))
                .header("Content-Type", "application/json");
        if (authorization != null) {
            b.header("Authorization", authorization);
        }
        try {
            HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
            JsonNode json = r.body().isEmpty() ? JSON.createObjectNode() : JSON.readTree(r.body());
            return new Answer(r.statusCode(), json, r);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
