package io.cachet.rest.internal;

import java.io.IOException;
import java.util.Optional;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.servlet.context.ServletContextHelper;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardContext;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import io.cachet.api.operator.Authentication;
import io.cachet.api.operator.OperatorDirectory;
import io.cachet.api.rest.RestApi;

/**
 * The {@code /api/v1} servlet context. Every request but the public OpenAPI description must carry
 * {@code Authorization: Bearer <api-key>}; the operator it belongs to (with the roles the key's scope allows) and
 * the key are put on the request for resources. A key of an operator who must still replace a password someone
 * else chose gets 403; while failures from the client or for the key are being throttled, 429 with
 * {@code Retry-After} (the key is not even checked).
 */
@Component(service = ServletContextHelper.class)
@HttpWhiteboardContext(name = RestApi.CONTEXT_NAME, path = RestApi.CONTEXT_PATH)
public class ApiContext extends ServletContextHelper {

    static final String PUBLIC_PATH = "/openapi.json";

    private final OperatorDirectory operators;

    @Activate
    public ApiContext(@Reference OperatorDirectory operators) {
        this.operators = operators;
    }

    @Override
    public boolean handleSecurity(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String path = request.getRequestURI().substring(request.getContextPath().length());
        if (PUBLIC_PATH.equals(path) && "GET".equals(request.getMethod())) {
            return true;
        }
        Optional<String> key = bearer(request.getHeader("Authorization"));
        if (key.isEmpty()) {
            response.setHeader("WWW-Authenticate", "Bearer realm=\"Cachet API\"");
            ApiErrors.write(response, 401, "unauthorized", "Send your API key as 'Authorization: Bearer <api-key>'.");
            return false;
        }
        Authentication result = operators.authenticateApiKey(key.get(), request.getRemoteAddr());
        switch (result.status()) {
            case GRANTED -> {
                request.setAttribute(RestApi.OPERATOR_ATTRIBUTE, result.operator());
                request.setAttribute(RestApi.API_KEY_ATTRIBUTE, result.apiKey());
                return true;
            }
            case THROTTLED -> {
                response.setHeader("Retry-After", Long.toString(result.retryAfter().toSeconds()));
                ApiErrors.write(response, 429, "too_many_requests", result.message());
                return false;
            }
            case PASSWORD_CHANGE_REQUIRED -> {
                ApiErrors.write(response, 403, "password_change_required", result.message());
                return false;
            }
            default -> {
                response.setHeader("WWW-Authenticate", "Bearer realm=\"Cachet API\", error=\"invalid_token\"");
                ApiErrors.write(response, 401, "unauthorized", result.message());
                return false;
            }
        }
    }

    static Optional<String> bearer(String header) {
        if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return Optional.empty();
        }
        String token = header.substring(7).strip();
        return token.isEmpty() ? Optional.empty() : Optional.of(token);
    }
}
