package io.cachet.identity.vendor.internal;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.LinkedHashMap;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.cachet.api.identity.IdentityCase;
import io.cachet.api.identity.IdentityException;

/**
 * The vendor's API: {@code POST <base>/sessions} with {@code Authorization: Bearer <api key>} and a JSON body
 * {@code {reference, attempt, language, callback_url?, return_url?, expected?}}; the vendor answers 200 or 201 with
 * {@code {id, url}}. Any failure (unreachable, time limit, non-2xx, an answer without a usable id or URL) is
 * {@link IdentityException} {@code UNAVAILABLE} {@code provider.unavailable}: the person is told to try again later.
 * Redirects are not followed. The API key is never logged.
 */
final class VendorClient {

    private static final Logger LOG = LoggerFactory.getLogger(VendorClient.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_ANSWER = 16 * 1024;

    private final VendorSettings settings;
    private final HttpClient http;

    VendorClient(VendorSettings settings) {
        this.settings = settings;
        this.http = HttpClient.newBuilder().connectTimeout(settings.connectTimeout)
                .followRedirects(HttpClient.Redirect.NEVER).build();
    }

    /** A session the vendor created: its id and the page the person goes to. */
    record Session(String id, URI url) {
    }

    Session createSession(IdentityCase identityCase, String language) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("reference", identityCase.id());
        body.put("attempt", identityCase.currentAttempt() == null ? 1 : identityCase.currentAttempt().number());
        body.put("language", "en".equals(language) ? "en" : "fr");
        if (settings.callbackUrl != null) {
            body.put("callback_url", settings.callbackUrl);
        }
        if (settings.returnUrl != null) {
            body.put("return_url", settings.returnUrl);
        }
        if (settings.sendExpectedPerson) {
            Map<String, Object> expected = new LinkedHashMap<>();
            expected.put("surname", identityCase.surname());
            expected.put("given_names", identityCase.givenNames());
            expected.put("birth_date", identityCase.birthDate() == null ? null : identityCase.birthDate().toString());
            body.put("expected", expected);
        }
        URI endpoint = URI.create(settings.baseUrl + "/sessions");
        HttpResponse<byte[]> answer;
        try {
            HttpRequest request = HttpRequest.newBuilder(endpoint).timeout(settings.requestTimeout)
                    .header("Authorization", "Bearer " + settings.apiKey).header("Content-Type", "application/json")
                    .header("Accept", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(body))).build();
            answer = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw unavailable("the vendor " + endpoint.getHost() + " could not be reached (" + e.getClass().getSimpleName()
                    + ")");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw unavailable("interrupted while waiting for the vendor");
        }
        if (answer.statusCode() != 200 && answer.statusCode() != 201) {
            throw unavailable("the vendor answered HTTP " + answer.statusCode() + " to POST /sessions");
        }
        if (answer.body().length > MAX_ANSWER) {
            throw unavailable("the vendor's answer is over " + MAX_ANSWER + " bytes");
        }
        JsonNode node;
        try {
            node = JSON.readTree(answer.body());
        } catch (IOException e) {
            throw unavailable("the vendor's answer is not JSON");
        }
        String id = node == null ? null : node.path("id").asText(null);
        String url = node == null ? null : node.path("url").asText(null);
        if (id == null || !id.matches("[A-Za-z0-9._:-]{1,200}")) {
            throw unavailable("the vendor's answer has no usable session id");
        }
        URI page;
        try {
            page = VendorSettings.checkUrl("url", url, settings.allowLocalhost, false);
        } catch (IllegalArgumentException e) {
            throw unavailable("the vendor's answer has no usable page URL: " + e.getMessage());
        }
        return new Session(id, page);
    }

    private IdentityException unavailable(String why) {
        LOG.warn("Identity vendor {}: no session created: {}", settings.providerId, why);
        return new IdentityException(IdentityException.Reason.UNAVAILABLE, "provider.unavailable",
                "The identity proofing service is unavailable (" + why + "); try again later.");
    }
}
