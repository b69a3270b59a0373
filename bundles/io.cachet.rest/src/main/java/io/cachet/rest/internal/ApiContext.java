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

import io.cachet.api.operator.Operator;
import io.cachet.api.operator.OperatorDirectory;
import io.cachet.api.rest.RestApi;

/**
 * The {@code /api/v1} servlet context. Every request but the public OpenAPI description must carry
 * {@code Authorization: Bearer <api-key>}; the operator it belongs to is put on the request for resources.
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
        Optional<Operator> operator = bearer(request.getHeader("Authorization")).flatMap(operators::authenticateApiKey);
        if (operator.isEmpty()) {
            response.setHeader("WWW-Authenticate", "Bearer realm=\"Cachet API\"");
            ApiErrors.write(response, 401, "unauthorized", request.getHeader("Authorization") == null
                    ? "Send your API key as 'Authorization: Bearer <api-key>'."
                    : "The API key is not valid (unknown, revoked or malformed).");
            return false;
        }
        request.setAttribute(RestApi.OPERATOR_ATTRIBUTE, operator.get());
        return true;
    }

    static Optional<String> bearer(String header) {
        if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return Optional.empty();
        }
        String token = header.substring(7).strip();
        return token.isEmpty() ? Optional.empty() : Optional.of(token);
    }
}
