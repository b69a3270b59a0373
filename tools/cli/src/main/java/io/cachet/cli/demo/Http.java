package io.cachet.cli.demo;

import java.io.IOException;
import java.net.ConnectException;
import java.net.CookieManager;
import java.net.CookiePolicy;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The demo's only way to the server: its public HTTP endpoints. {@link #api} calls {@code /api/v1} as an operator
 * (Bearer API key); a {@link Browser} plays a person's phone or browser on the pages (its own cookies, this server
 * as the origin of its posts, redirects not followed so that each step is seen).
 */
public final class Http {

    public static final ObjectMapper JSON = new ObjectMapper();
    static final String PHONE = "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko)"
            + " Chrome/126.0 Mobile Safari/537.36 cachet-cli-demo";

    /** A response read whole. */
    public record Answer(int status, Map<String, List<String>> headers, byte[] body) {

        public String text() {
            return new String(body, StandardCharsets.UTF_8);
        }

        public JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new DemoException("the server answered " + status + " with something that is not JSON: "
                        + abbreviate(text()));
            }
        }

        public Optional<String> header(String name) {
            return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
                    .flatMap(e -> e.getValue().stream()).findFirst();
        }

        /** The problem's detail (problem+json), else the start of the body. */
        public String problem() {
            try {
                JsonNode p = JSON.readTree(body);
                if (p != null && p.hasNonNull("detail")) {
                    return p.get("detail").asText();
                }
            } catch (IOException e) {
                // not JSON
            }
            return abbreviate(text());
        }
    }

    private final URI server;
    private final String apiKey;
    private final HttpClient api;

    public Http(URI server, String apiKey) {
        this.server = server;
        this.apiKey = apiKey;
        this.api = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10))
                .followRedirects(HttpClient.Redirect.NEVER).build();
    }

    public URI server() {
        return server;
    }

    /** This server's origin, as a browser sends it in {@code Origin}. */
    public String origin() {
        return server.getScheme() + "://" + server.getRawAuthority();
    }

    /** An API call with the demo's key; {@code body} null for none. */
    public Answer api(String method, String path, JsonNode body) {
        return api(method, path, body, apiKey, Map.of());
    }

    /** An API call with {@code key} (null: the demo's) and extra headers. */
    public Answer api(String method, String path, JsonNode body, String key, Map<String, String> headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(resolve(path)).timeout(Duration.ofMinutes(2))
                .header("Authorization", "Bearer " + (key == null ? apiKey : key)).header("Accept", "application/json");
        headers.forEach(b::header);
        if (body != null) {
            b.header("Content-Type", "application/json").method(method,
                    HttpRequest.BodyPublishers.ofString(body.toString(), StandardCharsets.UTF_8));
        } else {
            b.method(method, HttpRequest.BodyPublishers.noBody());
        }
        return send(api, b.build());
    }

    /** A call to a public endpoint of the API (no API key), e.g. the holder's token activation. */
    public Answer anonymous(String method, String path, JsonNode body) {
        HttpRequest.Builder b = HttpRequest.newBuilder(resolve(path)).timeout(Duration.ofMinutes(2))
                .header("Accept", "application/json");
        if (body != null) {
            b.header("Content-Type", "application/json").method(method,
                    HttpRequest.BodyPublishers.ofString(body.toString(), StandardCharsets.UTF_8));
        } else {
            b.method(method, HttpRequest.BodyPublishers.noBody());
        }
        return send(api, b.build());
    }

    /** A call without the demo's API key, with {@code headers} (e.g. a CSC client's Basic or bearer credentials). */
    public Answer call(String method, String path, JsonNode body, Map<String, String> headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(resolve(path)).timeout(Duration.ofMinutes(2))
                .header("Accept", "application/json");
        headers.forEach(b::header);
        if (body != null) {
            b.header("Content-Type", "application/json").method(method,
                    HttpRequest.BodyPublishers.ofString(body.toString(), StandardCharsets.UTF_8));
        } else {
            b.method(method, HttpRequest.BodyPublishers.noBody());
        }
        return send(api, b.build());
    }

    /** The JSON of a call that must answer {@code expected}; otherwise a {@link DemoException} saying what. */
    public JsonNode expect(Answer a, String what, int... expected) {
        for (int e : expected) {
            if (a.status() == e) {
                return a.json();
            }
        }
        if (a.status() == 401) {
            throw new DemoException(what + ": the API key was refused (401): " + a.problem(), true);
        }
        throw new DemoException(what + ": the server answered " + a.status() + ": " + a.problem());
    }

    public URI resolve(String path) {
        if (path.startsWith("http://") || path.startsWith("https://")) {
            return URI.create(path);
        }
        return server.resolve(path);
    }

    Answer send(HttpClient client, HttpRequest request) {
        try {
            HttpResponse<byte[]> r = client.send(request, HttpResponse.BodyHandlers.ofByteArray());
            return new Answer(r.statusCode(), r.headers().map(), r.body());
        } catch (ConnectException | HttpConnectTimeoutException e) {
            throw new DemoException("no Cachet server answers at " + server + "; start it, or give its address with"
                    + " --server", true);
        } catch (HttpTimeoutException e) {
            throw new DemoException(request.method() + " " + request.uri().getPath() + " timed out");
        } catch (IOException e) {
            throw new DemoException(request.method() + " " + request.uri().getPath() + " failed: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DemoException("interrupted");
        }
    }

    /** A person's browser (or phone): cookies of its own. */
    public Browser browser() {
        return new Browser();
    }

    /** One person's browser: its cookies, this server's origin on every post, a phone's User-Agent. */
    public final class Browser {

        private final HttpClient client;

        Browser() {
            CookieManager cookies = new CookieManager(null, CookiePolicy.ACCEPT_ORIGINAL_SERVER);
            client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).cookieHandler(cookies)
                    .followRedirects(HttpClient.Redirect.NEVER).build();
        }

        public Answer get(String path) {
            return send(client, page(path).GET().build());
        }

        /** A form post ({@code application/x-www-form-urlencoded}), fields in order. */
        public Answer postForm(String path, Map<String, String> fields) {
            String form = fields.entrySet().stream().map(e -> enc(e.getKey()) + "=" + enc(e.getValue()))
                    .collect(Collectors.joining("&"));
            return send(client, page(path).header("Content-Type", "application/x-www-form-urlencoded")
                    .header("Origin", origin()).POST(HttpRequest.BodyPublishers.ofString(form)).build());
        }

        /** Raw bytes, as a page's script uploads a photo; {@code headers} e.g. the anti-forgery header. */
        public Answer postBytes(String path, String contentType, byte[] body, Map<String, String> headers) {
            HttpRequest.Builder b = page(path).header("Content-Type", contentType).header("Origin", origin());
            headers.forEach(b::header);
            return send(client, b.POST(HttpRequest.BodyPublishers.ofByteArray(body)).build());
        }

        /** A {@code multipart/form-data} post: text fields, then files (name → file). */
        public Answer postMultipart(String path, Map<String, String> fields, List<Part> files) {
            String boundary = "----cachet-demo-" + HexFormat.of().formatHex(new SecureRandom().generateSeed(8));
            java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
            try {
                for (Map.Entry<String, String> f : fields.entrySet()) {
                    out.write(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + f.getKey()
                            + "\"\r\n\r\n" + f.getValue() + "\r\n").getBytes(StandardCharsets.UTF_8));
                }
                for (Part p : files) {
                    out.write(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + p.field()
                            + "\"; filename=\"" + p.fileName() + "\"\r\nContent-Type: " + p.contentType()
                            + "\r\n\r\n").getBytes(StandardCharsets.UTF_8));
                    out.write(p.content());
                    out.write("\r\n".getBytes(StandardCharsets.UTF_8));
                }
                out.write(("--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
            return send(client, page(path).header("Content-Type", "multipart/form-data; boundary=" + boundary)
                    .header("Origin", origin()).POST(HttpRequest.BodyPublishers.ofByteArray(out.toByteArray()))
                    .build());
        }

        private HttpRequest.Builder page(String path) {
            return HttpRequest.newBuilder(resolve(path)).timeout(Duration.ofMinutes(2)).header("User-Agent", PHONE)
                    .header("Accept-Language", "en");
        }
    }

    /** A file of a multipart post. */
    public record Part(String field, String fileName, String contentType, byte[] content) {
    }

    static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    static String abbreviate(String s) {
        String one = s.replaceAll("\\s+", " ").strip();
        return one.length() > 300 ? one.substring(0, 300) + "…" : one;
    }

    /** Query parameters, encoded. */
    static String query(Map<String, String> params) {
        Map<String, String> ordered = new LinkedHashMap<>(params);
        return ordered.entrySet().stream().map(e -> enc(e.getKey()) + "=" + enc(e.getValue()))
                .collect(Collectors.joining("&"));
    }
}
