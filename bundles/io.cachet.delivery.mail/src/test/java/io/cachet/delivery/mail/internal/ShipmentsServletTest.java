package io.cachet.delivery.mail.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

import org.apache.pdfbox.Loader;
import org.apache.pdfbox.text.PDFTextStripper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.cachet.api.delivery.Shipment;
import io.cachet.api.delivery.ShipmentState;
import io.cachet.api.operator.Operator;
import io.cachet.api.order.Order;
import io.cachet.api.web.ConsoleAccess;
import io.cachet.api.web.PageSource;
import io.cachet.web.testing.TestPages;

import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.Part;

/**
 * The console page on the real page framework and console shell template, the real shipments (H2) and a stand-in of
 * the console's access (the operator named by a header; tokens per operator and form; the same-origin rule).
 */
class ShipmentsServletTest {

    static final String ORIGIN = "http://cachet.test";
    static final Map<String, Set<String>> ROLES = Map.of("otto", Set.of("operator"), "sam", Set.of("support"),
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

    static HttpServletRequest request(String method, String pathInfo, String operator, Map<String, String> params,
            byte[] file) {
        Map<String, String> h = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        if (operator != null) {
            h.put("X-Operator", operator);
        }
        h.put("Origin", ORIGIN);
        h.put("Accept-Language", "en");
        Map<String, Object> attributes = new HashMap<>();
        String[] encoding = { null };
        Part part = file == null ? null : (Part) Proxy.newProxyInstance(ShipmentsServletTest.class.getClassLoader(),
                new Class<?>[] { Part.class }, (p, m, args) -> switch (m.getName()) {
                    case "getSize" -> (long) file.length;
                    case "getInputStream" -> new ByteArrayInputStream(file);
                    case "getName" -> "file";
                    default -> throw new UnsupportedOperationException("part." + m.getName());
                });
        return (HttpServletRequest) Proxy.newProxyInstance(ShipmentsServletTest.class.getClassLoader(),
                new Class<?>[] { HttpServletRequest.class }, (proxy, m, args) -> switch (m.getName()) {
                    case "getMethod" -> method;
                    case "getHeader" -> h.get((String) args[0]);
                    case "getHeaders" -> java.util.Collections.emptyEnumeration();
                    case "getParameter" -> params.get((String) args[0]);
                    case "getPart" -> "file".equals(args[0]) ? part : null;
                    case "getContextPath" -> "";
                    case "getServletPath" -> ShipmentsServlet.PATH;
                    case "getPathInfo" -> pathInfo;
                    case "getRequestURI" -> ShipmentsServlet.PATH + (pathInfo == null ? "" : pathInfo);
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
            proxy = (HttpServletResponse) Proxy.newProxyInstance(ShipmentsServletTest.class.getClassLoader(),
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

    static Response get(ShipmentsServlet servlet, String pathInfo, String operator) throws Exception {
        Response r = new Response();
        servlet.doGet(request("GET", pathInfo, operator, Map.of(), null), r.proxy);
        return r;
    }

    static Response post(ShipmentsServlet servlet, String pathInfo, String operator, Map<String, String> params,
            byte[] file) throws Exception {
        Response r = new Response();
        servlet.doPost(request("POST", pathInfo, operator, params, file), r.proxy);
        return r;
    }

    @Test
    void anOperatorPrintsSendsDeliversAndAttachesTheReceiptOthersAreRefused() throws Exception {
        try (Fixture f = new Fixture("h2", dir)) {
            Order o = f.submitToken("fr");
            Shipment s = f.service.prepare(o.id(), "SN-77", "api:tokdel");
            PageSource console = () -> "console";
            ShipmentsServlet servlet = new ShipmentsServlet(f.service, new Access(),
                    TestPages.create(new ShipmentsPages(), console));
            String token = "token-" + ShipmentsServlet.FORM + "-otto";

            Response list = get(servlet, null, "otto");
            assertEquals(200, list.status, list.body());
            String html = list.body();
            assertTrue(html.contains(o.id()) && html.contains("SN-77") && html.contains(Fixture.BENEFICIARY)
                    && html.contains("69002 Lyon, FR"), html);
            assertTrue(html.contains("Mark sent") && html.contains("/console/shipments/" + s.id() + "/label?lang=fr"),
                    html);
            assertTrue(html.contains("name=\"csrf\" value=\"" + token + "\""), "every form carries the token");
            assertFalse(html.contains("??"), "every message found: " + html);
            Response support = get(servlet, null, "sam");
            assertEquals(403, support.status, "support does not work on shipments");
            // the console answers (here the stand-in's default ConsoleAccess.operatorWith), naming the roles
            assertTrue(support.body().contains("This page needs one of the roles admin, operator"), support.body());
            assertFalse(support.body().contains(o.id()), support.body());
            assertEquals(401, get(servlet, null, null).status);

            Response label = get(servlet, "/" + s.id() + "/label", "otto");
            assertEquals(200, label.status);
            assertEquals("application/pdf", label.headers.get("Content-Type"));
            assertEquals("no-store", label.headers.get("Cache-Control"));
            try (var doc = Loader.loadPDF(label.bytes.toByteArray())) {
                assertTrue(new PDFTextStripper().getText(doc).contains("LETTRE RECOMMANDÉE"), "the order's language");
            }

            Response forged = post(servlet, "/" + s.id(), "otto", Map.of("action", "sent", "trackingNumber",
                    "1A0000000001", "csrf", "guess"), null);
            assertEquals(403, forged.status);
            assertEquals(ShipmentState.PREPARED, f.service.find(s.id()).orElseThrow().state(), "nothing changed");
            Response supportPost = post(servlet, "/" + s.id(), "sam", Map.of("action", "lost", "csrf",
                    "token-shipments-sam"), null);
            assertEquals(403, supportPost.status);
            assertTrue(supportPost.body().contains("This page needs one of the roles"), supportPost.body());
            assertEquals(ShipmentState.PREPARED, f.service.find(s.id()).orElseThrow().state(), "nothing changed");

            Response noNumber = post(servlet, "/" + s.id(), "otto", Map.of("action", "sent", "csrf", token), null);
            assertEquals(400, noNumber.status);
            assertTrue(noNumber.body().contains("Nothing changed") && noNumber.body().contains("tracking number"),
                    noNumber.body());
            Response early = post(servlet, "/" + s.id(), "otto", Map.of("action", "delivered", "csrf", token), null);
            assertEquals(409, early.status);
            Response unknownAction = post(servlet, "/" + s.id(), "otto", Map.of("action", "burn", "csrf", token),
                    null);
            assertEquals(400, unknownAction.status);

            Response sent = post(servlet, "/" + s.id(), "otto", Map.of("action", "sent", "trackingNumber",
                    "1A 0000 0000 001", "note", "", "csrf", token), null);
            assertEquals(303, sent.status, sent.body());
            assertEquals(ShipmentsServlet.PATH + "?state=PREPARED&done=sent#s-" + s.id(), sent.headers.get("Location"));
            assertEquals(ShipmentState.SENT, f.service.find(s.id()).orElseThrow().state());
            assertEquals("operator:otto", f.records("shipment.sent").get(0).actor());
            Response done = new Response();
            servlet.doGet(request("GET", null, "otto", Map.of("state", "SENT", "done", "sent"), null), done.proxy);
            assertTrue(done.body().contains("The letter is marked sent.") && done.body().contains("1A00000000001"),
                    done.body());

            Response delivered = post(servlet, "/" + s.id(), "root", Map.of("action", "delivered", "note",
                    "avis signé", "csrf", "token-shipments-root"), null);
            assertEquals(303, delivered.status, delivered.body());
            assertEquals(ShipmentState.DELIVERED, f.told.calls.get(f.told.calls.size() - 1).shipment().state());

            Response noFile = post(servlet, "/" + s.id() + "/receipt", "otto", Map.of("csrf", token), null);
            assertEquals(400, noFile.status);
            Response notAScan = post(servlet, "/" + s.id() + "/receipt", "otto", Map.of("csrf", token),
                    "hello".getBytes());
            assertEquals(400, notAScan.status);
            assertTrue(notAScan.body().contains("PDF, JPEG or PNG"), notAScan.body());
            byte[] scan = Samples.pdf("Avis de reception signe");
            Response attached = post(servlet, "/" + s.id() + "/receipt", "otto", Map.of("csrf", token), scan);
            assertEquals(303, attached.status, attached.body());
            assertTrue(f.service.find(s.id()).orElseThrow().receiptAttached());
            Response receipt = get(servlet, "/" + s.id() + "/receipt", "otto");
            assertEquals(200, receipt.status);
            assertArrayEquals(scan, receipt.bytes.toByteArray());
            assertEquals("operator:otto", f.records("shipment.receipt.read").get(0).actor());

            assertEquals(404, get(servlet, "/shp_nothing/label", "otto").status);
            assertEquals(404, post(servlet, "/shp_nothing", "otto", Map.of("action", "lost", "csrf", token), null)
                    .status);
            Response notReturned = post(servlet, "/" + s.id(), "otto", Map.of("action", "reship", "csrf", token), null);
            assertEquals(409, notReturned.status, "only a returned letter is sent again");
            Shipment back = f.service.move(f.service.move(f.service.prepare(o.id(), "SN-78", "api:tokdel").id(),
                    ShipmentState.SENT, "1A0000000002", null, "api:op").id(), ShipmentState.RETURNED, null, null,
                    "api:op");
            Response reship = post(servlet, "/" + back.id(), "otto", Map.of("action", "reship", "csrf", token), null);
            assertEquals(303, reship.status, reship.body());
            assertEquals(ShipmentsServlet.PATH + "?state=RETURNED&done=reship#s-" + back.id(),
                    reship.headers.get("Location"));
            Shipment again = f.service.current(o.id()).orElseThrow();
            assertEquals("SN-78", again.reference());
            assertEquals(ShipmentState.PREPARED, again.state());
            assertEquals(Fixture.ADDRESS, again.address());
            assertEquals("operator:otto", f.records("shipment.prepared").get(f.records("shipment.prepared").size() - 1)
                    .actor());

            Response all = new Response();
            servlet.doGet(request("GET", null, "otto", Map.of("state", "ALL"), null), all.proxy);
            assertTrue(all.body().contains(s.id()) && all.body().contains("/receipt\">Receipt<"), all.body());
        }
    }
}
