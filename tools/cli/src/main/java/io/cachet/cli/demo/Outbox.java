package io.cachet.cli.demo;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The messages Cachet kept instead of sending them ({@code GET /api/v1/outbox}, the embedded default for e-mail and
 * SMS): where the demo reads each person's links and codes, as the person would in their mailbox or on their phone.
 */
public final class Outbox {

    /** One message. */
    public record Message(String id, String channel, String to, String subject, String body, String template) {
    }

    private final Http http;

    public Outbox(Http http) {
        this.http = http;
    }

    /** The newest messages of a channel ({@code email}, {@code sms}), newest first. */
    public List<Message> list(String channel) {
        Http.Answer a = http.api("GET", "/api/v1/outbox?channel=" + channel + "&limit=500", null);
        if (a.status() == 404) {
            throw new DemoException("the server sends its e-mail and SMS for real (no outbox): the demo reads the"
                    + " persons' links and codes from the outbox, so run it against a server that keeps them there"
                    + " (the embedded default)", true);
        }
        if (a.status() == 403) {
            throw new DemoException("reading the outbox needs the role admin or operator: " + a.problem(), true);
        }
        JsonNode json = http.expect(a, "reading the outbox", 200);
        List<Message> out = new ArrayList<>();
        for (JsonNode m : json.path("messages")) {
            out.add(new Message(m.path("id").asText(), m.path("channel").asText(), m.path("to").asText(),
                    m.path("subject").asText(), m.path("body").asText(), m.path("template").asText()));
        }
        return out;
    }

    /** The newest message of the channel to {@code to} that matches. */
    public Optional<Message> newest(String channel, String to, Predicate<Message> matching) {
        return list(channel).stream().filter(m -> m.to().equalsIgnoreCase(to)).filter(matching).findFirst();
    }

    /** The first path in {@code body} that starts with {@code prefix} (a link's host is the server's public one). */
    public static Optional<String> path(String body, String prefix) {
        Matcher m = Pattern.compile("(" + Pattern.quote(prefix) + "[A-Za-z0-9_\\-./]+)").matcher(body);
        return m.find() ? Optional.of(m.group(1).replaceAll("[.]+$", "")) : Optional.empty();
    }

    /** The first one-time code of {@code digits} digits in an SMS. */
    public static Optional<String> code(String body, int digits) {
        Matcher m = Pattern.compile("(?<![0-9])([0-9]{" + digits + "})(?![0-9])").matcher(body);
        return m.find() ? Optional.of(m.group(1)) : Optional.empty();
    }
}
