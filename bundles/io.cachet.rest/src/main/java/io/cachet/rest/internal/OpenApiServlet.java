package io.cachet.rest.internal;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardContextSelect;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletPattern;

import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import io.cachet.api.rest.OpenApiContribution;
import io.cachet.api.rest.RestApi;

/** {@code GET /api/v1/openapi.json}: the description of the resources installed now. Public. */
@Component(service = Servlet.class)
@HttpWhiteboardContextSelect("(osgi.http.whiteboard.context.name=" + RestApi.CONTEXT_NAME + ")")
@HttpWhiteboardServletPattern(ApiContext.PUBLIC_PATH)
public class OpenApiServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;

    private final transient List<OpenApiContribution> contributions = new CopyOnWriteArrayList<>();
    private final String version;

    @Activate
    public OpenApiServlet(BundleContext context) {
        this.version = context.getBundle().getVersion().toString();
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void addContribution(OpenApiContribution c) {
        contributions.add(c);
    }

    void removeContribution(OpenApiContribution c) {
        contributions.remove(c);
    }

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        ApiErrors.json(resp, 200, OpenApiDocument.build(version, contributions));
    }
}
