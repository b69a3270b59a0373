package io.cachet.ca.internal.http;

import java.io.IOException;
import java.security.cert.X509CRL;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardContextSelect;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletPattern;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.cachet.api.ca.CertificateAuthorityException;
import io.cachet.api.operator.Operator;
import io.cachet.api.rest.ApiException;
import io.cachet.api.rest.RestApi;
import io.cachet.ca.internal.RootCeremony;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * The root's ARL ceremony over the REST API, so that it works while the server runs (the embedded database cannot
 * be opened by a second process): {@code POST /api/v1/ca/arl} with {@code {"rootPin": "..."}} signs a new authority
 * revocation list with the root token, opened for that signature only; {@code GET /api/v1/ca/arl} shows the current
 * one. Role {@code admin} only; the CA audits the renewal and every refusal with the actor {@code api:<login>}.
 * The PIN is read from the body as characters and wiped; it is never logged. {@code cachet-cli ca renew-arl} calls
 * this after asking for the PIN without echo.
 */
@Component(service = jakarta.servlet.Servlet.class)
@HttpWhiteboardContextSelect("(osgi.http.whiteboard.context.name=" + RestApi.CONTEXT_NAME + ")")
@HttpWhiteboardServletPattern("/ca/arl")
public class ArlResource extends HttpServlet {
    private static final long serialVersionUID = 1L;
    private static final int MAX_BODY = 4096;
    private static final JsonFactory JSON_FACTORY = new JsonFactory();
    private static final ObjectMapper JSON = new ObjectMapper();

    private final transient RootCeremony root;

    @Activate
    public ArlResource(@Reference RootCeremony root) {
        this.root = root;
    }

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        requireAdmin(req);
        X509CRL arl = root.arl().orElseThrow(() -> ApiException.notFound("This CA's root publishes no ARL here"
                + " (a CA made before the root had a token of its own, or an adopted CA)."));
        write(resp, 200, view(arl));
    }

    @Override
    protected void doPost(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        Operator operator = requireAdmin(req);
        char[] pin = rootPin(req);
        try {
            X509CRL made = root.renewArl(pin, "api:" + operator.login());
            write(resp, 201, view(made));
        } catch (CertificateAuthorityException e) {
            throw switch (e.kind()) {
            case INVALID_REQUEST -> ApiException.badRequest(e.getMessage());
            case NOT_FOUND -> ApiException.notFound(e.getMessage());
            case CONFLICT -> new ApiException(409, "conflict", e.getMessage());
            case UNAVAILABLE -> new ApiException(503, "unavailable", e.getMessage());
            };
        } finally {
            Arrays.fill(pin, '\0');
        }
    }

    private static Operator requireAdmin(HttpServletRequest req) {
        Operator operator = (Operator) req.getAttribute(RestApi.OPERATOR_ATTRIBUTE);
        if (operator == null || !operator.hasRole("admin")) {
            throw new ApiException(403, "forbidden", "The root's ARL ceremony needs the role admin.");
        }
        return operator;
    }

    /** The {@code rootPin} field, read without making a String of it; the body bytes are wiped. */
    private static char[] rootPin(HttpServletRequest req) throws IOException {
        byte[] body;
        try {
            body = Bodies.read(req.getInputStream(), req.getContentLengthLong(), MAX_BODY);
        } catch (Bodies.TooLarge e) {
            throw new ApiException(413, "payload_too_large", "The request body is over " + MAX_BODY + " bytes.");
        }
        char[] pin = null;
        try (JsonParser p = JSON_FACTORY.createParser(body)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw ApiException.badRequest("The request body must be a JSON object {\"rootPin\": \"...\"}.");
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.getCurrentName();
                JsonToken value = p.nextToken();
                if ("rootPin".equals(field) && value == JsonToken.VALUE_STRING) {
                    if (pin != null) {
                        Arrays.fill(pin, '\0');
                    }
                    pin = Arrays.copyOfRange(p.getTextCharacters(), p.getTextOffset(),
                            p.getTextOffset() + p.getTextLength());
                } else if ("rootPin".equals(field)) {
                    throw ApiException.badRequest("Field 'rootPin' must be a string.");
                } else {
                    p.skipChildren();
                }
            }
        } catch (JsonProcessingException e) {
            if (pin != null) {
                Arrays.fill(pin, '\0');
            }
            throw ApiException.badRequest("The request body is not valid JSON.");
        } finally {
            Arrays.fill(body, (byte) 0);
        }
        if (pin == null || pin.length == 0) {
            throw ApiException.badRequest("Field 'rootPin' is missing: give the root token's user PIN.");
        }
        return pin;
    }

    static Map<String, Object> view(X509CRL arl) {
        Map<String, Object> m = new LinkedHashMap<>();
        byte[] number = arl.getExtensionValue(org.bouncycastle.asn1.x509.Extension.cRLNumber.getId());
        if (number != null) {
            m.put("number", org.bouncycastle.asn1.ASN1Integer.getInstance(
                    org.bouncycastle.asn1.ASN1OctetString.getInstance(number).getOctets()).getValue().toString());
        }
        m.put("issuer", arl.getIssuerX500Principal().getName());
        m.put("thisUpdate", arl.getThisUpdate().toInstant().toString());
        m.put("nextUpdate", arl.getNextUpdate().toInstant().toString());
        m.put("entries", arl.getRevokedCertificates() == null ? 0 : arl.getRevokedCertificates().size());
        m.put("url", "/pki/root.crl");
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
