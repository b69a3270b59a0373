package io.cachet.delivery.cloud.internal.csc;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletName;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletPattern;

import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * {@code /csc/v2/*}: the Cloud Signature Consortium API for the holders' own software ({@link CscApi}). A thin
 * adapter: reads at most {@link CscApi#MAX_BODY} bytes and writes the answer as JSON, never cached.
 */
@Component(service = Servlet.class)
@HttpWhiteboardServletPattern(CscApi.BASE + "/*")
@HttpWhiteboardServletName("cachet-csc")
public class CscServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;

    private final transient CscApi api;

    @Activate
    public CscServlet(@Reference CscComponent component) {
        this(component.api());
    }

    CscServlet(CscApi api) {
        this.api = api;
    }

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
        byte[] body = read(request);
        CscApi.Answer answer = body == null
                ? new CscApi.Answer(413, Map.of(), CscApi.error("invalid_request", "The request body is over "
                        + CscApi.MAX_BODY / 1024 + " KiB; a CSC request needs far less."))
                : api.handle(new CscApi.Call(request.getMethod(), request.getPathInfo(),
                        request.getHeader("Authorization"), body, request.getRemoteAddr()));
        write(response, answer);
    }

    /** The body, or null when it is larger than the API takes. */
    static byte[] read(HttpServletRequest request) throws IOException {
        if (request.getContentLengthLong() > CscApi.MAX_BODY) {
            return null;
        }
        try (InputStream in = request.getInputStream()) {
            byte[] b = in.readNBytes(CscApi.MAX_BODY + 1);
            return b.length > CscApi.MAX_BODY ? null : b;
        }
    }

    static void write(HttpServletResponse response, CscApi.Answer answer) throws IOException {
        response.setStatus(answer.status());
        response.setHeader("Cache-Control", "no-store");
        answer.headers().forEach(response::setHeader);
        if (answer.status() == 204) {
            return;
        }
        byte[] out = answer.body().getBytes(StandardCharsets.UTF_8);
        response.setContentType("application/json");
        response.setCharacterEncoding("UTF-8");
        response.setContentLength(out.length);
        response.getOutputStream().write(out);
    }
}
