package io.cachet.organisation.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.cachet.api.operator.Operator;
import io.cachet.api.order.CheckStatus;
import io.cachet.api.order.Order;
import io.cachet.api.organisation.OrganisationCase;
import io.cachet.api.organisation.OrganisationDocument;
import io.cachet.api.web.ConsoleAccess;
import io.cachet.api.web.PageSource;
import io.cachet.web.testing.TestPages;

import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * The console review on the real page framework and console shell template, the real cases (H2) and a stand-in of
 * the console's access (the operator named by a header; tokens per operator and form; the same-origin rule).
 */
class ReviewServletTest {

    static final String ORIGIN = "http://cachet.test";
    static final Map<String, Set<String>> ROLES = Map.of("olga", Set.of("ra-officer"), "sam", Set.of("support"),
            "root", Set.of("admin"));

    @TempDir
    Path dir;

    static final class Access implements ConsoleAccess {
        @Override
        public Optional<Operator> operator(HttpServletRequest request, HttpServletResponse response, String role) {
            String login = request.getHeader("X-Operator");
            if (login == null || !ROLES.containsKey(login)) {
                response.setStatus(401);
                return Optional.empty();
            }
            return Optional.of(new Operator(login, ROLES.get(login), false));
        }

        @Override
        public String formToken(Operator operator, String form) {
            return "token-" + form + "-" + operator.login();
        }

        @Override
        public boolean formAllowed(HttpServletRequest request, Operator operator, String form) {
            return ORIGIN.equals(request.getHeader("Origin"))
                    && formToken(operator, form).equals(request.getParameter(TOKEN_FIELD));
        }
    }

    static HttpServletRequest request(String method, String pathInfo, String operator, Map<String, String> params) {
        Map<String, String> h = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        h.put("X-Operator", operator);
        h.put("Origin", ORIGIN);
        h.put("Accept-Language", "en");
        Map<String, Object> attributes = new HashMap<>();
        String[] encoding = { null };
        return (HttpServletRequest) Proxy.newProxyInstance(ReviewServletTest.class.getClassLoader(),
                new Class<?>[] { HttpServletRequest.class }, (proxy, m, args) -> switch (m.getName()) {
                    case "getMethod" -> method;
                    case "getHeader" -> h.get((String) args[0]);
                    case "getHeaders" -> java.util.Collections.emptyEnumeration();
                    case "getParameter" -> params.get((String) args[0]);
                    case "getContextPath" -> "";
                    case "getServletPath" -> ReviewServlet.PATH;
                    case "getPathInfo" -> pathInfo;
                    case "getRequestURI" -> ReviewServlet.PATH + (pathInfo == null ? "" : pathInfo);
                    case "getQueryString" -> null;
                    case "getCookies" -> null;
                    case "getRemoteAddr" -> "192.0.2.10";
                    case "isSecure" -> false;
                    case "getCharacterEncoding" -> encoding[0];
                    case "setCharacterEncoding" -> {
                        encoding[0] = (String) args[0];
                        yield null;
                    }
                    case "getAttribute" -> attributes.get((String) args[0]);
                    case "setAttribute" -> {
                        attributes.put((String) args[0], args[1]);
                        yield null;
                    }
                    case "hashCode" -> System.identityHashCode(proxy);
                    case "equals" -> proxy == args[0];
                    case "toString" -> method + " " + pathInfo;
                    default -> throw new UnsupportedOperationException("request." + m.getName());
                });
    }

    static final class Response {
        int status = 200;
        final Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        final StringWriter body = new StringWriter();
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        final HttpServletResponse proxy;

        Response() {
            PrintWriter writer = new PrintWriter(body);
            ServletOutputStream out = new ServletOutputStream() {
                @Override
                public void write(int b) {
                    bytes.write(b);
                }

                @Override
                public boolean isReady() {
                    return true;
                }

                @Override
                public void setWriteListener(WriteListener l) {
                }
            };
            proxy = (HttpServletResponse) Proxy.newProxyInstance(ReviewServletTest.class.getClassLoader(),
                    new Class<?>[] { HttpServletResponse.class }, (p, m, args) -> switch (m.getName()) {
                        case "setStatus" -> {
                            status = (Integer) args[0];
                            yield null;
                        }
                        case "getStatus" -> status;
                        case "setHeader", "addHeader" -> {
                            headers.put((String) args[0], (String) args[1]);
                            yield null;
                        }
                        case "getHeader" -> headers.get((String) args[0]);
                        case "containsHeader" -> headers.containsKey((String) args[0]);
                        case "setContentType" -> {
                            headers.put("Content-Type", (String) args[0]);
                            yield null;
                        }
                        case "setCharacterEncoding", "addCookie", "resetBuffer", "flushBuffer", "setContentLength" -> null;
                        case "getWriter" -> writer;
                        case "getOutputStream" -> out;
                        case "isCommitted" -> false;
                        case "hashCode" -> System.identityHashCode(p);
                        case "equals" -> p == args[0];
                        case "toString" -> "response";
                        default -> throw new UnsupportedOperationException("response." + m.getName());
                    });
        }

        String body() {
            return body.toString();
        }
    }

    @Test
    void anOfficerReadsTheCaseAndItsPagesAndDecidesOthersAreRefused() throws Exception {
        try (Fixture f = new Fixture("h2", dir)) {
            Order o = f.submit(null);
            byte[] kbis = Fixture.kbis(LocalDate.parse("2026-11-20"), "ACME SAS", "552100554", "Anna Maria ERIKSSON");
            OrganisationCase k = f.service.upload(o.id(), OrganisationDocument.EXTRACT, "kbis.pdf", kbis, "customer");
            PageSource console = () -> "console";
            ReviewServlet servlet = new ReviewServlet(f.service, f.orders::find, new Access(),
                    TestPages.create(new OrganisationPages(), console));

            Response queue = new Response();
            servlet.doGet(request("GET", null, "sam", Map.of()), queue.proxy);
            assertEquals(200, queue.status);
            assertTrue(queue.body().contains(o.id()) && queue.body().contains("ACME SAS"), queue.body());
            assertFalse(queue.body().contains("/console/organisation/" + k.id()), "support sees the queue, not the case");

            Response forbidden = new Response();
            servlet.doGet(request("GET", "/" + k.id(), "sam", Map.of()), forbidden.proxy);
            assertEquals(403, forbidden.status);
            Response anonymous = new Response();
            servlet.doGet(request("GET", "/" + k.id(), null, Map.of()), anonymous.proxy);
            assertEquals(401, anonymous.status);

            Response page = new Response();
            servlet.doGet(request("GET", "/" + k.id(), "olga", Map.of()), page.proxy);
            assertEquals(200, page.status);
            String html = page.body();
            assertTrue(html.contains("Registration number well formed") && html.contains("check-PASSED"), html);
            String docId = k.documents().get(0).id();
            assertTrue(html.contains("/console/organisation/" + k.id() + "/page/" + docId + "/1"), html);

            Response png = new Response();
            servlet.doGet(request("GET", "/" + k.id() + "/page/" + docId + "/1", "olga", Map.of()), png.proxy);
            assertEquals(200, png.status);
            assertEquals("image/png", png.headers.get("Content-Type"));
            assertEquals("no-store", png.headers.get("Cache-Control"));
            byte[] b = png.bytes.toByteArray();
            assertTrue(b.length > 8 && b[1] == 'P' && b[2] == 'N' && b[3] == 'G', "a PNG image");
            Response missing = new Response();
            servlet.doGet(request("GET", "/" + k.id() + "/page/" + docId + "/2", "olga", Map.of()), missing.proxy);
            assertEquals(404, missing.status);

            Response forged = new Response();
            servlet.doPost(request("POST", "/" + k.id(), "olga", Map.of("action", "reject", "reason", "x",
                    "csrf", "guess")), forged.proxy);
            assertEquals(403, forged.status);
            String token = "token-" + ReviewServlet.FORM + "-olga";
            Response noBasis = new Response();
            servlet.doPost(request("POST", "/" + k.id(), "olga", Map.of("action", "approve", "csrf", token)),
                    noBasis.proxy);
            assertEquals(400, noBasis.status);
            assertTrue(noBasis.body().contains("Choose what names the legal representative"), noBasis.body());
            assertEquals(OrganisationCase.IN_REVIEW, f.service.find(k.id()).orElseThrow().status());

            Response approved = new Response();
            servlet.doPost(request("POST", "/" + k.id(), "olga", Map.of("action", "approve", "basis", "EXTRACT",
                    "csrf", token)), approved.proxy);
            assertEquals(303, approved.status, approved.body());
            assertEquals(ReviewServlet.PATH + "/" + k.id() + "?done=approved", approved.headers.get("Location"));
            assertEquals("olga", f.service.find(k.id()).orElseThrow().decidedBy());
            assertEquals(CheckStatus.PASSED, f.orders.find(o.id()).orElseThrow().checks().stream()
                    .filter(c -> c.kind().equals("organisation")).findFirst().orElseThrow().status());
            assertTrue(f.records("organisation.document.read").stream()
                    .allMatch(r -> r.actor().equals("operator:olga")), "every read audited with its reader");
        }
    }
}
