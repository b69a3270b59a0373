package io.cachet.ca.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

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

import io.cachet.api.operator.Operator;
import io.cachet.api.rest.ApiException;
import io.cachet.api.rest.RestApi;
import io.cachet.api.audit.AuditLog;
import io.cachet.audit.launch.AuditLogs;
import io.cachet.ca.internal.http.CertificatesResource;
import io.cachet.store.testing.TestDatabases;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * {@code POST /api/v1/certificates} as the servlet container calls it, over the real CA on H2: names that are
 * not plain text are refused with 400 naming the request's field (the REST context's error filter turns the
 * {@link ApiException} into the JSON body), and nothing is issued.
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

    /** One POST to the resource as an operator, through the servlet's public entry point. */
    Posted post(JsonNode json) throws Exception {
        byte[] body = JSON.writeValueAsBytes(json);
        ByteArrayInputStream in = new ByteArrayInputStream(body);
        Map<String, Object> attributes = new HashMap<>();
        attributes.put(RestApi.OPERATOR_ATTRIBUTE, new Operator("alice", Set.of("operator"), false));
        ServletInputStream input = new ServletInputStream() {
            @Override
            public int read() {
                return in.read();
            }

            @Override
            public boolean isFinished() {
                return in.available() == 0;
            }

            @Override
            public boolean isReady() {
                return true;
            }

            @Override
            public void setReadListener(ReadListener listener) {
                throw new UnsupportedOperationException();
            }
        };
        HttpServletRequest req = (HttpServletRequest) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] { HttpServletRequest.class }, (p, m, args) -> switch (m.getName()) {
                case "getMethod" -> "POST";
                case "getPathInfo" -> null;
                case "getAttribute" -> attributes.get((String) args[0]);
                case "getInputStream" -> input;
                case "getContentLengthLong" -> (long) body.length;
                case "getContentLength" -> body.length;
                default -> throw new UnsupportedOperationException("request." + m.getName());
                });
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int[] status = { 200 };
        ServletOutputStream output = new ServletOutputStream() {
            @Override
            public void write(int b) {
                out.write(b);
            }

            @Override
            public boolean isReady() {
                return true;
            }

            @Override
            public void setWriteListener(WriteListener listener) {
                throw new UnsupportedOperationException();
            }
        };
        HttpServletResponse resp = (HttpServletResponse) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] { HttpServletResponse.class }, (p, m, args) -> switch (m.getName()) {
                case "setStatus" -> {
                    status[0] = (Integer) args[0];
                    yield null;
                }
                case "setHeader", "setContentType", "setCharacterEncoding" -> null;
                case "getOutputStream" -> output;
                default -> throw new UnsupportedOperationException("response." + m.getName());
                });
        resource.service(req, resp);
        return new Posted(status[0], out.toString(StandardCharsets.UTF_8));
    }
}
