package io.cachet.delivery.cloud.internal.space;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

import io.cachet.web.testing.FakeHttp;

import jakarta.servlet.http.HttpServlet;

/**
 * A browser (or a program) for the servlets' tests, without a container, on {@link FakeHttp}'s requests and
 * responses: it keeps the cookies it is sent, as a browser does, and sends them back, with its headers and language,
 * to {@code https://}{@value #HOST}.
 */
final class Http {

    static final String HOST = "cachet.example.fr";

    final Map<String, String> cookies = new LinkedHashMap<>();
    final Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    String language = "en";
    String client = "192.0.2.1";

    FakeHttp.Response get(HttpServlet servlet, String path) throws Exception {
        return send(servlet, "GET", path, Map.of(), null);
    }

    FakeHttp.Response post(HttpServlet servlet, String path, Map<String, String> params) throws Exception {
        return send(servlet, "POST", path, params, null);
    }

    FakeHttp.Response json(HttpServlet servlet, String method, String path, String body) throws Exception {
        return send(servlet, method, path, Map.of(), body);
    }

    /** Sends a form ({@code body} null) or a JSON body, with the cookies kept so far; keeps those it is sent. */
    FakeHttp.Response send(HttpServlet servlet, String method, String path, Map<String, String> params, String body)
            throws Exception {
        FakeHttp.Request request = FakeHttp.request(method, path).params(params).server("https://" + HOST)
                .remoteAddr(client).headers(headers).header("Accept-Language", language);
        cookies.forEach(request::cookie);
        if (body == null) {
            request.header("Content-Type", "application/x-www-form-urlencoded");
        } else {
            request.json(body);
        }
        FakeHttp.Response r = new FakeHttp.Response();
        servlet.service(request.build(), r.proxy);
        for (String c : r.cookies) {
            String pair = c.substring(0, c.indexOf(';'));
            String name = pair.substring(0, pair.indexOf('='));
            String value = pair.substring(pair.indexOf('=') + 1);
            if (value.isEmpty() || c.contains("Max-Age=0")) {
                cookies.remove(name);
            } else {
                cookies.put(name, value);
            }
        }
        return r;
    }
}
