package io.cachet.delivery.token.internal;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletName;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletPattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.cachet.api.delivery.TokenDelivery;
import io.cachet.api.operator.Operator;
import io.cachet.api.rest.RestApi;
import io.cachet.api.web.ConsoleAccess;
import io.cachet.api.web.Pages;

import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * {@code /console/tokens}: the token orders waiting for an operator (WAITING to CERTIFIED, oldest first), each with
 * its stage, token, last error and the command line that provisions it (or resumes it) at the operator's station.
 * Read-only: the work is done by the station over the REST API.
 */
@Component(service = Servlet.class)
@HttpWhiteboardServletPattern({ TokensConsoleServlet.PATH, TokensConsoleServlet.PATH + "/*" })
@HttpWhiteboardServletName("cachet-token-console")
public class TokensConsoleServlet extends HttpServlet {

    static final String PATH = "/console/tokens";
    static final Set<String> ROLES = Set.of(RestApi.ROLE_ADMIN, RestApi.ROLE_OPERATOR);
    static final int LIMIT = 200;
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(TokensConsoleServlet.class);
    private static final String NS = TokenPages.NAMESPACE;

    private final transient TokenDeliveryService service;
    private final transient ConsoleAccess access;
    private final transient Pages pages;

    @Activate
    public TokensConsoleServlet(@Reference TokenDeliveriesComponent deliveries, @Reference ConsoleAccess access,
            @Reference Pages pages) {
        this(deliveries.service(), access, pages);
    }

    TokensConsoleServlet(TokenDeliveryService service, ConsoleAccess access, Pages pages) {
        this.service = service;
        this.access = access;
        this.pages = pages;
    }

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        Optional<Operator> found = access.operatorWith(req, resp, ROLES);
        if (found.isEmpty()) {
            return;
        }
        Operator op = found.get();
        Map<String, Object> model = new HashMap<>();
        model.put(ConsoleAccess.SHELL_MODEL, access.shell(req, op));
        model.put("error", "");
        model.put("items", List.of());
        List<TokenDelivery> queue;
        try {
            queue = service.toProvision(LIMIT);
        } catch (RuntimeException e) {
            LOG.warn("The token queue could not be read: {}", e.toString());
            model.put("error", pages.message(req, NS, "token.console.unavailable"));
            pages.render(req, resp, 503, NS + "/console-tokens.ftlh", model);
            return;
        }
        String server = server(req);
        List<Map<String, Object>> items = new ArrayList<>();
        for (TokenDelivery d : queue) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("orderId", d.orderId());
            row.put("orderHref", req.getContextPath() + "/console/orders/" + d.orderId());
            row.put("attempt", d.attempt());
            row.put("stage", d.stage().name());
            row.put("token", d.tokenSerial().map(s -> s + d.tokenModel().map(m -> " (" + m + ")").orElse(""))
                    .orElse("—"));
            row.put("lastError", d.lastError().orElse(""));
            row.put("command", "cachet-cli token provision --server " + server + " --order " + d.orderId()
                    + " --module /usr/lib/libeTPkcs11.so");
            items.add(row);
        }
        model.put("items", items);
        pages.render(req, resp, 200, NS + "/console-tokens.ftlh", model);
    }

    /** The server's base URL as the operator's browser reached it. */
    static String server(HttpServletRequest req) {
        String scheme = req.getScheme() == null ? "https" : req.getScheme();
        int port = req.getServerPort();
        boolean standard = port <= 0 || "https".equals(scheme) && port == 443 || "http".equals(scheme) && port == 80;
        return scheme + "://" + (req.getServerName() == null ? "localhost" : req.getServerName())
                + (standard ? "" : ":" + port) + req.getContextPath();
    }
}
