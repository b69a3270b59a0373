package io.cachet.rest.internal;

import java.io.IOException;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardContextSelect;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletPattern;

import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import io.cachet.api.rest.ApiException;
import io.cachet.api.rest.RestApi;

/** Answers, in JSON, every {@code /api/v1} path that no resource serves. */
@Component(service = Servlet.class)
@HttpWhiteboardContextSelect("(osgi.http.whiteboard.context.name=" + RestApi.CONTEXT_NAME + ")")
@HttpWhiteboardServletPattern("/")
public class NotFoundServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;

    @Override
    protected void service(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        String path = req.getRequestURI().substring(req.getContextPath().length());
        throw ApiException.notFound("No API resource at " + RestApi.CONTEXT_PATH + path
                + ". The resources are listed in " + RestApi.CONTEXT_PATH + "/openapi.json.");
    }
}
