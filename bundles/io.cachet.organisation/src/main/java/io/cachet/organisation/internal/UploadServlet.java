package io.cachet.organisation.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletMultipart;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletName;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletPattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.cachet.api.link.PersonalLinks;
import io.cachet.api.link.PersonalLinks.Opened;
import io.cachet.api.order.Order;
import io.cachet.api.order.StatusAction;
import io.cachet.api.organisation.OrganisationCase;
import io.cachet.api.organisation.OrganisationDocument;
import io.cachet.api.organisation.OrganisationException;
import io.cachet.api.security.SecretVault;
import io.cachet.api.store.Database;
import io.cachet.api.web.ClientLimiter;
import io.cachet.api.web.Pages;

import jakarta.servlet.ServletException;
import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.Part;

/**
 * {@code /organisation/upload/<status token>}: where a person of the order uploads the register's extract (and a
 * mandate), reached from their order's status page. The token is their status link's (purpose {@code status}): an
 * unknown one is a 404 page that tells nothing, an expired one a 410 page sending them back to their status page.
 * The page shows what was received and, after a rejection, why; the form (multipart, no script needed) carries the
 * anti-forgery token; a refused file re-shows the form with the reason, nothing stored; an accepted one answers 303
 * back to the page, which says it was received. Uploads are limited per client address.
 */
@Component(service = Servlet.class)
@HttpWhiteboardServletPattern(UploadServlet.PATH + "/*")
@HttpWhiteboardServletName("cachet-organisation-upload")
@HttpWhiteboardServletMultipart(enabled = true, maxFileSize = UploadServlet.MAX_MULTIPART,
        maxRequestSize = UploadServlet.MAX_MULTIPART + 64 * 1024, fileSizeThreshold = 1024 * 1024)
public class UploadServlet extends HttpServlet {

    static final String PATH = "/organisation/upload";
    static final String FORM = "upload";
    /** The container's bound on a part; the configured limit (smaller) is applied by the service. */
    static final long MAX_MULTIPART = 50L * 1024 * 1024;
    /** Uploads per client address and hour. */
    static final int UPLOADS_PER_HOUR = 30;
    private static final String NS = OrganisationPages.NAMESPACE;
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(UploadServlet.class);

    private final transient Pages pages;
    private final transient PersonalLinks links;
    private final transient OrganisationService service;
    private final transient java.util.function.Function<String, Optional<Order>> orders;
    private final transient java.util.function.Supplier<Settings> settings;
    private final transient FormGuard guard;
    private final transient ClientLimiter limiter;

    @Activate
    public UploadServlet(@Reference Pages pages, @Reference PersonalLinks links,
            @Reference OrganisationComponent organisation, @Reference Database database,
            @Reference SecretVault vault) {
        this(pages, links, organisation.service(), id -> {
            var o = organisation.orders();
            return o == null ? Optional.empty() : o.find(id);
        }, organisation::settings, FormGuard.load(database, vault, new SecureRandom()),
                new ClientLimiter(UPLOADS_PER_HOUR, Clock.systemUTC()));
    }

    UploadServlet(Pages pages, PersonalLinks links, OrganisationService service,
            java.util.function.Function<String, Optional<Order>> orders, java.util.function.Supplier<Settings> settings,
            FormGuard guard, ClientLimiter limiter) {
        this.pages = pages;
        this.links = links;
        this.service = service;
        this.orders = orders;
        this.settings = settings;
        this.guard = guard;
        this.limiter = limiter;
    }

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        String token = PersonalLinks.tokenIn(req.getPathInfo());
        Optional<Order> order = open(req, resp, token);
        if (order.isEmpty()) {
            return;
        }
        String sent = req.getParameter("sent");
        String notice = OrganisationDocument.EXTRACT.equals(sent) || OrganisationDocument.MANDATE.equals(sent)
                ? text(req, "organisation.upload.sent." + sent) : "";
        form(req, resp, 200, token, order.get(), "", notice);
    }

    @Override
    protected void doPost(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        String token = PersonalLinks.tokenIn(req.getPathInfo());
        if (req.getContentLengthLong() > settings.get().maxDocumentBytes() + 64 * 1024) {
            Optional<Order> order = open(req, resp, token);
            if (order.isPresent()) {
                form(req, resp, 413, token, order.get(), text(req, "organisation.error.file.too-large",
                        settings.get().maxDocumentBytes() / (1024 * 1024)), "");
            }
            return;
        }
        Part file;
        String kind;
        String given;
        try {
            file = req.getPart("file");
            kind = field(req, "kind");
            given = field(req, FormGuard.FIELD);
        } catch (ServletException | IllegalStateException e) {
            // not a multipart form, or over the container's bound
            Optional<Order> order = open(req, resp, token);
            if (order.isPresent()) {
                form(req, resp, 400, token, order.get(), text(req, "organisation.error.form"), "");
            }
            return;
        }
        if (!guard.valid(req, FORM, given)) {
            Optional<Order> order = open(req, resp, token);
            if (order.isPresent()) {
                form(req, resp, 403, token, order.get(), text(req, "organisation.error.forged"), "");
            }
            return;
        }
        if (!limiter.allow(req.getRemoteAddr())) {
            resp.setHeader("Retry-After", String.valueOf(limiter.retryAfterSeconds()));
            Optional<Order> order = open(req, resp, token);
            if (order.isPresent()) {
                form(req, resp, 429, token, order.get(), text(req, "organisation.error.limited"), "");
            }
            return;
        }
        Optional<Order> order = open(req, resp, token);
        if (order.isEmpty()) {
            return;
        }
        if (file == null || file.getSize() == 0) {
            form(req, resp, 400, token, order.get(), text(req, "organisation.error.file.empty"), "");
            return;
        }
        if (file.getSize() > settings.get().maxDocumentBytes()) {
            form(req, resp, 413, token, order.get(), text(req, "organisation.error.file.too-large",
                    settings.get().maxDocumentBytes() / (1024 * 1024)), "");
            return;
        }
        byte[] content;
        try (InputStream in = file.getInputStream()) {
            content = in.readAllBytes();
        }
        try {
            service.upload(order.get().id(), kind, file.getSubmittedFileName(), content, "customer");
        } catch (OrganisationException e) {
            int status = switch (e.reason()) {
                case INVALID -> 400;
                case NOT_FOUND -> 404;
                case CONFLICT -> 409;
            };
            form(req, resp, status, token, order.get(), text(req, "organisation.error." + e.code(),
                    e.args().toArray()), "");
            return;
        }
        resp.setStatus(303);
        resp.setHeader("Location", req.getContextPath() + PATH + "/" + token + "?sent=" + kind);
    }

    /** The order of a valid status link, or empty after answering the right page. */
    private Optional<Order> open(HttpServletRequest req, HttpServletResponse resp, String token) throws IOException {
        Opened opened = links.open(token, StatusAction.STATUS_LINK_PURPOSE);
        switch (opened.outcome()) {
            case VALID -> {
                Optional<Order> order = orders.apply(opened.link().orderId());
                if (order.isEmpty()) {
                    pages.render(req, resp, 404, NS + "/unknown.ftlh", Map.of());
                    return Optional.empty();
                }
                if (order.get().brand() != null) {
                    req.setAttribute(Pages.BRAND_ATTRIBUTE, order.get().brand());
                }
                return order;
            }
            case EXPIRED, REVOKED -> {
                pages.render(req, resp, 410, NS + "/expired.ftlh", Map.of());
                return Optional.empty();
            }
            default -> {
                pages.render(req, resp, 404, NS + "/unknown.ftlh", Map.of());
                return Optional.empty();
            }
        }
    }

    private void form(HttpServletRequest req, HttpServletResponse resp, int status, String token, Order order,
            String error, String notice) throws IOException {
        Optional<OrganisationCase> k = service.forOrder(order.id());
        Map<String, Object> model = new LinkedHashMap<>();
        model.put("orderId", order.id());
        model.put("organisation", order.request().organisation().name());
        model.put("identifier", order.request().organisation().identifier());
        model.put("error", error);
        model.put("notice", notice);
        model.put("statusLink", req.getContextPath() + "/order/status/" + token);
        String caseStatus = k.map(OrganisationCase::status).orElse("NONE");
        boolean open = order.state() == io.cachet.api.order.OrderState.VERIFICATION && k.isPresent()
                && !OrganisationCase.APPROVED.equals(caseStatus);
        model.put("caseStatus", caseStatus);
        model.put("statusText", text(req, "organisation.case." + caseStatus));
        model.put("reason", k.map(OrganisationCase::reason).filter(r -> OrganisationCase.REJECTED.equals(caseStatus))
                .orElse(""));
        List<Map<String, String>> docs = new ArrayList<>();
        k.ifPresent(c -> c.documents().forEach(d -> {
            Map<String, String> m = new LinkedHashMap<>();
            m.put("kind", text(req, "organisation.kind." + d.kind()));
            m.put("name", d.fileName());
            m.put("at", Pages.time(d.uploadedAt()));
            docs.add(m);
        }));
        model.put("documents", docs);
        model.put("open", open);
        model.put("action", req.getContextPath() + PATH + "/" + token);
        model.put("csrf", open ? guard.token(req, resp, FORM) : "");
        model.put("csrfField", FormGuard.FIELD);
        model.put("maxMb", settings.get().maxDocumentBytes() / (1024 * 1024));
        model.put("months", settings.get().maxExtractAgeMonths());
        pages.render(req, resp, status, NS + "/upload.ftlh", model);
    }

    private String text(HttpServletRequest req, String key, Object... args) {
        return pages.message(req, NS, key, args);
    }

    private static String field(HttpServletRequest req, String name) throws IOException, ServletException {
        Part p = req.getPart(name);
        if (p == null) {
            return req.getParameter(name);
        }
        try (InputStream in = p.getInputStream()) {
            byte[] b = in.readNBytes(1024);
            return new String(b, StandardCharsets.UTF_8).strip();
        }
    }
}
