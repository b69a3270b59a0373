package io.cachet.delivery.cloud.internal.csc;

import static io.cachet.delivery.cloud.internal.csc.CscFixture.PASSWORD;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.cachet.api.token.KeyAlgorithm;
import io.cachet.delivery.cloud.internal.csc.CscFixture.Account;

/**
 * The protocol's answers to bad input, each a clear {@code {error, error_description}} and nothing changed: HTTP Basic
 * that is not, parameters of the wrong type or value, what the service does not offer.
 */
class CscApiTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private CscFixture f;
    private String order;
    private String bearer;

    @BeforeEach
    void setUp() {
        f = new CscFixture("h2", dir);
        Account anna = f.holders.add("anna@example.org");
        order = f.cloudOrder(anna, KeyAlgorithm.EC_P256);
        bearer = "Bearer " + f.service.login("anna@example.org", PASSWORD.toCharArray(), "c").accessToken();
    }

    @AfterEach
    void tearDown() {
        f.close();
    }

    private CscApi.Answer post(String path, String authorization, String body) {
        return f.api.handle(new CscApi.Call("POST", path, authorization, body == null ? null
                : body.getBytes(StandardCharsets.UTF_8), "192.0.2.7"));
    }

    private static JsonNode json(CscApi.Answer a) throws Exception {
        return JSON.readTree(a.body());
    }

    private void assertError(CscApi.Answer a, int status, String error, String descriptionStart) throws Exception {
        assertEquals(status, a.status(), a.body());
        assertEquals(error, json(a).get("error").asText());
        String d = json(a).get("error_description").asText();
        assertTrue(d.startsWith(descriptionStart), d);
        assertFalse(d.contains("Exception") || d.contains("at io."), "no internals: " + d);
    }

    private static String basic(byte[] raw) {
        return "Basic " + Base64.getEncoder().encodeToString(raw);
    }

    @Test
    void httpBasicThatIsNot() throws Exception {
        assertError(post("auth/login", null, null), 401, "unauthorized_client", "Log in with HTTP Basic");
        assertError(post("auth/login", "Basic %%%", null), 401, "unauthorized_client", "The HTTP Basic credentials"
                + " are not valid Base64");
        assertError(post("auth/login", basic("no-colon".getBytes(StandardCharsets.UTF_8)), null), 401,
                "unauthorized_client", "The HTTP Basic credentials must be");
        assertError(post("auth/login", basic(new byte[] { (byte) 0xC3, 0x28, ':', 'x' }), null), 401,
                "unauthorized_client", "The HTTP Basic credentials are not UTF-8");
        assertError(post("auth/login", basic("anna@example.org:x".getBytes(StandardCharsets.UTF_8)),
                "{\"refresh_token\": \"r\"}"), 400, "invalid_request", "Invalid parameter refresh_token");
        CscApi.Answer ok = post("auth/login", basic(("anna@example.org:" + PASSWORD).getBytes(StandardCharsets.UTF_8)),
                "{\"rememberMe\": true}");
        assertEquals(200, ok.status());
        assertEquals(3600, json(ok).get("expires_in").asLong());
        assertTrue(json(ok).get("access_token").asText().length() >= 43);
        assertTrue(f.audit.actions().stream().noneMatch("csc.login-failed"::equals), "malformed requests reach"
                + " nobody's password");
    }

    @Test
    void bearerTokensThatAreNot() throws Exception {
        assertError(post("credentials/list", "Basic abc", "{}"), 401, "invalid_token", "Send the access token");
        assertError(post("credentials/list", "Bearer ", "{}"), 401, "invalid_token", "Send the access token");
        assertError(post("credentials/list", "Bearer guess", "{}"), 401, "invalid_token", "The access token is"
                + " unknown");
        CscApi.Answer a = post("credentials/list", "Bearer guess", "{}");
        assertTrue(a.headers().get("WWW-Authenticate").contains("error=\"invalid_token\""));
        f.clock.advance(Duration.ofHours(2));
        assertError(post("credentials/list", bearer, "{}"), 401, "invalid_token", "The access token is unknown,"
                + " expired or revoked");
    }

    @Test
    void parametersOfTheWrongTypeOrValue() throws Exception {
        assertError(post("credentials/info", bearer, null), 400, "invalid_request", "The request body is empty");
        assertError(post("credentials/info", bearer, "[1]"), 400, "invalid_request", "The request body must be a"
                + " JSON object");
        assertError(post("credentials/info", bearer, "{}"), 400, "invalid_request",
                "Missing (or invalid type) string parameter credentialID");
        assertError(post("credentials/info", bearer, "{\"credentialID\": \"" + "x".repeat(65) + "\"}"), 400,
                "invalid_request", "Invalid parameter credentialID");
        assertError(post("credentials/info", bearer, "{\"credentialID\": \"a b\"}"), 400, "invalid_request",
                "Invalid parameter credentialID");
        assertError(post("credentials/info", bearer, "{\"credentialID\": \"" + order + "\", \"certificates\":"
                + " \"all\"}"), 400, "invalid_request", "Invalid parameter certificates");
        assertError(post("credentials/info", bearer, "{\"credentialID\": \"" + order + "\", \"certInfo\": \"yes\"}"),
                400, "invalid_request", "Missing (or invalid type) boolean parameter certInfo");
        assertError(post("credentials/list", bearer, "{\"userID\": \"someone\"}"), 400, "invalid_request",
                "userID parameter MUST be null");
        String authorize = "{\"credentialID\": \"" + order + "\", \"numSignatures\": %s, \"hashes\": [\"%s\"],"
                + " \"hashAlgorithmOID\": \"%s\", \"authData\": %s}";
        String hash = CscFixture.sha256("x");
        String pin = "[{\"id\": \"PIN\", \"value\": \"" + PASSWORD + "\"}]";
        assertError(post("credentials/authorize", bearer, String.format(authorize, "\"1\"", hash,
                CscAlgorithms.SHA256, pin)), 400, "invalid_request", "Missing (or invalid type) integer parameter"
                        + " numSignatures");
        assertError(post("credentials/authorize", bearer, String.format(authorize, "0", hash, CscAlgorithms.SHA256,
                pin)), 400, "invalid_request", "Invalid value for parameter numSignatures");
        assertError(post("credentials/authorize", bearer, String.format(authorize, "1", "not base64!",
                CscAlgorithms.SHA256, pin)), 400, "invalid_request", "Invalid Base64 hash string parameter");
        assertError(post("credentials/authorize", bearer, String.format(authorize, "1", hash, "1.3.14.3.2.26",
                pin)), 400, "invalid_request", "Invalid parameter hashAlgorithmOID");
        assertError(post("credentials/authorize", bearer, String.format(authorize, "1", hash, CscAlgorithms.SHA256,
                "[{\"id\": \"FINGERPRINT\", \"value\": \"x\"}]")), 400, "invalid_request", "Invalid parameter"
                        + " authData");
        assertError(post("credentials/authorize", bearer, String.format(authorize, "1", hash, CscAlgorithms.SHA256,
                "\"" + PASSWORD + "\"")), 400, "invalid_request", "Missing (or invalid type) array parameter"
                        + " authData");
        assertTrue(f.holders.confirms.isEmpty(), "no password was checked for a malformed request");
        assertEquals(List.of("csc.login"), f.audit.actions(), "nothing changed");
    }

    @Test
    void whatTheServiceDoesNotOffer() throws Exception {
        assertError(post("signatures/signHash", bearer, "{\"credentialID\": \"" + order + "\", \"SAD\": \"s\","
                + " \"hashes\": [\"" + CscFixture.sha256("x") + "\"], \"signAlgo\": \"" + CscAlgorithms.ECDSA_SHA256
                + "\", \"operationMode\": \"A\"}"), 400, "invalid_request", "Invalid parameter operationMode");
        assertError(post("signatures/signHash", bearer, "{\"credentialID\": \"" + order + "\", \"SAD\": \"s\","
                + " \"hashes\": [\"" + CscFixture.sha256("x") + "\"], \"signAlgo\": \"1.2.840.113549.1.1.10\","
                + " \"signAlgoParams\": \"MAA=\"}"), 400, "invalid_request", "Invalid parameter signAlgoParams");
        assertError(post("signatures/signDoc", bearer, "{}"), 404, "invalid_request", "No CSC method");
        CscApi.Answer head = f.api.handle(new CscApi.Call("HEAD", "credentials/list", null, null, "c"));
        assertEquals(405, head.status());
        CscApi.Answer get = f.api.handle(new CscApi.Call("GET", "/info", null, null, "c"));
        assertEquals(200, get.status());
        JsonNode info = json(get);
        assertEquals(List.of("basic"), List.of(info.get("authType").get(0).asText()));
        assertTrue(info.at("/signAlgorithms/algos").toString().contains(CscAlgorithms.ECDSA_SHA256));
        assertEquals("FR", info.get("region").asText());
        assertEquals(200, post("info", null, "{\"lang\": \"en-US\"}").status());
        assertEquals(200, post("info", null, "").status(), "no body is no parameter");
        assertError(post("info", null, "{\"lang\": "), 400, "invalid_request", "The request body is not valid JSON");
        assertError(post("info", null, "[\"fr\"]"), 400, "invalid_request", "The request body must be a JSON object");
        assertError(post("info", null, "{\"lang\": 33}"), 400, "invalid_request",
                "Missing (or invalid type) string parameter lang");
    }

    @Test
    void settingsAreChecked() {
        IllegalArgumentException region = assertThrows(IllegalArgumentException.class, () -> new CscSettings(
                Duration.ofHours(1), Duration.ofMinutes(5), 10, "n", "", "France", "en", ""));
        assertTrue(region.getMessage().contains("region"));
        assertThrows(IllegalArgumentException.class, () -> CscSettings.defaults().withMaxSignatures(0));
        assertThrows(IllegalArgumentException.class, () -> CscSettings.defaults().withSad(Duration.ZERO));
        assertEquals("fr", new CscSettings(Duration.ofHours(1), Duration.ofMinutes(5), 10, null, null, null, "FR",
                null).lang());
    }
}
