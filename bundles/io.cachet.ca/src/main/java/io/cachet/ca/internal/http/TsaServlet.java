package io.cachet.ca.internal.http;

import java.io.IOException;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletPattern;

import io.cachet.api.ca.CertificateAuthority;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * RFC 3161 time-stamping over HTTP (section 3.4): {@code POST /tsa} with an {@code application/timestamp-query}
 * body answers {@code application/timestamp-reply}. A request that is not a TimeStampReq gets a TimeStampResp
 * with status rejection / badDataFormat (HTTP 200, per the RFC); a body over 16 KiB gets 413.
 */
@Component(service = jakarta.servlet.Servlet.class)
@HttpWhiteboardServletPattern("/tsa")
public class TsaServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;
    static final int MAX_REQUEST = 16 * 1024;

    private final transient CertificateAuthority ca;

    @Activate
    public TsaServlet(@Reference CertificateAuthority ca) {
        this.ca = ca;
    }

    @Override
    protected void doPost(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        byte[] request;
        try {
            request = Bodies.read(req.getInputStream(), req.getContentLengthLong(), MAX_REQUEST);
        } catch (Bodies.TooLarge e) {
            resp.sendError(413, e.getMessage());
            return;
        }
        byte[] reply = ca.timestamp(request);
        resp.setStatus(200);
        resp.setContentType("application/timestamp-reply");
        resp.setContentLength(reply.length);
        resp.setHeader("Cache-Control", "no-store");
        resp.getOutputStream().write(reply);
    }

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        resp.setHeader("Allow", "POST");
        resp.sendError(405, "POST an RFC 3161 TimeStampReq (application/timestamp-query) to this URL");
    }
}
