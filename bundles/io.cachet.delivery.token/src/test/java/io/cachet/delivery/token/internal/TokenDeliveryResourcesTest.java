package io.cachet.delivery.token.internal;

import static io.cachet.api.testing.TestCallers.as;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Method;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;

import io.cachet.api.order.Medium;
import io.cachet.api.order.Order;
import io.cachet.api.order.OrderRole;
import io.cachet.api.rest.ApiException;
import io.cachet.delivery.token.internal.Fixture.Station;

import jakarta.annotation.security.PermitAll;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;

/**
 * The REST resources on the real service (H2): the JSON of each step as the station reads it, errors as the statuses
 * the contract names, the roles of each call, the public activation's limit.
 */
class TokenDeliveryResourcesTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private static JsonNode body(Object... kv) {
        Map<String, Object> m = new java.util.LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return JSON.valueToTree(m);
    }

    /**
     * The answer's JSON as the API's mapper writes it (Jackson's defaults: a record's components in order, nulls
     * written), read back as a map in the order of its fields: the station's wire, not the Java object.
     */
    private static Map<String, Object> entity(Response r) throws JsonProcessingException {
        assertEquals(200, r.getStatus());
        return JSON.readValue(JSON.writeValueAsString(r.getEntity()), WIRE);
    }

    private static final TypeReference<LinkedHashMap<String, Object>> WIRE = new TypeReference<>() {
    };

    private static final List<String> DELIVERY = List.of("orderId", "attempt", "stage", "tokenLabel", "tokenSerial",
            "tokenModel", "tokenFirmware", "certificateSerial", "pin", "pinRevealedAt", "activatedAt", "lastError",
            "updatedAt");

    private static int status(org.junit.jupiter.api.function.Executable e) {
        return assertThrows(ApiException.class, e).status();
    }

    @Test
    void theStationsStepsAnswerTheContractsJsonAndStatuses() throws Exception {
        try (Fixture f = new Fixture("h2", dir)) {
            ProvisioningResource steps = new ProvisioningResource(f.service);
            TokenDeliveryResource delivery = new TokenDeliveryResource(f.service, () -> 3);
            SecurityContext op = as("olivia", "operator");
            Order o = f.inIssuance(Medium.USB_A);
            Station token = new Station("REST-1");

            Map<String, Object> key = entity(delivery.pinKey());
            assertEquals(List.of("keyId", "algorithm", "publicKey"), List.copyOf(key.keySet()));
            assertEquals("RSA-OAEP-256", key.get("algorithm"));
            assertEquals(f.service.pinKey().id(), key.get("keyId"));
            java.security.PublicKey pinKey = PinCrypto.publicKey((String) key.get("publicKey"));
            assertEquals(f.service.pinKey().publicKey(), pinKey);

            Map<String, Object> started = entity(steps.start(op, o.id(), body("tokenSerial", token.serial,
                    "manufacturer", "SoftHSM project", "model", "SoftHSM v2", "firmware", "2.6", "resumeKey",
                    PinCrypto.pem(Fixture.RESUME.getPublic()))));
            assertEquals(List.of("orderId", "attempt", "stage", "resume", "tokenLabel", "keyAlias", "keyAlgorithm",
                    "maxUserPinTries", "pinDigits"), List.copyOf(started.keySet()));
            assertEquals("WAITING", started.get("stage"));
            assertEquals(false, started.get("resume"));
            assertEquals("seal", started.get("keyAlias"));
            assertEquals("EC_P256", started.get("keyAlgorithm"));
            assertEquals(5, started.get("maxUserPinTries"));
            assertEquals(4, started.get("pinDigits"));
            assertTrue(((String) started.get("tokenLabel")).length() <= 32);
            Map<String, Object> queue = entity(delivery.queue(100));
            assertEquals(List.of("items"), List.copyOf(queue.keySet()));
            @SuppressWarnings("unchecked")
            Map<String, Object> queued = ((List<Map<String, Object>>) queue.get("items")).stream()
                    .filter(d -> o.id().equals(d.get("orderId"))).findFirst().orElseThrow();
            assertEquals(DELIVERY, List.copyOf(queued.keySet()));
            assertEquals("WAITING", queued.get("stage"));
            assertEquals(token.serial, queued.get("tokenSerial"));
            assertEquals(null, queued.get("certificateSerial"), "written as null, not left out");
            assertEquals(400, status(() -> delivery.queue(0)));
            assertEquals(404, status(() -> steps.start(op, "ord_none", body("tokenSerial", "X", "resumeKey",
                    PinCrypto.pem(Fixture.RESUME.getPublic())))));
            assertEquals(400, status(() -> steps.start(op, o.id(), body("tokenSerial", token.serial))));
            ApiException numeric = assertThrows(ApiException.class, () -> steps.start(op, o.id(), body("tokenSerial",
                    12345678, "resumeKey", PinCrypto.pem(Fixture.RESUME.getPublic()))));
            assertEquals("Field 'tokenSerial' must be a string.", numeric.getMessage(), "not 'missing'");

            assertEquals(400, status(() -> steps.initialised(op, o.id(), body("tokenSerial", token.serial, "pin",
                    Map.of("keyId", "ffff", "ciphertext", Fixture.encrypt(pinKey, "1234"))))));
            assertEquals(400, status(() -> steps.initialised(op, o.id(), body("tokenSerial", token.serial, "pin",
                    Map.of("keyId", key.get("keyId"), "ciphertext", Fixture.encrypt(pinKey, "123456"))))));
            assertEquals("INITIALISED", entity(steps.initialised(op, o.id(), body("tokenSerial", token.serial, "pin",
                    Map.of("keyId", key.get("keyId"), "ciphertext", Fixture.encrypt(pinKey, "2580"))))).get("stage"));

            ApiException attr = assertThrows(ApiException.class, () -> steps.key(op, o.id(), body("tokenSerial",
                    token.serial, "publicKey", token.publicKeyPem(), "sensitive", true, "extractable", false,
                    "alwaysSensitive", true)));
            assertEquals(400, attr.status());
            assertTrue(attr.getMessage().contains("CKA_NEVER_EXTRACTABLE"), attr.getMessage());
            Map<String, Object> keyed = entity(steps.key(op, o.id(), body("tokenSerial", token.serial, "publicKey",
                    token.publicKeyPem(), "sensitive", true, "extractable", false, "alwaysSensitive", true,
                    "neverExtractable", true)));
            assertEquals("KEY_GENERATED", keyed.get("stage"));
            assertEquals("HELD", keyed.get("pin"));

            assertEquals(400, status(() -> steps.csr(op, o.id(), body("tokenSerial", token.serial, "csr",
                    Station.csr(Fixture.ec())))));
            Map<String, Object> cert = entity(steps.csr(op, o.id(), body("tokenSerial", token.serial, "csr",
                    token.csr())));
            assertEquals(List.of("certificateSerial", "certificate", "chain"), List.copyOf(cert.keySet()));
            assertTrue(((String) cert.get("certificate")).startsWith("-----BEGIN CERTIFICATE-----\n"));
            assertEquals(2, ((List<?>) cert.get("chain")).size());
            assertEquals(cert.get("certificateSerial"), entity(steps.csr(op, o.id(), body("tokenSerial", token.serial,
                    "csr", token.csr()))).get("certificateSerial"), "another CSR of the same key: the same answer");

            // resumed at CERTIFIED: the PIN comes back encrypted to the resume key
            Map<String, Object> resumed = entity(steps.start(op, o.id(), body("tokenSerial", token.serial,
                    "resumeKey", PinCrypto.pem(Fixture.RESUME.getPublic()))));
            assertEquals(List.of("orderId", "attempt", "stage", "resume", "tokenLabel", "keyAlias", "keyAlgorithm",
                    "maxUserPinTries", "pinDigits", "certificateSerial", "pin"), List.copyOf(resumed.keySet()));
            assertEquals(true, resumed.get("resume"));
            assertEquals(cert.get("certificateSerial"), resumed.get("certificateSerial"));
            assertEquals("2580", Fixture.decrypt(Fixture.RESUME.getPrivate(), (String) resumed.get("pin")));

            f.shipmentsDown = true;
            assertEquals(503, status(() -> steps.written(op, o.id(), body("tokenSerial", token.serial))));
            f.shipmentsDown = false;
            Map<String, Object> written = entity(steps.written(op, o.id(), body("tokenSerial", token.serial)));
            assertEquals(List.of("stage", "shipment"), List.copyOf(written.keySet()));
            assertEquals("PROVISIONED", written.get("stage"));
            @SuppressWarnings("unchecked")
            Map<String, Object> shipment = (Map<String, Object>) written.get("shipment");
            assertEquals(List.of("id", "state", "labelUrl"), List.copyOf(shipment.keySet()));
            assertEquals("/api/v1/shipments/" + shipment.get("id") + "/label", shipment.get("labelUrl"));
            assertEquals("PREPARED", shipment.get("state"));
            ApiException done = assertThrows(ApiException.class, () -> steps.start(op, o.id(), body("tokenSerial",
                    token.serial, "resumeKey", PinCrypto.pem(Fixture.RESUME.getPublic()))));
            assertEquals(409, done.status());
            assertTrue(done.getMessage().contains(token.serial));

            Response answer = steps.read(o.id());
            assertEquals("no-store", answer.getHeaderString("Cache-Control"));
            Map<String, Object> read = entity(answer);
            assertEquals(List.of("orderId", "attempt", "stage", "tokenLabel", "tokenSerial", "tokenModel",
                    "tokenFirmware", "certificateSerial", "pin", "pinRevealedAt", "activatedAt", "lastError",
                    "updatedAt"), List.copyOf(read.keySet()));
            assertEquals(null, read.get("activatedAt"), "written as null, not left out");
            assertEquals("SoftHSM project SoftHSM v2", read.get("tokenModel"));
            Order cloud = f.inIssuance(Medium.CLOUD);
            assertEquals(404, status(() -> steps.read(cloud.id())));
            assertEquals(409, status(() -> steps.unlock(as("sam", "support"), o.id(), body("reason", "asked"))));
            assertEquals(400, status(() -> steps.unlock(as("sam", "support"), o.id(), body())));

            // the public activation: 409 before the PIN was revealed, 404 unknown, 403 another person's link
            String link = f.statusLink(o.id(), OrderRole.CERTIFICATE_MANAGER);
            assertEquals(409, status(() -> delivery.activation(null, body("link", link, "tokenSerial",
                    token.serial))));
            assertEquals(404, status(() -> delivery.activation(null, body("link", "http://x/order/status/"
                    + "B".repeat(43)))));
            assertEquals(409, status(() -> delivery.activation(null, body("link", link))));
            assertEquals(429, status(() -> delivery.activation(null, body("link", link))), "3 an hour here");
        }
    }

    @Test
    void theActivationAnswersActiveAndAnExpiredLinkIsGone() throws Exception {
        try (Fixture f = new Fixture("h2", dir)) {
            TokenDeliveryResource delivery = new TokenDeliveryResource(f.service, () -> 10);
            Order o = f.inIssuance(Medium.USB_C);
            Station token = new Station("ACT-REST");
            f.provisioned(o.id(), token, "3690");
            f.letters.deliver(o.id());
            f.service.requestCode(o.id(), "person");
            f.service.reveal(o.id(), f.lastCode(), "person");
            String link = f.statusLink(o.id(), OrderRole.CERTIFICATE_MANAGER);
            String other = f.statusLink(o.id(), OrderRole.LEGAL_REPRESENTATIVE);
            assertEquals(403, status(() -> delivery.activation(null, body("link", other))));
            assertEquals(409, status(() -> delivery.activation(null, body("link", link, "tokenSerial", "OTHER"))));
            assertEquals(400, status(() -> delivery.activation(null, body())));
            Map<String, Object> active = entity(delivery.activation(null, body("link", link, "tokenSerial",
                    token.serial)));
            assertEquals(Map.of("orderId", o.id(), "state", "ACTIVE"), active);
            assertEquals(List.of("orderId", "state"), List.copyOf(active.keySet()));
            assertEquals("ACTIVE", f.order(o.id()).state().name());
            assertEquals(200, delivery.activation(null, body("link", link)).getStatus(), "idempotent");
            f.clock.advance(java.time.Duration.ofDays(31));
            assertEquals(410, status(() -> delivery.activation(null, body("link", link))));
        }
    }

    /** The OpenAPI description names the body of every successful answer: a record of {@link TokenViews}. */
    @Test
    void everySuccessfulAnswerHasItsSchema() {
        Set<String> names = new TreeSet<>();
        for (Class<?> c : List.of(ProvisioningResource.class, TokenDeliveryResource.class)) {
            for (Method m : c.getDeclaredMethods()) {
                if (!java.lang.reflect.Modifier.isPublic(m.getModifiers())) {
                    continue;
                }
                List<ApiResponse> ok = Arrays.stream(m.getAnnotationsByType(ApiResponse.class))
                        .filter(r -> r.responseCode().startsWith("2")).toList();
                assertEquals(1, ok.size(), m.getName());
                Class<?> body = ok.get(0).content()[0].schema().implementation();
                assertEquals(TokenViews.class, body.getEnclosingClass(), m.getName());
                assertTrue(body.isRecord(), m.getName());
                names.add(body.getAnnotation(Schema.class).name());
            }
        }
        assertEquals(Set.of("TokenDelivery", "TokenProvisioningStarted", "TokenCertified", "TokenProvisioned",
                "TokenPinKey", "TokenQueue", "TokenActivated"), names);
    }

    @Test
    void everyCallNamesItsRolesAndOnlyTheActivationIsPublic() {
        Map<String, Set<String>> roles = new java.util.TreeMap<>();
        for (Class<?> c : List.of(ProvisioningResource.class, TokenDeliveryResource.class)) {
            for (Method m : c.getDeclaredMethods()) {
                if (!java.lang.reflect.Modifier.isPublic(m.getModifiers())) {
                    continue;
                }
                RolesAllowed r = m.getAnnotation(RolesAllowed.class);
                if (m.isAnnotationPresent(PermitAll.class)) {
                    roles.put(m.getName(), Set.of("public"));
                } else {
                    assertNotNull(r, m.getName() + " has no roles");
                    roles.put(m.getName(), new TreeSet<>(Arrays.asList(r.value())));
                }
            }
        }
        Set<String> ops = Set.of("admin", "operator");
        Set<String> readers = Set.of("admin", "operator", "support", "auditor", "ra-officer");
        assertEquals(Map.of("read", readers, "start", ops, "initialised", ops, "key", ops, "csr", ops, "written",
                ops, "failure", ops, "unlock", Set.of("admin", "support"), "pinKey", ops, "queue", readers),
                Map.copyOf(roles.entrySet().stream().filter(e -> !e.getKey().equals("activation"))
                        .collect(java.util.stream.Collectors.toMap(Map.Entry::getKey, e -> Set.copyOf(e
                                .getValue())))));
        assertEquals(Set.of("public"), roles.get("activation"));
        assertFalse(roles.containsKey("lambda"));
    }
}
