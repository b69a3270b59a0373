package io.cachet.web.internal.http;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Proxy;
import java.util.Map;

import org.junit.jupiter.api.Test;

import jakarta.servlet.http.HttpServletRequest;

class SameOriginTest {

    /** A request as Jetty sees one: its own scheme, host and port, and the headers given. */
    private static HttpServletRequest request(String scheme, String host, int port, Map<String, String> headers) {
        return (HttpServletRequest) Proxy.newProxyInstance(SameOriginTest.class.getClassLoader(),
                new Class<?>[] {HttpServletRequest.class}, (proxy, m, args) -> switch (m.getName()) {
                    case "getScheme" -> scheme;
                    case "getServerName" -> host;
                    case "getServerPort" -> port;
                    case "getHeader" -> headers.get((String) args[0]);
                    default -> throw new UnsupportedOperationException(m.getName());
                });
    }

    @Test
    void theOriginMustBeTheRequestsOwnSchemeHostAndPort() {
        assertTrue(SameOrigin.check(request("http", "127.0.0.1", 8080, Map.of("Origin", "http://127.0.0.1:8080"))));
        assertTrue(SameOrigin.check(request("https", "ca.example", 443, Map.of("Origin", "https://CA.example"))));
        assertTrue(SameOrigin.check(request("http", "[::1]", 8080, Map.of("Origin", "http://[::1]:8080"))));
        assertFalse(SameOrigin.check(request("http", "127.0.0.1", 8080, Map.of("Origin", "http://127.0.0.1:8081"))));
        assertFalse(SameOrigin.check(request("https", "ca.example", 443, Map.of("Origin", "http://ca.example"))));
        assertFalse(SameOrigin.check(request("http", "ca.example", 80, Map.of("Origin", "http://ca.example.evil"))));
        assertFalse(SameOrigin.check(request("http", "ca.example", 80, Map.of("Origin", "null"))));
        assertFalse(SameOrigin.check(request("http", "ca.example", 80, Map.of("Origin", "not a url"))));
        assertFalse(SameOrigin.check(request("http", "ca.example", 80, Map.of())));
    }

    @Test
    void aRefererStandsInOnlyWhenThereIsNoOrigin() {
        assertTrue(SameOrigin.check(request("http", "ca.example", 80,
                Map.of("Referer", "http://ca.example/system/console/configMgr"))));
        assertFalse(SameOrigin.check(request("http", "ca.example", 80,
                Map.of("Referer", "http://evil.example/?http://ca.example/"))));
        assertFalse(SameOrigin.check(request("http", "ca.example", 80,
                Map.of("Origin", "http://evil.example", "Referer", "http://ca.example/"))));
    }
}
