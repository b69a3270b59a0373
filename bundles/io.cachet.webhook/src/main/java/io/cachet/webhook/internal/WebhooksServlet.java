package io.cachet.webhook.internal;

import java.io.IOException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletName;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletPattern;

import io.cachet.api.operator.Operator;
import io.cachet.api.reseller.Reseller;
import io.cachet.api.reseller.Resellers;
import io.cachet.api.rest.RestApi;
import io.cachet.api.web.ConsoleAccess;
import io.cachet.api.web.Pages;
import io.cachet.webhook.internal.WebhookStore.Attempt;
import io.cachet.webhook.internal.WebhookStore.Delivery;
import io.cachet.webhook.internal.WebhookStore.Endpoint;

import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * {@code /console/webhooks}, for operators with the role {@code admin} or {@code operator}: every reseller's
 * webhooks, and with {@code ?id=} one webhook's delivery log (each attempt: status code or error, duration, next
 * attempt). Reading only: resellers and administrators change webhooks over REST.
 */
@Component(service = Servlet.class)
@HttpWhiteboardServletPattern(WebhooksServlet.PATH)
@HttpWhiteboardServletName("cachet-webhook-console")
public class WebhooksServlet extends HttpServlet {

    static final String PATH = "/console/webhooks";
    static final Set<String> ROLES = Set.of(RestApi.ROLE_ADMIN, RestApi.ROLE_OPERATOR);
    static final int PAGE = 50;
    private static final long serialVersionUID = 1L;
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'")
            .withZone(ZoneOffset.UTC);

    private final transient Pages pages;
    private final transient ConsoleAccess access;
    private final transient WebhookComponent webhooks;
    private final transient Resellers resellers;

    @Activate
    public WebhooksServlet(@Reference Pages pages, @Reference ConsoleAccess access, @Reference WebhookComponent webhooks,
            @Reference Resellers resellers) {
        this.pages = pages;
        this.access = access;
        this.webhooks = webhooks;
        this.resellers = resellers;
    }

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        Optional<Operator> op = access.operatorWith(req, resp, ROLES);
        if (op.isEmpty()) {
            return;
        }
        Map<String, Object> model = new HashMap<>();
        model.put(ConsoleAccess.SHELL_MODEL, access.shell(req, op.get()));
        Map<String, String> names = resellers.list().stream().collect(Collectors.toMap(Reseller::id, Reseller::name));
        List<Map<String, Object>> rows = webhooks.list(null).stream().map(e -> endpoint(e, names)).toList();
        String id = req.getParameter("id") == null ? "" : req.getParameter("id").strip();
        Optional<Endpoint> selected = id.isEmpty() ? Optional.empty() : webhooks.find(id);
        int status = !id.isEmpty() && selected.isEmpty() ? 404 : 200;
        model.put("webhooks", rows);
        model.put("selected", selected.map(Endpoint::url).orElse(""));
        model.put("selectedId", selected.map(Endpoint::id).orElse(""));
        model.put("deliveries", selected.map(e -> webhooks.deliveries(e.id(), 0, PAGE).entrySet().stream()
                .map(x -> delivery(x.getKey(), x.getValue())).toList()).orElse(List.of()));
        model.put("error", status == 404 ? pages.message(req, WebhookPages.NAMESPACE, "webhook.console.notFound") : "");
        pages.render(req, resp, status, WebhookPages.NAMESPACE + "/webhooks.ftlh", model);
    }

    private static Map<String, Object> endpoint(Endpoint e, Map<String, String> names) {
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("id", e.id());
        v.put("url", e.url());
        v.put("reseller", names.getOrDefault(e.reseller(), e.reseller()));
        v.put("created", time(e.createdAt()));
        v.put("rotated", time(e.rotatedAt()));
        return v;
    }

    private static Map<String, Object> delivery(Delivery d, List<Attempt> attempts) {
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("id", d.id());
        v.put("order", d.orderId());
        v.put("type", d.type());
        v.put("status", d.status().name().toLowerCase(java.util.Locale.ROOT));
        v.put("created", time(d.createdAt()));
        v.put("attempts", attempts.stream().map(a -> {
            Map<String, Object> x = new LinkedHashMap<>();
            x.put("n", a.attempt());
            x.put("at", time(a.at()));
            x.put("code", a.statusCode() == null ? "" : a.statusCode().toString());
            x.put("error", a.error() == null ? "" : a.error());
            x.put("ms", a.durationMillis());
            x.put("next", time(a.nextAttemptAt()));
            return x;
        }).toList());
        return v;
    }

    private static String time(Instant t) {
        return t == null ? "" : TIME.format(t);
    }
}
