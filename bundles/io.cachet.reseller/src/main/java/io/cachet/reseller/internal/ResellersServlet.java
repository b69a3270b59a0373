package io.cachet.reseller.internal;

import java.io.IOException;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletName;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletPattern;

import io.cachet.api.operator.Operator;
import io.cachet.api.operator.OperatorException;
import io.cachet.api.reseller.Reseller;
import io.cachet.api.reseller.Resellers;
import io.cachet.api.rest.RestApi;
import io.cachet.api.web.ConsoleAccess;
import io.cachet.api.web.Pages;

import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * {@code /console/resellers}, for administrators: the resellers, a form that creates one (its first API key is shown
 * on the answer page only), and disable/enable buttons. Forms carry the console's anti-forgery token.
 */
@Component(service = Servlet.class)
@HttpWhiteboardServletPattern(ResellersServlet.PATH)
@HttpWhiteboardServletName("cachet-reseller-console")
public class ResellersServlet extends HttpServlet {

    static final String PATH = "/console/resellers";
    static final String FORM = "resellers";
    private static final long serialVersionUID = 1L;

    private final transient Pages pages;
    private final transient ConsoleAccess access;
    private final transient Resellers resellers;

    @Activate
    public ResellersServlet(@Reference Pages pages, @Reference ConsoleAccess access, @Reference Resellers resellers) {
        this.pages = pages;
        this.access = access;
        this.resellers = resellers;
    }

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        Optional<Operator> op = access.operator(req, resp, RestApi.ROLE_ADMIN);
        if (op.isPresent()) {
            render(req, resp, 200, op.get(), "", "", null);
        }
    }

    @Override
    protected void doPost(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        Optional<Operator> op = access.operator(req, resp, RestApi.ROLE_ADMIN);
        if (op.isEmpty()) {
            return;
        }
        if (req.getCharacterEncoding() == null) {
            req.setCharacterEncoding("UTF-8");
        }
        if (!access.formAllowed(req, op.get(), FORM)) {
            render(req, resp, 403, op.get(), "", msg(req, "reseller.console.forged"), null);
            return;
        }
        String actor = "operator:" + op.get().login();
        String action = param(req, "action");
        try {
            switch (action) {
                case "create" -> {
                    Resellers.Created created = resellers.create(param(req, "name"), param(req, "brand"), actor);
                    resp.setHeader("Cache-Control", "no-store");
                    render(req, resp, 200, op.get(), msg(req, "reseller.console.created", created.reseller().name()), "",
                            created);
                }
                case "disable", "enable" -> {
                    Reseller r = resellers.setDisabled(param(req, "id"), action.equals("disable"), actor);
                    render(req, resp, 200, op.get(), msg(req, "reseller.console." + action + "d", r.name()), "", null);
                }
                default -> render(req, resp, 400, op.get(), "", msg(req, "reseller.console.unknownAction"), null);
            }
        } catch (Refused e) {
            render(req, resp, 400, op.get(), "", refused(req, e.code(), e.args(), e.getMessage()), null);
        } catch (OperatorException e) {
            render(req, resp, 400, op.get(), "", refused(req, e.code(), e.args(), e.getMessage()), null);
        } catch (IllegalArgumentException e) {
            render(req, resp, 400, op.get(), "", refused(req, null, List.of(), e.getMessage()), null);
        }
    }

    private void render(HttpServletRequest req, HttpServletResponse resp, int status, Operator operator, String notice,
            String error, Resellers.Created created) throws IOException {
        Map<String, Object> model = new HashMap<>();
        List<Map<String, Object>> rows = resellers.list().stream().map(ResellersServlet::view).toList();
        model.put(ConsoleAccess.SHELL_MODEL, access.shell(req, operator));
        model.put("resellers", rows);
        model.put("created", created == null ? "" : created.reseller().id());
        model.put("secret", created == null ? "" : created.apiKey().secret());
        model.put("token", access.formToken(operator, FORM));
        model.put("tokenField", ConsoleAccess.TOKEN_FIELD);
        model.put("notice", notice);
        model.put("error", error);
        pages.render(req, resp, status, ResellerPages.NAMESPACE + "/resellers.ftlh", model);
    }

    /**
     * A refusal in the page's language: worded from its code when it is one of this page's ({@link Refused#CODES}),
     * else the English sentence of whoever refused (the operator directory, for the reseller's account).
     */
    private String refused(HttpServletRequest req, String code, List<String> args, String english) {
        String reason = code != null && Refused.CODES.contains(code)
                ? msg(req, "reseller.error." + code, args.toArray()) : english;
        return msg(req, "reseller.console.refused", reason);
    }

    private String msg(HttpServletRequest req, String key, Object... args) {
        return pages.message(req, ResellerPages.NAMESPACE, key, args);
    }

    private static String param(HttpServletRequest req, String name) {
        String v = req.getParameter(name);
        return v == null ? "" : v.strip();
    }

    static Map<String, Object> view(Reseller r) {
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("id", r.id());
        v.put("name", r.name());
        v.put("login", r.login());
        v.put("brand", r.brand() == null ? "" : r.brand());
        v.put("created", Pages.time(r.createdAt()));
        v.put("disabled", r.disabledAt() != null);
        return v;
    }
}
