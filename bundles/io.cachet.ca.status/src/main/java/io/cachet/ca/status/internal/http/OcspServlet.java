package io.cachet.ca.status.internal.http;

import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletPattern;

import io.cachet.api.ca.CertificateAuthority;
import io.cachet.api.ca.OcspKey;
import io.cachet.ca.status.internal.OcspResponder;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * RFC 6960 responder over HTTP (appendix A.1): {@code POST /ocsp} with an {@code application/ocsp-request} body,
 * or {@code GET /ocsp/<base64 of the DER request, URL-encoded>}. Every answer, even to garbage, is an OCSPResponse
 * with HTTP 200, as the RFC has it; only a body over 16 KiB gets 413. Signed with the delegated OCSP signer's key
 * that the CA registers ({@link OcspKey}), statuses from the CA's register ({@link CertificateAuthority#status}):
 * {@code /ocsp} is served once the CA is ready. Configuration PID {@value #PID} ({@link OcspConfiguration}): whether
 * answers to nonce-less requests are given again for a while.
 */
@Component(name = OcspServlet.PID, service = jakarta.servlet.Servlet.class,
        configurationPolicy = ConfigurationPolicy.OPTIONAL)
@Designate(ocd = OcspConfiguration.class)
@HttpWhiteboardServletPattern({ "/ocsp", "/ocsp/*" })
public class OcspServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;
    static final int MAX_REQUEST = 16 * 1024;
    static final String PID = "io.cachet.ca.status.ocsp";

    private final transient OcspResponder responder;

    @Activate
    public OcspServlet(@Reference CertificateAuthority ca, @Reference OcspKey key, OcspConfiguration config) {
        this(new OcspResponder(key, ca::status, Clock.systemUTC(), reuse(config)));
    }

    /** The reuse period of the configuration; a negative value (metatype bounds are not enforced) means none. */
    static Duration reuse(OcspConfiguration config) {
        return Duration.ofSeconds(Math.max(0, Math.min(3600, config.reuseSeconds())));
    }

    OcspServlet(OcspResponder responder) {
        this.responder = responder;
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
        answer(resp, responder.respond(request), false);
    }

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        String path = req.getPathInfo();
        byte[] request;
        if (path == null || path.length() <= 1 || path.length() > MAX_REQUEST * 2) {
            request = new byte[0];
        } else {
            try {
                String encoded = URLDecoder.decode(path.substring(1), StandardCharsets.US_ASCII);
                request = Base64.getDecoder().decode(encoded.replace(' ', '+'));
            } catch (IllegalArgumentException e) {
                request = new byte[0];
            }
        }
        // an empty request is answered malformedRequest by the responder
        answer(resp, responder.respond(request), true);
    }

    private static void answer(HttpServletResponse resp, byte[] response, boolean cacheable) throws IOException {
        resp.setStatus(200);
        resp.setContentType("application/ocsp-response");
        resp.setContentLength(response.length);
        // responses carry the request's nonce or a fresh producedAt: a shared cache must not replay them
        resp.setHeader("Cache-Control", cacheable ? "max-age=0, no-cache" : "no-store");
        resp.getOutputStream().write(response);
    }
}
