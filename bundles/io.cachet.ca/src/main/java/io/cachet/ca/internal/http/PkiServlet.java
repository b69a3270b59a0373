package io.cachet.ca.internal.http;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.util.List;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletPattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.cachet.api.ca.CertificateAuthority;
import io.cachet.ca.internal.RootCeremony;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * Public PKI repository: {@code GET /pki/chain.pem} (issuing CA then root), {@code /pki/issuing-ca.cer},
 * {@code /pki/root-ca.cer} (DER, the caIssuers URL of issued certificates), {@code /pki/crl} (DER CRL, the CRL
 * distribution point) and {@code /pki/root.crl} (the root's authority revocation list, DER: the CRL distribution
 * point of the issuing CA certificate). No authentication: relying parties fetch these.
 */
@Component(service = jakarta.servlet.Servlet.class)
@HttpWhiteboardServletPattern("/pki/*")
public class PkiServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(PkiServlet.class);

    private final transient CertificateAuthority ca;
    private final transient RootCeremony root;

    @Activate
    public PkiServlet(@Reference CertificateAuthority ca, @Reference RootCeremony root) {
        this.ca = ca;
        this.root = root;
    }

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        String path = req.getPathInfo() == null ? "" : req.getPathInfo();
        try {
            List<X509Certificate> chain = ca.chain();
            switch (path) {
            case "/chain.pem" -> {
                StringBuilder pem = new StringBuilder();
                chain.forEach(c -> pem.append(Pem.of(c)));
                send(resp, "application/pem-certificate-chain", pem.toString().getBytes(StandardCharsets.US_ASCII),
                        3600);
            }
            case "/issuing-ca.cer" -> send(resp, "application/pkix-cert", chain.get(0).getEncoded(), 3600);
            case "/root-ca.cer" -> send(resp, "application/pkix-cert", chain.get(chain.size() - 1).getEncoded(), 3600);
            case "/crl" -> {
                X509CRL crl = ca.crl();
                long maxAge = Math.max(0, (crl.getNextUpdate().getTime() - System.currentTimeMillis()) / 1000);
                // relying parties may cache it until a new one is due, but revocations make one at once
                send(resp, "application/pkix-crl", crl.getEncoded(), Math.min(maxAge, 300));
            }
            case "/root.crl" -> {
                X509CRL arl = root.arl().orElse(null);
                if (arl == null) {
                    resp.setContentType("text/plain;charset=UTF-8");
                    resp.setStatus(404);
                    resp.getWriter().write("This CA's root publishes no authority revocation list here.\n");
                    return;
                }
                // renewed rarely, at a ceremony: a day of caching at most, never past nextUpdate
                long maxAge = Math.max(0, (arl.getNextUpdate().getTime() - System.currentTimeMillis()) / 1000);
                send(resp, "application/pkix-crl", arl.getEncoded(), Math.min(maxAge, 86400));
            }
            default -> {
                resp.setContentType("text/plain;charset=UTF-8");
                resp.setStatus(404);
                resp.getWriter().write("Not found. Published here: /pki/chain.pem, /pki/issuing-ca.cer,"
                        + " /pki/root-ca.cer, /pki/crl, /pki/root.crl\n");
            }
            }
        } catch (GeneralSecurityException | RuntimeException e) {
            LOG.error("Cannot serve {}: {}", path, e.getMessage());
            resp.setStatus(503);
            resp.setContentType("text/plain;charset=UTF-8");
            resp.getWriter().write("The CA cannot serve this now; try again later.\n");
        }
    }

    private static void send(HttpServletResponse resp, String type, byte[] body, long maxAgeSeconds)
            throws IOException {
        resp.setStatus(200);
        resp.setContentType(type);
        resp.setContentLength(body.length);
        resp.setHeader("Cache-Control", "public, max-age=" + maxAgeSeconds);
        resp.getOutputStream().write(body);
    }
}
