package io.cachet.tsa.internal.http;

import java.io.IOException;
import java.time.Clock;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletPattern;

import io.cachet.api.ca.TimeStampKey;
import io.cachet.tsa.internal.TimeStampAuthority;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * RFC 3161 time-stamping over HTTP (section 3.4): {@code POST /tsa} with an {@code application/timestamp-query}
 * body answers {@code application/timestamp-reply}. A request that is not a TimeStampReq gets a TimeStampResp
 * with status rejection / badDataFormat (HTTP 200, per the RFC); a body over 16 KiB gets 413. Signed with the
 * time-stamping unit's key that the CA registers ({@link TimeStampKey}): {@code /tsa} is served once the CA is ready.
 */
@Component(service = jakarta.servlet.Servlet.class)
@HttpWhiteboardServletPattern("/tsa")
public class TsaServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;
    static final int MAX_REQUEST = 16 * 1024;

    private final transient TimeStampAuthority tsa;

    @Activate
    public TsaServlet(@Reference TimeStampKey key) {
        this(new TimeStampAuthority(key, Clock.systemUTC()));
    }

    TsaServlet(TimeStampAuthority tsa) {
        this.tsa = tsa;
    }

    @Override
    protected void doPost(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        byte[] request = req.getContentLengthLong() > MAX_REQUEST ? null
                : req.getInputStream().readNBytes(MAX_REQUEST + 1);
        if (request == null || request.length > MAX_REQUEST) {
            // announced or sent: more is refused without reading it all
            resp.sendError(413, "the request body is larger than " + MAX_REQUEST + " bytes");
            return;
        }
        byte[] reply = tsa.respond(request);
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
