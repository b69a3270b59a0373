package io.cachet.notify.internal;

import java.io.IOException;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletName;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletPattern;

import io.cachet.api.notify.Channel;
import io.cachet.api.notify.Notification;
import io.cachet.api.notify.NotificationException;
import io.cachet.api.notify.NotificationRecord;
import io.cachet.api.notify.Notifier;
import io.cachet.api.notify.Outbox;
import io.cachet.api.operator.Operator;
import io.cachet.api.web.ConsoleAccess;
import io.cachet.api.web.Pages;

import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * {@code /console/outbox}: the messages kept in the outbox, newest first, 50 a page, for operators with the role
 * {@code admin} or {@code operator}; an administrator can also send the test message to an address or a number,
 * which shows whether the configured transport works (a form with the console's anti-forgery token).
 */
@Component(service = Servlet.class)
@HttpWhiteboardServletPattern(OutboxServlet.PATH)
@HttpWhiteboardServletName("cachet-notify-outbox")
public class OutboxServlet extends HttpServlet {

    static final String PATH = "/console/outbox";
    static final String FORM = "outbox";
    static final int PAGE = 50;
    private static final long serialVersionUID = 1L;
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'")
            .withZone(ZoneOffset.UTC);

    private final transient Pages pages;
    private final transient ConsoleAccess access;
    private final transient Outbox outbox;
    private final transient Notifier notifier;

    @Activate
    public OutboxServlet(@Reference Pages pages, @Reference ConsoleAccess access, @Reference Outbox outbox,
            @Reference Notifier notifier) {
        this.pages = pages;
        this.access = access;
        this.outbox = outbox;
        this.notifier = notifier;
    }

    /** The operator, if allowed to read the outbox (it holds messages to customers); else the answer is sent. */
    private Optional<Operator> operator(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        Optional<Operator> op = access.operator(req, resp, null);
        if (op.isPresent() && !(op.get().hasRole("admin") || op.get().hasRole("operator"))) {
            render(req, resp, 403, op.get(), "", pages.message(req, NotifyPages.NAMESPACE, "notify.outbox.forbidden"),
                    false);
            return Optional.empty();
        }
        return op;
    }

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        Optional<Operator> op = operator(req, resp);
        if (op.isPresent()) {
            render(req, resp, 200, op.get(), "", "", true);
        }
    }

    @Override
    protected void doPost(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        Optional<Operator> op = operator(req, resp);
        if (op.isEmpty()) {
            return;
        }
        if (req.getCharacterEncoding() == null) {
            req.setCharacterEncoding("UTF-8");
        }
        if (!access.formAllowed(req, op.get(), FORM)) {
            render(req, resp, 403, op.get(), "", pages.message(req, NotifyPages.NAMESPACE, "notify.outbox.forged"), true);
            return;
        }
        if (!op.get().hasRole("admin")) {
            render(req, resp, 403, op.get(), "", pages.message(req, NotifyPages.NAMESPACE, "notify.outbox.forbidden"),
                    true);
            return;
        }
        String to = req.getParameter("to") == null ? "" : req.getParameter("to").strip();
        Channel channel = to.startsWith("+") ? Channel.SMS : Channel.EMAIL;
        String language = pages.language(req).getLanguage();
        try {
            String id = notifier.send(new Notification(channel, to, "notify.test", language, null,
                    Map.of("reference", "console"), null));
            render(req, resp, 200, op.get(), pages.message(req, NotifyPages.NAMESPACE, "notify.outbox.test.queued", id),
                    "", true);
        } catch (NotificationException e) {
            render(req, resp, 400, op.get(), "", pages.message(req, NotifyPages.NAMESPACE, "notify.outbox.test.refused",
                    e.getMessage()), true);
        }
    }

    private void render(HttpServletRequest req, HttpServletResponse resp, int status, Operator operator, String notice,
            String error, boolean list) throws IOException {
        int offset = offset(req);
        Map<String, Object> model = new HashMap<>();
        List<Map<String, Object>> messages = list ? outbox.list(null, offset, PAGE).stream().map(OutboxServlet::view)
                .toList() : List.of();
        long total = list ? outbox.count(null) : 0;
        model.put(ConsoleAccess.SHELL_MODEL, access.shell(req, operator));
        model.put("showList", list);
        model.put("messages", messages);
        model.put("total", total);
        model.put("inUse", !outbox.channels().isEmpty());
        model.put("channels", outbox.channels().stream().map(c -> pages.message(req, NotifyPages.NAMESPACE,
                "notify.outbox.channel." + c.id())).sorted().collect(Collectors.joining(", ")));
        model.put("previous", offset > 0 ? PATH + "?offset=" + Math.max(0, offset - PAGE) : "");
        model.put("next", offset + PAGE < total ? PATH + "?offset=" + (offset + PAGE) : "");
        model.put("canTest", list && operator.hasRole("admin"));
        model.put("token", access.formToken(operator, FORM));
        model.put("tokenField", ConsoleAccess.TOKEN_FIELD);
        model.put("notice", notice);
        model.put("error", error);
        pages.render(req, resp, status, NotifyPages.NAMESPACE + "/outbox.ftlh", model);
    }

    private static int offset(HttpServletRequest req) {
        try {
            int offset = Integer.parseInt(req.getParameter("offset") == null ? "0" : req.getParameter("offset"));
            return Math.max(0, Math.min(offset, 1_000_000));
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    static Map<String, Object> view(NotificationRecord m) {
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("id", m.id());
        v.put("time", TIME.format(m.createdAt()));
        v.put("channel", m.channel().id());
        v.put("to", m.recipient());
        v.put("subject", m.subject());
        v.put("body", m.body());
        v.put("template", m.template());
        v.put("language", m.language());
        v.put("brand", m.brand());
        return v;
    }
}
