package io.cachet.issuance.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletName;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletPattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.cachet.api.ca.IssuedCertificate;
import io.cachet.api.issuance.Issuance;
import io.cachet.api.issuance.IssuanceException;
import io.cachet.api.issuance.OrderCertificates;
import io.cachet.api.operator.Operator;
import io.cachet.api.order.Order;
import io.cachet.api.rest.RestApi;
import io.cachet.api.web.ConsoleAccess;
import io.cachet.api.web.ConsoleOrderAction;
import io.cachet.api.web.Downloads;
import io.cachet.api.web.Pages;

import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * {@code /console/certificate/<order>}: where an order's issuance stands and its certificate, for the roles that read
 * it through the API ({@code GET /api/v1/orders/{id}/certificate}): the subject frozen at ISSUANCE, the serial, the
 * validity, a revocation, the attempts and last error of a cloud issuance, and the certificate with its issuing CA as
 * PEM ({@code /console/certificate/<order>/pem}). Read only. Offered on the order console's page of an order that
 * entered ISSUANCE ({@link ConsoleOrderAction}).
 */
@Component(service = { Servlet.class, ConsoleOrderAction.class })
@HttpWhiteboardServletPattern(CertificateConsoleServlet.PATH + "/*")
@HttpWhiteboardServletName("cachet-certificate-console")
public class CertificateConsoleServlet extends HttpServlet implements ConsoleOrderAction {

    static final String PATH = "/console/certificate";
    static final Set<String> READERS = Set.of(RestApi.ROLE_ADMIN, RestApi.ROLE_OPERATOR, RestApi.ROLE_RA_OFFICER,
            RestApi.ROLE_SUPPORT, RestApi.ROLE_AUDITOR);
    static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'")
            .withZone(ZoneOffset.UTC);
    private static final String NS = IssuancePages.NAMESPACE;
    private static final String PEM = "/pem";
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(CertificateConsoleServlet.class);

    private final transient OrderCertificates certificates;
    private final transient Supplier<Optional<X509Certificate>> issuingCa;
    private final transient ConsoleAccess access;
    private final transient Pages pages;

    @Activate
    public CertificateConsoleServlet(@Reference IssuanceComponent issuance, @Reference ConsoleAccess access,
            @Reference Pages pages) {
        this(issuance, issuance::issuingCa, access, pages);
    }

    CertificateConsoleServlet(OrderCertificates certificates, Supplier<Optional<X509Certificate>> issuingCa,
            ConsoleAccess access, Pages pages) {
        this.certificates = certificates;
        this.issuingCa = issuingCa;
        this.access = access;
        this.pages = pages;
    }

    @Override
    public List<Link> actions(Order order, Operator operator, HttpServletRequest request) {
        if (READERS.stream().noneMatch(operator.roles()::contains)) {
            return List.of();
        }
        Optional<Issuance> i = certificates.status(order.id());
        if (i.isEmpty()) {
            return List.of();
        }
        String hint = i.get().status() == Issuance.Status.ISSUED
                ? certificate(order.id()).map(c -> text(request, "certificate.action.issued", c.serialHex(),
                        time(c.certificate().getNotAfter().toInstant()))).orElse("")
                : text(request, "certificate.status." + key(i.get().status()));
        return List.of(new Link(text(request, "certificate.action"), PATH + "/" + order.id(), hint));
    }

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        Optional<Operator> op = access.operatorWith(req, resp, READERS);
        if (op.isEmpty()) {
            return;
        }
        String path = req.getPathInfo() == null ? "" : req.getPathInfo();
        if (path.endsWith(PEM)) {
            pem(req, resp, op.get(), ConsoleOrderAction.orderIdIn(path.substring(0, path.length() - PEM.length())));
        } else {
            page(req, resp, op.get(), ConsoleOrderAction.orderIdIn(path));
        }
    }

    /** The certificate then its issuing CA, as the API's PEM answer. */
    private void pem(HttpServletRequest req, HttpServletResponse resp, Operator op, String id) throws IOException {
        Optional<IssuedCertificate> c;
        try {
            c = id.isEmpty() ? Optional.empty() : certificate(id);
        } catch (IssuanceException e) {
            message(req, resp, op, id, 503, text(req, "certificate.unavailable"));
            return;
        }
        if (c.isEmpty()) {
            message(req, resp, op, id, 404, text(req, "certificate.none"));
            return;
        }
        StringBuilder chain = new StringBuilder(CertificateResource.pem(c.get().certificate()));
        issuingCa.get().ifPresent(ca -> chain.append(CertificateResource.pem(ca)));
        Downloads.send(resp, "application/pem-certificate-chain", chain.toString().getBytes(StandardCharsets.US_ASCII),
                Downloads.attachment(id + ".pem"));
    }

    private void page(HttpServletRequest req, HttpServletResponse resp, Operator op, String id) throws IOException {
        Optional<Issuance> found;
        Optional<IssuedCertificate> issued;
        try {
            found = id.isEmpty() ? Optional.empty() : certificates.status(id);
            issued = found.isEmpty() ? Optional.empty() : certificate(id);
        } catch (IssuanceException | IllegalStateException e) {
            LOG.warn("The certificate of order {} could not be read: {}", id, e.toString());
            message(req, resp, op, id, 503, text(req, "certificate.unavailable"));
            return;
        }
        if (found.isEmpty()) {
            message(req, resp, op, id, 404, text(req, "certificate.noIssuance"));
            return;
        }
        Issuance i = found.get();
        Map<String, Object> model = base(req, op, id);
        model.put("found", true);
        model.put("status", text(req, "certificate.status." + key(i.status())));
        model.put("profile", text(req, "certificate.profile." + i.profile().name().toLowerCase(Locale.ROOT)));
        model.put("commonName", i.commonName());
        model.put("organisation", i.organisation().name() + " (" + i.organisation().identifier() + ", "
                + i.organisation().country() + ")");
        model.put("attempts", i.attempts());
        model.put("lastError", i.lastError().orElse(""));
        model.put("entered", time(i.createdAt()));
        model.put("issued", issued.isPresent());
        issued.ifPresent(c -> {
            model.put("serial", c.serialHex());
            model.put("notBefore", time(c.certificate().getNotBefore().toInstant()));
            model.put("notAfter", time(c.certificate().getNotAfter().toInstant()));
            model.put("revoked", c.revocation().map(r -> text(req, "certificate.revoked.value", time(r.time()),
                    r.reason().name())).orElse(""));
            model.put("pem", req.getContextPath() + PATH + "/" + id + PEM);
        });
        pages.render(req, resp, 200, NS + "/console-certificate.ftlh", model);
    }

    private void message(HttpServletRequest req, HttpServletResponse resp, Operator op, String id, int status,
            String error) throws IOException {
        Map<String, Object> model = base(req, op, id);
        model.put("error", error);
        pages.render(req, resp, status, NS + "/console-certificate.ftlh", model);
    }

    private Map<String, Object> base(HttpServletRequest req, Operator op, String id) {
        Map<String, Object> model = new HashMap<>();
        req.setAttribute(ConsoleAccess.SECTION_ATTRIBUTE, ConsoleOrderAction.SECTION);
        model.put(ConsoleAccess.SHELL_MODEL, access.shell(req, op));
        model.put("orderId", id);
        model.put("back", ConsoleOrderAction.orderPage(req, id));
        model.put("found", false);
        model.put("issued", false);
        model.put("error", "");
        return model;
    }

    private Optional<IssuedCertificate> certificate(String id) {
        return certificates.find(id);
    }

    private static String key(Issuance.Status s) {
        return s.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    private static String time(Instant t) {
        return t == null ? "" : TIME.format(t);
    }

    private String text(HttpServletRequest req, String key, Object... args) {
        return pages.message(req, NS, key, args);
    }
}
