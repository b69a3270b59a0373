package io.cachet.identity.vendor.internal;

import java.io.IOException;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.cachet.api.identity.CheckResult;
import io.cachet.api.identity.ProviderResult;

/**
 * Reads a vendor's webhook body (JSON, already authenticated) with the configured field paths and maps its
 * vocabulary (outcome, document types) to Cachet's. Paths name nested objects with dots ({@code document.surname}).
 */
final class ResultMapping {

    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    static final int MAX_TEXT = 200;

    /** The webhook's body cannot be used; the message names the field (never its content beyond the field). */
    static final class MalformedEvent extends Exception {
        private static final long serialVersionUID = 1L;

        MalformedEvent(String message) {
            super(message);
        }
    }

    /** What a webhook said: its unique id, the vendor's session, and the mapped result. */
    record Event(String eventId, String sessionId, String vendorOutcome, ProviderResult result) {
    }

    private final String eventIdField;
    private final String sessionField;
    private final String outcomeField;
    private final String surnameField;
    private final String givenNamesField;
    private final String birthDateField;
    private final String documentTypeField;
    private final String documentNumberField;
    private final String expiryDateField;
    private final String checksField;
    private final Map<String, ProviderResult.Outcome> outcomes;
    private final Map<String, String> documentTypes;

    ResultMapping(String eventIdField, String sessionField, String outcomeField, String surnameField,
            String givenNamesField, String birthDateField, String documentTypeField, String documentNumberField,
            String expiryDateField, String checksField, Map<String, ProviderResult.Outcome> outcomes,
            Map<String, String> documentTypes) {
        this.eventIdField = path("eventIdField", eventIdField, true);
        this.sessionField = path("sessionField", sessionField, true);
        this.outcomeField = path("outcomeField", outcomeField, true);
        this.surnameField = path("surnameField", surnameField, false);
        this.givenNamesField = path("givenNamesField", givenNamesField, false);
        this.birthDateField = path("birthDateField", birthDateField, false);
        this.documentTypeField = path("documentTypeField", documentTypeField, false);
        this.documentNumberField = path("documentNumberField", documentNumberField, false);
        this.expiryDateField = path("expiryDateField", expiryDateField, false);
        this.checksField = path("checksField", checksField, false);
        this.outcomes = Map.copyOf(outcomes);
        this.documentTypes = Map.copyOf(documentTypes);
    }

    private static String path(String field, String value, boolean required) {
        String v = value == null ? "" : value.strip();
        if (v.isEmpty() && required) {
            throw new IllegalArgumentException(field + " is required: the path of the field in the webhook's JSON");
        }
        if (!v.isEmpty() && !v.matches("[A-Za-z0-9_$-]+(\\.[A-Za-z0-9_$-]+)*")) {
            throw new IllegalArgumentException(field + " must be a field path such as document.surname");
        }
        return v;
    }

    /** Parses and maps a webhook's body. */
    Event read(byte[] body) throws MalformedEvent {
        JsonNode root;
        try {
            root = JSON.readTree(body);
        } catch (IOException e) {
            throw new MalformedEvent("The body is not JSON.");
        }
        if (root == null || root.isMissingNode()) {
            throw new MalformedEvent("The body is not JSON.");
        }
        if (!root.isObject()) {
            throw new MalformedEvent("The body must be a JSON object.");
        }
        String eventId = text(root, eventIdField, true);
        String sessionId = text(root, sessionField, true);
        String vendorOutcome = text(root, outcomeField, true);
        ProviderResult.Outcome outcome = outcomes.getOrDefault(vendorOutcome, ProviderResult.Outcome.INCONCLUSIVE);
        String type = text(root, documentTypeField, false);
        if (type != null) {
            type = documentTypes.getOrDefault(type, type);
        }
        List<CheckResult> checks = new ArrayList<>();
        checks.add(new CheckResult("vendor.result", outcome == ProviderResult.Outcome.VERIFIED,
                "vendor outcome '" + vendorOutcome + "' → " + outcome));
        JsonNode checkNode = node(root, checksField);
        if (checkNode != null && !checkNode.isNull()) {
            if (!checkNode.isObject()) {
                throw new MalformedEvent("Field '" + checksField + "' must be an object of true/false checks.");
            }
            for (Iterator<Map.Entry<String, JsonNode>> it = checkNode.fields(); it.hasNext();) {
                Map.Entry<String, JsonNode> e = it.next();
                if (!e.getValue().isBoolean() || !e.getKey().matches("[A-Za-z0-9_.-]{1,64}")) {
                    throw new MalformedEvent("Field '" + checksField + "' must be an object of true/false checks.");
                }
                checks.add(new CheckResult("vendor." + e.getKey(), e.getValue().booleanValue(), ""));
            }
        }
        ProviderResult result = new ProviderResult(outcome, text(root, surnameField, false),
                text(root, givenNamesField, false), date(root, birthDateField), type,
                text(root, documentNumberField, false), date(root, expiryDateField), checks);
        return new Event(eventId, sessionId, vendorOutcome, result);
    }

    private static JsonNode node(JsonNode root, String path) {
        if (path.isEmpty()) {
            return null;
        }
        JsonNode n = root;
        for (String part : path.split("\\.")) {
            if (n == null || !n.isObject()) {
                return null;
            }
            n = n.get(part);
        }
        return n;
    }

    private static String text(JsonNode root, String path, boolean required) throws MalformedEvent {
        JsonNode n = node(root, path);
        if (n == null || n.isNull() || n.isTextual() && n.textValue().isBlank()) {
            if (required) {
                throw new MalformedEvent("Field '" + path + "' is required.");
            }
            return null;
        }
        if (!n.isTextual() && !n.isIntegralNumber()) {
            throw new MalformedEvent("Field '" + path + "' must be a string.");
        }
        String s = n.asText().strip();
        if (s.length() > MAX_TEXT) {
            throw new MalformedEvent("Field '" + path + "' is longer than " + MAX_TEXT + " characters.");
        }
        return s;
    }

    private static LocalDate date(JsonNode root, String path) throws MalformedEvent {
        String s = text(root, path, false);
        if (s == null) {
            return null;
        }
        try {
            return LocalDate.parse(s);
        } catch (DateTimeParseException e) {
            throw new MalformedEvent("Field '" + path + "' must be a date yyyy-MM-dd.");
        }
    }
}
