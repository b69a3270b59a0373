package io.cachet.web.internal.pages;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;

import org.junit.jupiter.api.Test;

import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/** Assets: long caching at the current URL, revalidation at an older one, 304 on a matching ETag, 404 otherwise. */
class AssetServletTest {

    final PageEngine engine = new PageEngine(() -> PageEngineTest.DEFAULT);
    final AssetServlet servlet = new AssetServlet(engine);

    record Answer(int status, Map<String, String> headers, String body) {
    }

    Answer get(String pathInfo, String ifNoneMatch) throws Exception {
        HttpServletRequest request = (HttpServletRequest) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {HttpServletRequest.class}, (p, m, args) -> switch (m.getName()) {
                    case "getMethod" -> "GET";
                    case "getPathInfo" -> pathInfo;
                    case "getHeader" -> "If-None-Match".equalsIgnoreCase((String) args[0]) ? ifNoneMatch : null;
                    case "getProtocol" -> "HTTP/1.1";
                    case "getDateHeader" -> -1L;
                    default -> throw new UnsupportedOperationException("request." + m.getName());
                });
        int[] status = {200};
        Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ServletOutputStream out = new ServletOutputStream() {
            @Override
            public boolean isReady() {
                return true;
            }

            @Override
            public void setWriteListener(WriteListener listener) {
                throw new UnsupportedOperationException();
            }

            @Override
            public void write(int b) {
                bytes.write(b);
            }
        };
        HttpServletResponse response = (HttpServletResponse) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {HttpServletResponse.class}, (p, m, args) -> switch (m.getName()) {
                    case "setStatus", "sendError" -> { status[0] = (Integer) args[0]; yield null; }
                    case "setHeader" -> { headers.put((String) args[0], (String) args[1]); yield null; }
                    case "setContentType" -> { headers.put("Content-Type", (String) args[0]); yield null; }
                    case "setContentLength" -> { headers.put("Content-Length", String.valueOf(args[0])); yield null; }
                    case "getOutputStream" -> out;
                    default -> throw new UnsupportedOperationException("response." + m.getName());
                });
        servlet.service(request, response);
        return new Answer(status[0], headers, bytes.toString(StandardCharsets.UTF_8));
    }

    @Test
    void theCurrentUrlIsCachedForAYearAnOlderOneIsRevalidated() throws Exception {
        String url = engine.assetUrl("cachet", "cachet.css").substring(PageEngine.ASSETS_PATH.length());
        Answer current = get(url, null);
        assertEquals(200, current.status());
        assertEquals("public, max-age=31536000, immutable", current.headers().get("Cache-Control"));
        assertEquals("text/css;charset=UTF-8", current.headers().get("Content-Type"));
        assertTrue(current.body().contains(".skip-link"), current.body());
        assertEquals(String.valueOf(current.body().getBytes(StandardCharsets.UTF_8).length),
                current.headers().get("Content-Length"));
        String etag = current.headers().get("ETag");
        assertTrue(etag.matches("\"[0-9a-f]{12}\""), etag);

        Answer older = get("/cachet/000000000000/cachet.css", null);
        assertEquals(200, older.status());
        assertEquals("no-cache", older.headers().get("Cache-Control"));
        assertEquals(304, get("/cachet/000000000000/cachet.css", etag).status());
        assertEquals(304, get(url, etag).status());
    }

    @Test
    void anythingElseIsNotFound() throws Exception {
        for (String path : new String[] {"/cachet/x/none.css", "/cachet/x/messages_fr.properties", "/cachet/x/home.ftlh",
                "/nowhere/x/cachet.css", "/cachet/cachet.css", "/brand/default/x/logo.svg", "/", null}) {
            assertEquals(404, get(path, null).status(), String.valueOf(path));
        }
    }
}
