package io.cachet.order.console.internal;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

import io.cachet.api.order.OrderQuery;
import io.cachet.api.order.OrderState;

/**
 * The order list's search form, read from the request's parameters: {@code q} (text: id, organisation, a person's
 * name or e-mail), {@code state}, {@code reseller}, {@code from} and {@code to} (dates, {@code yyyy-MM-dd}, UTC, both
 * included), {@code after} (the cursor of the next page). A value that cannot be read is left out of the query and
 * reported by its field, so the page shows the list without it and says what to fix.
 *
 * @param query what to ask the orders for
 * @param values the values as typed (stripped), by field, to fill the form again and build the next page's link
 * @param errors message keys of the values refused, by field
 */
record ListQuery(OrderQuery query, Map<String, String> values, Map<String, String> errors) {

    /** Orders per page. */
    static final int PAGE = 25;
    /** Longest search text and reseller id taken. */
    static final int MAX_TEXT = 200;
    /** The form's fields, in the order the next page's link repeats them. */
    static final String[] FIELDS = {"q", "state", "reseller", "from", "to"};

    static ListQuery parse(Function<String, String> parameter) {
        Map<String, String> values = new LinkedHashMap<>();
        Map<String, String> errors = new LinkedHashMap<>();
        for (String f : FIELDS) {
            String v = parameter.apply(f);
            values.put(f, v == null ? "" : v.strip());
        }
        String text = values.get("q");
        if (text.length() > MAX_TEXT) {
            errors.put("q", "order-console.list.error.q");
            text = "";
        }
        OrderState state = null;
        if (!values.get("state").isEmpty()) {
            try {
                state = OrderState.valueOf(values.get("state").toUpperCase(Locale.ROOT));
                values.put("state", state.name());
            } catch (IllegalArgumentException e) {
                errors.put("state", "order-console.list.error.state");
            }
        }
        String reseller = values.get("reseller");
        if (reseller.length() > MAX_TEXT) {
            errors.put("reseller", "order-console.list.error.reseller");
            reseller = "";
        }
        Instant from = day(values.get("from"), 0, "from", errors);
        Instant to = day(values.get("to"), 1, "to", errors);
        if (from != null && to != null && !from.isBefore(to)) {
            errors.put("to", "order-console.list.error.range");
            to = null;
        }
        String after = parameter.apply("after");
        if (after != null && (after.length() > MAX_TEXT || after.isBlank())) {
            after = null;
        }
        OrderQuery query = new OrderQuery(state, reseller.isEmpty() ? null : reseller, from, to,
                text.isEmpty() ? null : text, after, PAGE);
        return new ListQuery(query, values, errors);
    }

    /** The start of the day {@code plusDays} after the date typed (UTC), or null when none or unreadable. */
    private static Instant day(String typed, int plusDays, String field, Map<String, String> errors) {
        if (typed.isEmpty()) {
            return null;
        }
        try {
            return LocalDate.parse(typed).plusDays(plusDays).atStartOfDay(ZoneOffset.UTC).toInstant();
        } catch (DateTimeParseException e) {
            errors.put(field, "order-console.list.error.date");
            return null;
        }
    }

    /** The query string of this search (without the cursor), URL-encoded, for the next page's link. */
    String search() {
        StringBuilder b = new StringBuilder();
        for (Map.Entry<String, String> e : values.entrySet()) {
            if (!e.getValue().isEmpty() && !errors.containsKey(e.getKey())) {
                b.append(b.length() == 0 ? "" : "&").append(e.getKey()).append('=')
                        .append(java.net.URLEncoder.encode(e.getValue(), java.nio.charset.StandardCharsets.UTF_8));
            }
        }
        return b.toString();
    }
}
