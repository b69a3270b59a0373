package io.cachet.rest.internal;

import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardContextSelect;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletPattern;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;

import io.cachet.api.operator.ApiKey;
import io.cachet.api.operator.ApiKeyScope;
import io.cachet.api.operator.IssuedApiKey;
import io.cachet.api.operator.Operator;
import io.cachet.api.operator.OperatorDirectory;
import io.cachet.api.operator.OperatorException;
import io.cachet.api.rest.ApiException;
import io.cachet.api.rest.RestApi;

import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * The caller's own API keys under {@code /api/v1/operators/me/api-keys}: {@code GET} lists them (never a secret),
 * {@code POST} creates one and answers its secret once, {@code POST {id}/rotation} gives a key a new secret (the old
 * one is refused from then on), {@code DELETE {id}} revokes it. A key can only make keys of its own scope or
 * narrower, and a {@code read} key cannot change keys at all. Every change is audited by the directory with the
 * actor {@code api:<login>}.
 */
@Component(service = Servlet.class)
@HttpWhiteboardContextSelect("(osgi.http.whiteboard.context.name=" + RestApi.CONTEXT_NAME + ")")
@HttpWhiteboardServletPattern({OperatorKeysResource.BASE, OperatorKeysResource.BASE + "/*"})
public class OperatorKeysResource extends HttpServlet {

    static final String BASE = "/operators/me/api-keys";
    static final int MAX_BODY = 4 * 1024;
    private static final long serialVersionUID = 1L;

    private final transient OperatorDirectory directory;

    @Activate
    public OperatorKeysResource(@Reference OperatorDirectory directory) {
        this.directory = directory;
    }

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        Operator operator = operator(req);
        if (!rest(req).isEmpty()) {
            throw ApiException.notFound("List your keys at " + RestApi.CONTEXT_PATH + BASE + ".");
        }
        Instant now = Instant.now();
        List<Map<String, Object>> keys = directory.apiKeys(operator.login()).stream().map(k -> view(k, now)).toList();
        ApiErrors.json(resp, 200, Map.of("keys", keys));
    }

    @Override
    protected void doPost(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        Operator operator = operator(req);
        ApiKey caller = changer(req);
        String rest = rest(req);
        if (rest.isEmpty()) {
            JsonNode body = body(req);
            ApiKeyScope scope = ApiKeyScope.parse(text(body, "scope")).orElseThrow(() -> ApiException.badRequest(
                    "Field 'scope' must be one of admin, operator, read."));
            if (!scope.within(caller.scope())) {
                throw new ApiException(403, "forbidden", "A key of scope '" + caller.scope().id() + "' cannot create a "
                        + "key of the wider scope '" + scope.id() + "'.");
            }
            String expiresText = text(body, "expiresAt");
            Instant expires;
            try {
                expires = expiresText == null ? null : Instant.parse(expiresText);
            } catch (DateTimeParseException e) {
                throw ApiException.badRequest("Field 'expiresAt' must be an ISO-8601 instant such as "
                        + "2027-01-31T00:00:00Z, or absent for a key that does not expire.");
            }
            String label = text(body, "label");
            IssuedApiKey issued = call(() -> directory.createApiKey(operator.login(), scope, label, expires,
                    "api:" + operator.login()));
            resp.setHeader("Location", RestApi.CONTEXT_PATH + BASE + "/" + issued.key().id());
            ApiErrors.json(resp, 201, issuedView(issued));
            return;
        }
        String[] parts = rest.split("/", -1);
        if (parts.length == 2 && "rotation".equals(parts[1])) {
            IssuedApiKey issued = call(() -> directory.rotateApiKey(operator.login(), parts[0], "api:" + operator.login()));
            ApiErrors.json(resp, 200, issuedView(issued));
            return;
        }
        throw ApiException.notFound("No such resource: POST " + RestApi.CONTEXT_PATH + BASE + "/" + rest
                + " (rotate a key with POST " + BASE + "/{id}/rotation).");
    }

    @Override
    protected void doDelete(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        Operator operator = operator(req);
        changer(req);
        String rest = rest(req);
        if (rest.isEmpty() || rest.contains("/")) {
            throw ApiException.notFound("Revoke a key with DELETE " + RestApi.CONTEXT_PATH + BASE + "/{id}.");
        }
        call(() -> {
            directory.revokeApiKey(operator.login(), rest, "api:" + operator.login());
            return null;
        });
        resp.setStatus(204);
        resp.setHeader("Cache-Control", "no-store");
    }

    private static Operator operator(HttpServletRequest req) {
        Operator operator = (Operator) req.getAttribute(RestApi.OPERATOR_ATTRIBUTE);
        if (operator == null) {
            throw new ApiException(401, "unauthorized", "Send your API key as 'Authorization: Bearer <api-key>'.");
        }
        return operator;
    }

    /** The key of the request, which must be allowed to change keys: any scope but {@code read}. */
    private static ApiKey changer(HttpServletRequest req) {
        ApiKey key = (ApiKey) req.getAttribute(RestApi.API_KEY_ATTRIBUTE);
        if (key == null || key.scope() == ApiKeyScope.READ) {
            throw new ApiException(403, "forbidden", "A key of scope 'read' cannot create, rotate or revoke keys; "
                    + "use a key of scope operator or admin.");
        }
        return key;
    }

    private static String rest(HttpServletRequest req) {
        String path = req.getPathInfo() == null ? "" : req.getPathInfo();
        return path.startsWith("/") ? path.substring(1) : path;
    }

    private static JsonNode body(HttpServletRequest req) throws IOException {
        if (req.getContentLengthLong() > MAX_BODY) {
            throw tooLarge();
        }
        byte[] bytes;
        try (InputStream in = req.getInputStream()) {
            bytes = in.readNBytes(MAX_BODY + 1);
        }
        if (bytes.length > MAX_BODY) {
            throw tooLarge();
        }
        if (bytes.length == 0) {
            throw ApiException.badRequest("The request body is empty: send a JSON object such as {\"scope\": \"read\"}.");
        }
        try {
            JsonNode node = ApiErrors.JSON.readTree(bytes);
            if (node == null || !node.isObject()) {
                throw ApiException.badRequest("The request body must be a JSON object.");
            }
            return node;
        } catch (JsonProcessingException e) {
            throw ApiException.badRequest("The request body is not valid JSON (line " + e.getLocation().getLineNr()
                    + ", column " + e.getLocation().getColumnNr() + ").");
        }
    }

    private static ApiException tooLarge() {
        return new ApiException(413, "payload_too_large", "The request body is over " + MAX_BODY / 1024 + " KiB.");
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isTextual()) {
            throw ApiException.badRequest("Field '" + field + "' must be a string.");
        }
        return value.asText();
    }

    private interface Call<T> {
        T run();
    }

    /** What the directory refuses is the caller's to fix; its messages say how. */
    private static <T> T call(Call<T> call) {
        try {
            return call.run();
        } catch (OperatorException e) {
            throw switch (e.reason()) {
                case NOT_FOUND -> ApiException.notFound(e.getMessage());
                case CONFLICT -> new ApiException(409, "conflict", e.getMessage());
                case INVALID -> ApiException.badRequest(e.getMessage());
            };
        }
    }

    static Map<String, Object> view(ApiKey k, Instant now) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", k.id());
        m.put("label", k.label());
        m.put("scope", k.scope().id());
        m.put("status", k.status(now).name().toLowerCase(java.util.Locale.ROOT));
        m.put("createdAt", k.createdAt().toString());
        m.put("expiresAt", k.expiresAt() == null ? null : k.expiresAt().toString());
        m.put("rotatedAt", k.rotatedAt() == null ? null : k.rotatedAt().toString());
        m.put("revokedAt", k.revokedAt() == null ? null : k.revokedAt().toString());
        return m;
    }

    private static Map<String, Object> issuedView(IssuedApiKey issued) {
        Map<String, Object> m = view(issued.key(), Instant.now());
        m.put("key", issued.secret());
        return m;
    }
}
