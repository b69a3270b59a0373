package io.cachet.rest.internal;

import java.lang.reflect.Method;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.jakartars.whiteboard.propertytypes.JakartarsApplicationSelect;
import org.osgi.service.jakartars.whiteboard.propertytypes.JakartarsExtension;
import org.osgi.service.jakartars.whiteboard.propertytypes.JakartarsName;

import jakarta.annotation.Priority;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.ResourceInfo;
import jakarta.ws.rs.core.Context;

import io.cachet.api.rest.ApiException;
import io.cachet.api.rest.BodyLimit;
import io.cachet.api.rest.RestApi;

/**
 * The API's one request body limit: the resource method's {@link BodyLimit} (or its class's), else
 * {@link RestApi#DEFAULT_BODY_LIMIT}. A body announced larger is refused before it is read; one that turns out larger
 * is refused as soon as it goes past the limit. Runs after authentication: a stranger learns nothing but 401.
 */
@Component(service = ContainerRequestFilter.class)
@JakartarsExtension
@JakartarsName(BodyLimitFilter.NAME)
@JakartarsApplicationSelect(RestApi.APPLICATION_SELECT)
@Priority(Priorities.AUTHORIZATION + 100)
public class BodyLimitFilter implements ContainerRequestFilter {

    static final String NAME = "cachet.api.bodylimit";

    @Context
    ResourceInfo resource;

    @Override
    public void filter(ContainerRequestContext request) {
        if (!request.hasEntity()) {
            return;
        }
        BodyLimit declared = declared(resource.getResourceMethod(), resource.getResourceClass());
        int limit = declared == null ? RestApi.DEFAULT_BODY_LIMIT : declared.value();
        ApiException tooLarge = tooLarge(limit, declared == null ? "" : declared.hint());
        if (request.getLength() > limit) {
            throw tooLarge;
        }
        request.setEntityStream(new LimitedInputStream(request.getEntityStream(), limit, tooLarge));
    }

    static BodyLimit declared(Method method, Class<?> type) {
        BodyLimit onMethod = method == null ? null : method.getAnnotation(BodyLimit.class);
        return onMethod != null ? onMethod : type == null ? null : type.getAnnotation(BodyLimit.class);
    }

    static ApiException tooLarge(int limit, String hint) {
        String size = limit % 1024 == 0 ? limit / 1024 + " KiB" : limit + " bytes";
        return new ApiException(413, "payload_too_large", "The request body is over " + size
                + (hint == null || hint.isBlank() ? "." : "; " + hint + "."));
    }
}
