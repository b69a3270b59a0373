package io.cachet.notify.internal;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.cachet.api.notify.SmsException;
import io.cachet.api.notify.SmsGateway;

/**
 * The SMS gateway Cachet ships: each message is a JSON POST
 * {@code {"to": "+33612345678", "text": "...", "sender": "Cachet", "reference": "<id>"}} to a configured URL with
 * {@code Authorization: Bearer <token>} and {@code Idempotency-Key: <id>}. A 2xx answer means accepted; 5xx, 408,
 * 429, time-outs and network errors are temporary; any other answer is a permanent refusal. Redirects are not
 * followed (the token would follow them). Thread-safe.
 */
public final class HttpSmsGateway implements SmsGateway {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_REASON = 200;

    private final URI url;
    private final char[] token;
    private final String sender;
    private final Duration timeout;
    private final HttpClient http;

    public HttpSmsGateway(String url, char[] token, String sender, Duration timeout) {
        this.url = parse(url);
        if (token == null || token.length == 0) {
            throw new IllegalArgumentException("the SMS gateway token is empty");
        }
        this.token = token.clone();
        this.sender = sender == null ? "" : sender.trim();
        this.timeout = timeout;
        this.http = HttpClient.newBuilder().connectTimeout(timeout).followRedirects(HttpClient.Redirect.NEVER).build();
    }

    static URI parse(String url) {
        URI u;
        try {
            u = URI.create(url == null ? "" : url.trim());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("url of the SMS gateway is not a URL: " + url);
        }
        if (!("https".equalsIgnoreCase(u.getScheme()) || "http".equalsIgnoreCase(u.getScheme())) || u.getHost() == null) {
            throw new IllegalArgumentException("url of the SMS gateway must be an http(s) URL, not '" + url + "'");
        }
        if (u.getUserInfo() != null) {
            throw new IllegalArgumentException("url of the SMS gateway must not carry credentials: use the token file");
        }
        return u;
    }

    @Override
    public void send(String reference, String to, String text) throws SmsException {
        Map<String, String> body = new LinkedHashMap<>();
        body.put("to", to);
        body.put("text", text);
        if (!sender.isEmpty()) {
            body.put("sender", sender);
        }
        body.put("reference", reference);
        HttpRequest request;
        try {
            request = HttpRequest.newBuilder(url).timeout(timeout)
                    .header("Content-Type", "application/json")
                    .header("Accept", "application/json")
                    .header("Authorization", "Bearer " + new String(token))
                    .header("Idempotency-Key", reference)
                    .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)))
                    .build();
        } catch (JsonProcessingException e) {
            throw new SmsException("cannot encode the SMS request", false, e);
        }
        HttpResponse<String> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (HttpTimeoutException e) {
            throw new SmsException("SMS gateway " + where() + " did not answer within " + timeout.toSeconds() + " s",
                    true, e);
        } catch (IOException e) {
            throw new SmsException("SMS gateway " + where() + " unreachable: " + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : " " + e.getMessage()), true, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SmsException("interrupted while sending to the SMS gateway", true, e);
        }
        int status = response.statusCode();
        if (status >= 200 && status < 300) {
            return;
        }
        String what = "SMS gateway " + where() + " answered " + status + reason(response.body());
        throw new SmsException(what, status >= 500 || status == 408 || status == 429);
    }

    private String where() {
        return url.getScheme() + "://" + url.getAuthority() + url.getPath();
    }

    /** The gateway's own words, shortened to one line (vendors explain refusals in their body). */
    private static String reason(String body) {
        if (body == null || body.isBlank()) {
            return "";
        }
        String line = body.lines().map(String::strip).filter(l -> !l.isEmpty()).findFirst().orElse("");
        return ": " + (line.length() > MAX_REASON ? line.substring(0, MAX_REASON) + "…" : line);
    }

    public void close() {
        Arrays.fill(token, '\0');
    }
}
