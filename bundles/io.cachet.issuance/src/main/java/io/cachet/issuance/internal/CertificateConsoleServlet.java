package io.cachet.issuance.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
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
import io.cachet.api.ca.RevocationReason;
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
 * PEM ({@code /console/certificate/<order>/pem}). Offered on the order console's page of an order that entered
 * ISSUANCE ({@link ConsoleOrderAction}).
 *
 * <p>Admins and operators (who revoke through the API, {@code POST /api/v1/certificates/{serial}/revocation}) can
 * revoke the certificate from the page: a reason among those a seal's certificate may have, a confirmation that it
 * is final, and the form's anti-forgery token. The CA audits the revocation with the operator as the actor.
 */
@Component(service = { Servlet.class, ConsoleOrderAction.class })
@HttpWhiteboardServletPattern(CertificateConsoleServlet.PATH + "/*")
@HttpWhiteboardServletName("cachet-certificate-console")
public class CertificateConsoleServlet extends HttpServlet implements ConsoleOrderAction {

    static final String PATH = "/console/certificate";
    static final Set<String> READERS = Set.of(RestApi.ROLE_ADMIN, RestApi.ROLE_OPERATOR, RestApi.ROLE_RA_OFFICER,
            RestApi.ROLE_SUPPORT, RestApi.ROLE_AUDITOR);
    static final Set<String> REVOKERS = Set.of(RestApi.ROLE_ADMIN, RestApi.ROLE_OPERATOR);
    /** The reasons offered, in RFC 5280's order: {@code cACompromise} is the CA's own, not its subscribers'. */
    static final List<RevocationReason> REASONS = List.of(RevocationReason.UNSPECIFIED,
            RevocationReason.KEY_COMPROMISE, RevocationReason.AFFILIATION_CHANGED, RevocationReason.SUPERSEDED,
            RevocationReason.CESSATION_OF_OPERATION, RevocationReason.PRIVILEGE_WITHDRAWN);
    static final String FORM = "certificate-revoke";
    private static final String NS = IssuancePages.NAMESPACE;
    private static final String PEM = "/pem";
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(CertificateConsoleServlet.class);

    private final transient OrderCertificates certificates;
    private final transient Supplier<Optional<X509Certificate>> issuingCa;
    private final transient Revocations revocations;
    private final transient ConsoleAccess access;
    private final transient Pages pages;

    /** Revokes an order's certificate ({@link IssuanceService#revoke}). */
    @FunctionalInterface
    interface Revocations {
        IssuedCertificate revoke(String orderId, RevocationReason reason, String actor);
    }

    @Activate
    public CertificateConsoleServlet(@Reference IssuanceComponent issuance, @Reference ConsoleAccess access,
            @Reference Pages pages) {
        this(issuance, issuance::issuingCa, issuance::revoke, access, pages);
    }

    CertificateConsoleServlet(OrderCertificates certificates, Supplier<Optional<X509Certificate>> issuingCa,
            Revocations revocations, ConsoleAccess access, Pages pages) {
        this.certificates = certificates;
        this.issuingCa = issuingCa;
        this.revocations = revocations;
        this.access = access;
        this.pages = pages;
    }

    @Override
    public List<Link> actions(Order order, Operator operator, HttpServletRequest request) {
        if (!operator.hasAnyRole(READERS)) {
            return List.of();
        }
        Optional<Issuance> i = certificates.status(order.id());
        if (i.isEmpty()) {
            return List.of();
        }
        String hint = i.get().status() == Issuance.Status.ISSUED
                ? certificate(order.id()).map(c -> hint(request, c)).orElse("")
                : text(request, "certificate.status." + key(i.get().status()));
        return List.of(new Link(text(request, "certificate.action"), PATH + "/" + order.id(), hint));
    }

    /** The order page's line about an issued certificate: until when it is valid, or when and why it was revoked. */
    private String hint(HttpServletRequest req, IssuedCertificate c) {
        return c.revocation().map(r -> text(req, "certificate.action.revoked", c.serialHex(), Pages.time(r.time()),
                reason(req, r.reason()))).orElseGet(() -> text(req, "certificate.action.issued", c.serialHex(),
                        Pages.time(c.certificate().getNotAfter().toInstant())));
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
            page(req, resp, 200, op.get(), ConsoleOrderAction.orderIdIn(path), "", "", null);
        }
    }

    @Override
    protected void doPost(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        Optional<Operator> found = access.operatorWith(req, resp, REVOKERS);
        if (found.isEmpty()) {
            return;
        }
        Operator op = found.get();
        String id = ConsoleOrderAction.orderIdIn(req.getPathInfo());
        if (!access.formAllowed(req, op, FORM)) {
            page(req, resp, 403, op, id, text(req, "certificate.forged"), "", null);
            return;
        }
        Optional<RevocationReason> reason = RevocationReason.parse(req.getParameter("reason"))
                .filter(REASONS::contains);
        if (reason.isEmpty()) {
            page(req, resp, 400, op, id, text(req, "certificate.revoke.noReason"), "", null);
            return;
        }
        if (!"yes".equals(req.getParameter("confirm"))) {
            page(req, resp, 400, op, id, text(req, "certificate.revoke.notConfirmed"), "", reason.get());
            return;
        }
        try {
            IssuedCertificate revoked = revocations.revoke(id, reason.get(), "operator:" + op.login());
            page(req, resp, 200, op, id, "", text(req, "certificate.revoke.done", revoked.serialHex(),
                    reason(req, reason.get())), null);
        } catch (IssuanceException e) {
            switch (e.kind()) {
                case NOT_FOUND -> page(req, resp, 404, op, id, text(req, "certificate.none"), "", null);
                case CONFLICT -> page(req, resp, 409, op, id, text(req, "certificate.revoke.already"), "", null);
                default -> {
                    LOG.warn("The certificate of order {} could not be revoked: {}", id, e.getMessage());
                    page(req, resp, 503, op, id, text(req, "certificate.revoke.unavailable"), "", reason.get());
                }
            }
        } catch (RuntimeException e) {
            LOG.error("The certificate of order {} could not be revoked: {}", id, e.toString(), e);
            page(req, resp, 503, op, id, text(req, "certificate.revoke.unavailable"), "", reason.get());
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

    /**
     * The page, with {@code error} or {@code notice} above it; {@code reason} is the one chosen in a form sent back
     * for correction.
     */
    private void page(HttpServletRequest req, HttpServletResponse resp, int status, Operator op, String id,
            String error, String notice, RevocationReason reason) throws IOException {
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
            message(req, resp, op, id, status == 200 ? 404 : status, error.isEmpty()
                    ? text(req, "certificate.noIssuance") : error);
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
        model.put("entered", Pages.time(i.createdAt()));
        model.put("issued", issued.isPresent());
        issued.ifPresent(c -> {
            model.put("serial", c.serialHex());
            model.put("notBefore", Pages.time(c.certificate().getNotBefore().toInstant()));
            model.put("notAfter", Pages.time(c.certificate().getNotAfter().toInstant()));
            model.put("revoked", c.revocation().map(r -> text(req, "certificate.revoked.value", Pages.time(r.time()),
                    reason(req, r.reason()))).orElse(""));
            model.put("pem", req.getContextPath() + PATH + "/" + id + PEM);
            model.put("mayRevoke", !c.revoked() && op.hasAnyRole(REVOKERS));
        });
        model.put("reasons", REASONS.stream().map(r -> Map.of("value", r.rfcName(), "label",
                reason(req, r))).toList());
        model.put("reason", reason == null ? "" : reason.rfcName());
        model.put("error", error);
        model.put("notice", notice);
        pages.render(req, resp, status, NS + "/console-certificate.ftlh", model);
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
        model.put("mayRevoke", false);
        model.put("token", access.formToken(op, FORM));
        model.put("tokenField", ConsoleAccess.TOKEN_FIELD);
        model.put("error", "");
        model.put("notice", "");
        return model;
    }

    private Optional<IssuedCertificate> certificate(String id) {
        return certificates.find(id);
    }

    private static String key(Issuance.Status s) {
        return s.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** A revocation reason in the request's language. */
    private String reason(HttpServletRequest req, RevocationReason r) {
        return text(req, "certificate.reason." + r.rfcName());
    }

    private String text(HttpServletRequest req, String key, Object... args) {
        return pages.message(req, NS, key, args);
    }
}
