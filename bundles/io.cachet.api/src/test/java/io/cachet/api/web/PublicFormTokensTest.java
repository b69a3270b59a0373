package io.cachet.api.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Proxy;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

class PublicFormTokensTest {

    private final byte[] key = new byte[32];
    private final PublicFormTokens tokens = new PublicFormTokens("cachet_test", "/order", "csrf", key,
            new SecureRandom());

    /** A request with the given cookie (or none), parameters and secure flag; attributes are kept. */
    private static HttpServletRequest request(String cookie, Map<String, String> params, boolean secure) {
        Map<String, Object> attributes = new HashMap<>();
        return (HttpServletRequest) Proxy.newProxyInstance(PublicFormTokensTest.class.getClassLoader(),
                new Class<?>[] {HttpServletRequest.class}, (p, m, a) -> switch (m.getName()) {
                    case "getCookies" -> cookie == null ? null : new Cookie[] {new Cookie("cachet_test", cookie)};
                    case "getParameter" -> params.get((String) a[0]);
                    case "isSecure" -> secure;
                    case "getAttribute" -> attributes.get((String) a[0]);
                    case "setAttribute" -> attributes.put((String) a[0], a[1]);
                    default -> throw new UnsupportedOperationException(m.getName());
                });
    }

    private static HttpServletResponse response(List<String> setCookies) {
        return (HttpServletResponse) Proxy.newProxyInstance(PublicFormTokensTest.class.getClassLoader(),
                new Class<?>[] {HttpServletResponse.class}, (p, m, a) -> {
                    if (m.getName().equals("addHeader") && "Set-Cookie".equals(a[0])) {
                        setCookies.add((String) a[1]);
                        return null;
                    }
                    throw new UnsupportedOperationException(m.getName());
                });
    }

    @Test
    void aFirstFormSetsTheCookieOnceAndItsTokenIsAcceptedForThatFormOnly() {
        List<String> set = new ArrayList<>();
        HttpServletRequest first = request(null, Map.of(), true);
        String token = tokens.token(first, response(set), "order");
        assertEquals(tokens.token(first, response(set), "order"), token, "a second form on the page: same cookie");
        assertEquals(1, set.size());
        String header = set.get(0);
        assertTrue(header.startsWith("cachet_test="), header);
        assertTrue(header.endsWith("; Path=/order; HttpOnly; SameSite=Lax; Secure"), header);
        String cookie = header.substring("cachet_test=".length(), header.indexOf(';'));

        assertTrue(tokens.valid(request(cookie, Map.of("csrf", token), false), "order"));
        assertTrue(tokens.valid(request(cookie, Map.of(), false), "order", token), "a token given in a header");
        assertFalse(tokens.valid(request(cookie, Map.of("csrf", token), false), "other"), "another form");
        assertFalse(tokens.valid(request(null, Map.of("csrf", token), false), "order"), "no cookie");
        assertFalse(tokens.valid(request(cookie, Map.of(), false), "order"), "no token");
        assertFalse(tokens.valid(request(cookie, Map.of("csrf", token + "x"), false), "order"));
        String otherCookie = "B".repeat(43);
        assertFalse(tokens.valid(request(otherCookie, Map.of("csrf", token), false), "order"), "another browser");
    }

    @Test
    void anotherKeyOrAMalformedCookieIsRefused() {
        List<String> set = new ArrayList<>();
        String cookie = "A".repeat(43);
        String token = tokens.token(request(cookie, Map.of(), false), response(set), "order");
        assertTrue(set.isEmpty(), "a browser with a cookie keeps it");
        byte[] otherKey = new byte[32];
        otherKey[0] = 1;
        PublicFormTokens other = new PublicFormTokens("cachet_test", "/order", "csrf", otherKey, new SecureRandom());
        assertFalse(other.valid(request(cookie, Map.of("csrf", token), false), "order"));

        List<String> set2 = new ArrayList<>();
        String fresh = tokens.token(request("short", Map.of(), false), response(set2), "order");
        assertEquals(1, set2.size(), "a malformed cookie is replaced");
        assertNotEquals(token, fresh);
        assertFalse(set2.get(0).contains("Secure"), "plain HTTP: no Secure flag");
    }

    @Test
    void aShortKeyOrABadCookieNameIsRefused() {
        assertThrows(IllegalArgumentException.class,
                () -> new PublicFormTokens("c", "/", "csrf", new byte[16], new SecureRandom()));
        assertThrows(IllegalArgumentException.class,
                () -> new PublicFormTokens("c;x", "/", "csrf", new byte[32], new SecureRandom()));
        assertEquals("cachet_test", tokens.cookieName());
        assertEquals("csrf", tokens.field());
    }
}
