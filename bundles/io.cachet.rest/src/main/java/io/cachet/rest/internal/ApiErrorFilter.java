package io.cachet.rest.internal;

import java.io.IOException;
import java.util.UUID;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardContextSelect;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardFilterPattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletResponse;

import io.cachet.api.rest.ApiException;
import io.cachet.api.rest.RestApi;

/**
 * Turns what a resource throws into a JSON error: {@link ApiException} as it says, anything else as a 500
 * carrying a reference that is logged with the full trace — the caller never sees internals.
 */
@Component(service = Filter.class)
@HttpWhiteboardContextSelect("(osgi.http.whiteboard.context.name=" + RestApi.CONTEXT_NAME + ")")
@HttpWhiteboardFilterPattern("/*")
public class ApiErrorFilter implements Filter {

    private static final Logger LOG = LoggerFactory.getLogger(ApiErrorFilter.class);

    @Override
    public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        try {
            chain.doFilter(request, response);
        } catch (ApiException e) {
            ApiErrors.write((HttpServletResponse) response, e.status(), e.error(), e.getMessage());
        } catch (IOException | ServletException | RuntimeException e) {
            ApiException api = unwrap(e);
            if (api != null) {
                ApiErrors.write((HttpServletResponse) response, api.status(), api.error(), api.getMessage());
                return;
            }
            String reference = UUID.randomUUID().toString();
            LOG.error("REST request failed, reference {}", reference, e);
            ApiErrors.write((HttpServletResponse) response, 500, "internal_error",
                    "The request could not be completed. Quote reference " + reference + " to the operator.");
        }
    }

    private static ApiException unwrap(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof ApiException a) {
                return a;
            }
        }
        return null;
    }
}
