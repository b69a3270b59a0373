package io.cachet.ca.internal.http;

import java.io.IOException;
import java.math.BigInteger;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardContextSelect;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletPattern;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.cachet.api.ca.CertificateAuthority;
import io.cachet.api.ca.CertificateAuthorityException;
import io.cachet.api.ca.IssuedCertificate;
import io.cachet.api.ca.RevocationReason;
import io.cachet.api.ca.SealCertificateRequest;
import io.cachet.api.operator.Operator;
import io.cachet.api.rest.ApiException;
import io.cachet.api.rest.RestApi;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * Operator REST API of the CA under {@code /api/v1}: {@code POST /certificates} issues,
 * {@code GET /certificates/{serial}} reads, {@code POST /certificates/{serial}/revocation} revokes. Issuing and
 * revoking need the role {@code admin} or {@code operator}; every call that changes state is audited by the CA
 * with the actor {@code api:<login>}.
 */
@Component(service = jakarta.servlet.Servlet.class)
@HttpWhiteboardContextSelect("(osgi.http.whiteboard.context.name=" + RestApi.CONTEXT_NAME + ")")
@HttpWhiteboardServletPattern({ "/certificates", "/certificates/*" })
public class CertificatesResource extends HttpServlet {
    private static final long serialVersionUID = 1L;
    static final int MAX_BODY = 64 * 1024;
    private static final ObjectMapper JSON = JsonBodies.MAPPER;
    private static final Pattern SERIAL = Pattern.compile("[0-9a-fA-F]{1,40}");

    private final transient CertificateAuthority ca;

    @Activate
    public CertificatesResource(@Reference CertificateAuthority ca) {
        this.ca = ca;
    }

    @Override
    protected void doPost(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        String path = req.getPathInfo() == null ? "" : req.getPathInfo();
        Operator operator = requireRole(req);
        JsonNode body = body(req);
        if (path.isEmpty() || "/".equals(path)) {
            IssuedCertificate issued = call(() -> ca.issue(issueRequest(body), "api:" + operator.login()));
            resp.setHeader("Location", RestApi.CONTEXT_PATH + "/certificates/" + issued.serialHex());
            write(resp, 201, view(issued));
            return;
        }
        String[] parts = path.substring(1).split("/", -1);
        if (parts.length == 2 && "revocation".equals(parts[1])) {
            BigInteger serial = serial(parts[0]);
            String reasonText = text(body, "reason", false);
            RevocationReason reason = reasonText == null ? RevocationReason.UNSPECIFIED
                    : RevocationReason.parse(reasonText).orElseThrow(() -> ApiException.badRequest("reason '"
                            + reasonText + "' is not one of " + reasons()));
            IssuedCertificate revoked = call(() -> ca.revoke(serial, reason, "api:" + operator.login()));
            write(resp, 200, view(revoked));
            return;
        }
        throw ApiException.notFound("No such resource: POST " + RestApi.CONTEXT_PATH + "/certificates" + path);
    }

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        String path = req.getPathInfo() == null ? "" : req.getPathInfo();
        if (path.length() <= 1 || path.indexOf('/', 1) >= 0) {
            throw ApiException.notFound("Read a certificate at " + RestApi.CONTEXT_PATH + "/certificates/{serial}");
        }
        BigInteger serial = serial(path.substring(1));
        IssuedCertificate found = call(() -> ca.find(serial)).orElseThrow(() -> ApiException.notFound(
                "No certificate with serial " + serial.toString(16) + " was issued by this CA."));
        write(resp, 200, view(found));
    }

    private static Operator requireRole(HttpServletRequest req) {
        Operator operator = (Operator) req.getAttribute(RestApi.OPERATOR_ATTRIBUTE);
        if (operator == null || !(operator.hasRole("admin") || operator.hasRole("operator"))) {
            throw new ApiException(403, "forbidden", "Issuing and revoking certificates needs the role admin or"
                    + " operator.");
        }
        return operator;
    }

    private static JsonNode body(HttpServletRequest req) throws IOException {
        byte[] bytes;
        try {
            bytes = Bodies.read(req.getInputStream(), req.getContentLengthLong(), MAX_BODY);
        } catch (Bodies.TooLarge e) {
            throw new ApiException(413, "payload_too_large", "The request body is over " + MAX_BODY / 1024
                    + " KiB; a CSR and a few names fit in far less.");
        }
        if (bytes.length == 0) {
            throw ApiException.badRequest("The request body is empty: send a JSON object.");
        }
        JsonParser parser = null;
        try {
            parser = JSON.createParser(bytes);
            JsonNode node = JSON.readTree(parser);
            if (node == null || !node.isObject()) {
                throw ApiException.badRequest("The request body must be a JSON object.");
            }
            return node;
        } catch (JsonProcessingException e) {
            throw ApiException.badRequest(JsonBodies.problem(e, parser));
        } catch (java.io.IOException e) {
            throw ApiException.badRequest("The request body cannot be read as JSON.");
        }
    }

    static SealCertificateRequest issueRequest(JsonNode body) {
        String csr = text(body, "csr", true);
        String commonName = text(body, "commonName", true);
        String profileText = text(body, "profile", true);
        SealCertificateRequest.Profile profile = switch (profileText) {
        case "qscd" -> SealCertificateRequest.Profile.QSCD;
        case "cloud" -> SealCertificateRequest.Profile.CLOUD;
        default -> throw ApiException.badRequest("profile '" + profileText + "' is unknown: use \"qscd\" (key on a"
                + " token) or \"cloud\" (key in the provider's HSM).");
        };
        JsonNode years = body.get("validityYears");
        if (years == null || !years.isInt() || years.asInt() < 1 || years.asInt() > 10) {
            throw ApiException.badRequest("validityYears must be a whole number of years from 1 to 10.");
        }
        JsonNode org = body.get("organisation");
        if (org == null || !org.isObject()) {
            throw ApiException.badRequest("organisation must be an object {name, identifier, country}.");
        }
        return new SealCertificateRequest(csr, profile, commonName, new SealCertificateRequest.Organisation(
                text(org, "name", true), text(org, "identifier", true), text(org, "country", true)), years.asInt());
    }

    private static String text(JsonNode node, String field, boolean required) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            if (required) {
                throw ApiException.badRequest("Field '" + field + "' is missing.");
            }
            return null;
        }
        if (!value.isTextual()) {
            throw ApiException.badRequest("Field '" + field + "' must be a string.");
        }
        return value.asText();
    }

    private static BigInteger serial(String text) {
        if (!SERIAL.matcher(text).matches()) {
            throw ApiException.badRequest("'" + (text.length() > 50 ? text.substring(0, 50) + "…" : text)
                    + "' is not a serial number: give it in hexadecimal, at most 40 digits.");
        }
        return new BigInteger(text, 16);
    }

    private interface CaCall<T> {
        T run();
    }

    /** Maps what the CA refuses to HTTP; the CA's messages name the problem and never hold key material. */
    private static <T> T call(CaCall<T> call) {
        try {
            return call.run();
        } catch (CertificateAuthorityException e) {
            throw switch (e.kind()) {
            case INVALID_REQUEST -> ApiException.badRequest(sentence(e.getMessage()));
            case NOT_FOUND -> ApiException.notFound(sentence(e.getMessage()));
            case CONFLICT -> new ApiException(409, "conflict", sentence(e.getMessage()));
            case UNAVAILABLE -> new ApiException(503, "unavailable", "The CA cannot work now; try again later or"
                    + " ask the operator to check the CA token (" + e.getMessage() + ").");
            };
        }
    }

    private static String sentence(String message) {
        if (message == null || message.isEmpty()) {
            return "The request was refused.";
        }
        String s = Character.toUpperCase(message.charAt(0)) + message.substring(1);
        return s.endsWith(".") ? s : s + ".";
    }

    private static String reasons() {
        StringBuilder b = new StringBuilder();
        for (RevocationReason r : RevocationReason.values()) {
            b.append(b.length() == 0 ? "" : ", ").append(r.rfcName());
        }
        return b.toString();
    }

    static Map<String, Object> view(IssuedCertificate c) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("serial", c.serialHex());
        m.put("subject", c.certificate().getSubjectX500Principal().getName());
        m.put("notBefore", c.certificate().getNotBefore().toInstant().toString());
        m.put("notAfter", c.certificate().getNotAfter().toInstant().toString());
        m.put("status", c.revoked() ? "revoked" : "good");
        c.revocation().ifPresent(r -> {
            Map<String, Object> rev = new LinkedHashMap<>();
            rev.put("time", r.time().toString());
            rev.put("reason", r.reason().rfcName());
            m.put("revocation", rev);
        });
        m.put("certificate", Pem.of(c.certificate()));
        return m;
    }

    private static void write(HttpServletResponse resp, int status, Object body) throws IOException {
        resp.setStatus(status);
        resp.setContentType("application/json");
        resp.setCharacterEncoding("UTF-8");
        resp.setHeader("Cache-Control", "no-store");
        JSON.writeValue(resp.getOutputStream(), body);
    }
}
