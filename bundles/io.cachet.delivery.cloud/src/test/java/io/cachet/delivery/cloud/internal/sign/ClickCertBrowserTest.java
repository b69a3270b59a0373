package io.cachet.delivery.cloud.internal.sign;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import io.cachet.api.web.ClientLimiter;
import io.cachet.api.web.Pages;
import io.cachet.delivery.cloud.internal.HolderAccess;
import io.cachet.delivery.cloud.internal.HolderSession;
import io.cachet.signature.testing.Pdfs;
import io.cachet.signature.testing.Tools;
import io.cachet.web.testing.FakeHttp;
import io.cachet.web.testing.TestPages;

import jakarta.servlet.http.HttpServlet;

/**
 * Click&amp;Cert's pages in headless Chromium (playwright-core, as the browser tests use it), served by this module's
 * servlets and the real page framework behind a small HTTP server: at desktop and phone widths the page's script runs
 * under its policy with no error, a PDF dropped on the drop zone is uploaded, a click on the preview puts the seal's
 * box at the same place of the page whatever the preview's displayed size, the holder signs and downloads the PDF,
 * which pdfsig verifies; with scripts off the same path works with plain forms. Skipped (not passed) where Node,
 * Chromium or playwright-core are missing.
 */
class ClickCertBrowserTest {

    static final Path PLAYWRIGHT = Path.of("").toAbsolutePath().resolve("../../test/browser/node_modules/playwright-core")
            .normalize();

    @TempDir
    Path dir;

    /** Serves the servlets over HTTP: GET and POST (form or multipart) turned into the tests' request proxies. */
    static HttpServer serve(Map<String, HttpServlet> servlets) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(Executors.newFixedThreadPool(4));
        server.createContext("/", x -> {
            try {
                handle(x, servlets);
            } catch (Exception e) {
                byte[] b = ("500 " + e).getBytes(StandardCharsets.UTF_8);
                x.sendResponseHeaders(500, b.length);
                x.getResponseBody().write(b);
            } finally {
                x.close();
            }
        });
        server.start();
        return server;
    }

    private static void handle(HttpExchange x, Map<String, HttpServlet> servlets) throws Exception {
        String path = x.getRequestURI().getRawPath();
        String query = x.getRequestURI().getRawQuery();
        HttpServlet servlet = null;
        String servletPath = path;
        for (var e : servlets.entrySet()) {
            if (path.startsWith(e.getKey())) {
                servlet = e.getValue();
                servletPath = e.getKey().equals("/assets") ? "/assets" : path;
            }
        }
        String rest = servletPath.equals(path) ? null : path.substring(servletPath.length());
        String q = query == null ? "" : "?" + query;
        FakeHttp.Request r = rest == null ? FakeHttp.request(x.getRequestMethod(), path + q)
                : FakeHttp.request(x.getRequestMethod(), servletPath, rest + q);
        x.getRequestHeaders().forEach((k, v) -> r.header(k, v.get(0)));
        String cookies = x.getRequestHeaders().getFirst("Cookie");
        if (cookies != null) {
            for (String c : cookies.split(";\\s*")) {
                int e = c.indexOf('=');
                if (e > 0) {
                    r.cookie(c.substring(0, e), c.substring(e + 1));
                }
            }
        }
        byte[] body;
        try (InputStream in = x.getRequestBody()) {
            body = in.readAllBytes();
        }
        String type = x.getRequestHeaders().getFirst("Content-Type");
        if (type != null && type.startsWith("application/x-www-form-urlencoded")) {
            for (String kv : new String(body, StandardCharsets.US_ASCII).split("&")) {
                int e = kv.indexOf('=');
                if (e > 0) {
                    r.param(URLDecoder.decode(kv.substring(0, e), StandardCharsets.UTF_8),
                            URLDecoder.decode(kv.substring(e + 1), StandardCharsets.UTF_8));
                }
            }
        } else if (type != null && type.startsWith("multipart/form-data")) {
            multipart(r, type.substring(type.indexOf("boundary=") + 9), body);
        } else {
            r.body(type == null ? "application/octet-stream" : type, body);
        }
        FakeHttp.Response resp = new FakeHttp.Response();
        if (servlet == null) {
            resp.status = 404;
        } else {
            servlet.service(r.build(), resp.proxy);
        }
        resp.headers.forEach((k, v) -> {
            if (!k.equalsIgnoreCase("Content-Length")) {
                x.getResponseHeaders().set(k, v);
            }
        });
        byte[] out = resp.body.toString().isEmpty() ? resp.bytes.toByteArray()
                : resp.body.toString().getBytes(StandardCharsets.UTF_8);
        x.sendResponseHeaders(resp.status, out.length == 0 ? -1 : out.length);
        if (out.length > 0) {
            try (OutputStream o = x.getResponseBody()) {
                o.write(out);
            }
        }
    }

    /** The fields and the one file of a multipart form, as the browser sent them. */
    private static void multipart(FakeHttp.Request r, String boundary, byte[] body) {
        String all = new String(body, StandardCharsets.ISO_8859_1);
        for (String part : all.split("--" + java.util.regex.Pattern.quote(boundary))) {
            int headersEnd = part.indexOf("\r\n\r\n");
            if (headersEnd < 0) {
                continue;
            }
            String headers = part.substring(0, headersEnd);
            String content = part.substring(headersEnd + 4, Math.max(headersEnd + 4, part.length() - 2));
            var name = java.util.regex.Pattern.compile("name=\"([^\"]*)\"").matcher(headers);
            var file = java.util.regex.Pattern.compile("filename=\"([^\"]*)\"").matcher(headers);
            if (!name.find()) {
                continue;
            }
            if (file.find()) {
                r.part(name.group(1), file.group(1), content.getBytes(StandardCharsets.ISO_8859_1));
            } else {
                r.param(name.group(1), new String(content.getBytes(StandardCharsets.ISO_8859_1),
                        StandardCharsets.UTF_8));
            }
        }
    }

    @Test
    void thePagesWorkInChromiumWithAndWithoutScriptsAtDesktopAndPhoneWidths() throws Exception {
        Assumptions.assumeTrue(Files.isDirectory(PLAYWRIGHT), "playwright-core is not installed in test/browser");
        Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/chromium")), "no /usr/bin/chromium");
        try (Fixture f = new Fixture("h2", dir)) {
            f.holderWithSeal("h1", "ord_browser");
            HolderSession session = f.holders.login("h1");
            Pages pages = TestPages.create(new ClickCertPages());
            ClickCertServlet servlet = new ClickCertServlet(f.service, f.holders, pages, new ClientLimiter(1000,
                    f.clock));
            HttpServer server = serve(Map.of("/space/", servlet, "/assets", TestPages.assets(pages)));
            try {
                Path pdf = Pdfs.pages(dir.resolve("contract.pdf"), 2);
                Path script = dir.resolve("clickcert-browser.mjs");
                try (InputStream in = getClass().getResourceAsStream("clickcert-browser.mjs")) {
                    Files.write(script, in.readAllBytes());
                }
                Path out = dir.resolve("out");
                Files.createDirectories(out);
                Process p = new ProcessBuilder("node", script.toString(), PLAYWRIGHT.resolve("index.mjs").toUri()
                        .toString(), "http://127.0.0.1:" + server.getAddress().getPort(),
                        HolderAccess.SESSION_COOKIE, Fixture.Holders.cookie(session), Fixture.PASSWORD,
                        pdf.toString(), out.toString()).redirectErrorStream(true).start();
                String log = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                assertTrue(p.waitFor(5, TimeUnit.MINUTES), log);
                assertEquals(0, p.exitValue(), log);
                JsonNode result = new ObjectMapper().readTree(log.substring(log.lastIndexOf("RESULT ") + 7).trim());

                // a click at the same place of the page's picture puts the box at the same place at both widths
                float scale = PdfFiles.scale(new PdfFiles.PageSize(PDRectangle.A4.getWidth(),
                        PDRectangle.A4.getHeight()));
                long x = Math.round(PDRectangle.A4.getWidth() * 0.5 - Placement.WIDTH / 2);
                long y = Math.round(PDRectangle.A4.getHeight() * 0.25 - Placement.HEIGHT / 2);
                for (String width : List.of("desktop", "phone")) {
                    JsonNode w = result.get(width);
                    assertEquals("[]", w.get("errors").toString(), width + ": no script error, no policy violation");
                    assertTrue(Math.abs(w.get("x").asLong() - x) <= 2, width + " x " + w + " expected " + x
                            + " (scale " + scale + ")");
                    assertTrue(Math.abs(w.get("y").asLong() - y) <= 2, width + " y " + w + " expected " + y);
                    Path signed = out.resolve(width + ".pdf");
                    assertEquals(0, Tools.pdfsigValid(signed, 1), width);
                    try (PDDocument d = Loader.loadPDF(signed.toFile())) {
                        var widget = d.getSignatureFields().get(0).getWidgets().get(0);
                        assertEquals(d.getPage(1).getCOSObject(), widget.getPage().getCOSObject(), "on page 2");
                    }
                }
                assertEquals(0, Tools.pdfsigValid(out.resolve("noscript.pdf"), 1), "the path without script");
                JsonNode plain = result.get("noscript");
                assertEquals(Math.round(300 / scale - Placement.WIDTH / 2), plain.get("x").asLong(), plain.toString());
                assertEquals(Math.round(200 / scale - Placement.HEIGHT / 2), plain.get("y").asLong(), plain.toString());
                assertEquals(3, f.service.history("h1").stream().filter(d -> d.state() == Document.State.SIGNED)
                        .count());
                Path shots = Path.of("target", "screenshots");
                Files.createDirectories(shots);
                try (var files = Files.list(out)) {
                    for (Path png : files.filter(q -> q.toString().endsWith(".png")).toList()) {
                        Files.copy(png, shots.resolve("clickcert-" + png.getFileName()),
                                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                    }
                }
                assertTrue(Files.size(shots.resolve("clickcert-phone-sign.png")) > 1000, "a screenshot");
            } finally {
                server.stop(0);
                ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
            }
        }
    }
}
