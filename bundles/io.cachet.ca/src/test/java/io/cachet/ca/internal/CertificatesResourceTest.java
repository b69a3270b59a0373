package io.cachet.ca.internal;

import static io.cachet.api.testing.TestCallers.as;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;

import org.bouncycastle.asn1.DERUTF8String;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.cachet.api.rest.ApiException;
import io.cachet.audit.launch.AuditLogs;
import io.cachet.ca.internal.http.CertificatesResource;
import io.cachet.store.testing.TestDatabases;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;

/**
 * {@code POST /api/v1/certificates} as Jakarta REST calls the resource, over the real CA on H2: names that are
 * not plain text are refused with 400 naming the request's field (the REST API's problem mapper turns the
 * {@link ApiException} into the problem body), and nothing is issued.
 */
class CertificatesResourceTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    static CaHierarchy ca;

    @TempDir
    Path dir;
    TestDatabases.Handle db;
    TrustServices services;
    CertificatesResource resource;

    @BeforeAll
    static void ceremony() {
        ca = CaHierarchy.create(new JcaTestToken(), CaSettings.defaults("Cachet Test", CaTest.ORG_ID, "FR"));
    }

    @BeforeEach
    void open() {
        db = TestDatabases.open("h2", dir);
        services = new TrustServices(ca, CaTest.settings(), "1.3.6.1.4.1.32473.1.2", db.database(),
                AuditLogs.open(db.database(), List.of()), Clock.systemUTC());
        resource = new CertificatesResource(services);
    }

    @AfterEach
    void close() {
        db.close();
    }

    ObjectNode request(String commonName, String name, String identifier, String country) throws Exception {
        ObjectNode body = JSON.createObjectNode().put("csr", CaTest.csrPem(Pki.ec("secp256r1")))
                .put("commonName", commonName).put("profile", "qscd").put("validityYears", 2);
        body.putObject("organisation").put("name", name).put("identifier", identifier).put("country", country);
        return body;
    }

    @Test
    void aHashSignIsPlainTextAndHostileNamesAre400NamingTheField() throws Exception {
        Posted ok = post(request("#020101", "#zz", CaTest.ORG_ID, "FR"));
        assertEquals(201, ok.status);
        JsonNode issued = JSON.readTree(ok.body);
        X500Name subject = X500Name.getInstance(services.find(new java.math.BigInteger(issued.get("serial").asText(),
                16)).orElseThrow().certificate().getSubjectX500Principal().getEncoded());
        assertEquals(new DERUTF8String("#020101"), subject.getRDNs(BCStyle.CN)[0].getFirst().getValue());
        assertEquals(new DERUTF8String("#zz"), subject.getRDNs(BCStyle.O)[0].getFirst().getValue());

        Map<String, ObjectNode> refused = new java.util.LinkedHashMap<>();
        refused.put("'commonName'", request("Seal\u0000", "ACME", CaTest.ORG_ID, "FR"));
        refused.put("'commonName' ", request("x".repeat(65), "ACME", CaTest.ORG_ID, "FR"));
        refused.put(" 'commonName'", request("invoice\u202Efdp.exe", "ACME", CaTest.ORG_ID, "FR"));
        refused.put("'organisation.name'", request("Seal", "ACME\nEvil Corp", CaTest.ORG_ID, "FR"));
        refused.put("'organisation.name' ", request("Seal", "\u001B[2JACME", CaTest.ORG_ID, "FR"));
        refused.put("'organisation.identifier'", request("Seal", "ACME", "NTRFR-" + "1".repeat(30_000), "FR"));
        refused.put("'organisation.identifier' ", request("Seal", "ACME", "XYZFR-1", "FR"));
        refused.put("'organisation.country'", request("Seal", "ACME", CaTest.ORG_ID, "fr"));
        for (Map.Entry<String, ObjectNode> e : refused.entrySet()) {
            ApiException refusal = assertThrows(ApiException.class, () -> post(e.getValue()), e.getKey());
            assertEquals(400, refusal.status(), refusal.getMessage());
            assertTrue(refusal.getMessage().contains(e.getKey().trim()), e.getKey() + ": " + refusal.getMessage());
            assertTrue(refusal.getMessage().length() < 300, refusal.getMessage());
        }
        assertEquals(1, (int) db.database().<Integer>inTransaction(c -> {
            try (java.sql.ResultSet rs = c.createStatement().executeQuery("SELECT COUNT(*) FROM ca_certificate")) {
                rs.next();
                return rs.getInt(1);
            }
        }));
    }

    record Posted(int status, String body) {
    }

    /** One POST to the resource as an operator, as Jakarta REST calls it once the body is read. */
    Posted post(JsonNode json) throws Exception {
        SecurityContext security = as("alice", "operator");
        try (Response r = resource.issue(security, JSON.readTree(JSON.writeValueAsBytes(json)))) {
            return new Posted(r.getStatus(), JSON.writeValueAsString(r.getEntity()));
        }
    }
}
