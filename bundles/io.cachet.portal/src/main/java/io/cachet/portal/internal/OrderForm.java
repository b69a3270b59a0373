package io.cachet.portal.internal;

import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

import io.cachet.api.order.Delivery;
import io.cachet.api.order.FieldError;
import io.cachet.api.order.Medium;
import io.cachet.api.order.OrderRequest;
import io.cachet.api.order.Organisation;
import io.cachet.api.order.Person;
import io.cachet.api.order.PostalAddress;

/**
 * The order page's fields, named by the JSON paths of the order ({@code organisation.identifier},
 * {@code delivery.address.lines[0]}), so that the order service's {@link FieldError#field()} names the input it is
 * about. Reads the posted values, keeps them for showing the form again, and builds the {@link OrderRequest}.
 * Plain Java; immutable.
 */
final class OrderForm {

    static final String SAME = "legalRepresentative.sameAsCertificateManager";
    static final List<String> PERSON = List.of("givenNames", "surname", "birthDate", "email", "mobile");
    static final List<String> ADDRESS = List.of("lines[0]", "lines[1]", "postalCode", "city", "country");
    static final int MAX_VALUE = 500;

    /** Every field of the form, in the order it shows them. */
    static final List<String> FIELDS;

    static {
        List<String> f = new ArrayList<>(List.of("product", "validityYears", "medium"));
        PERSON.forEach(p -> f.add("certificateManager." + p));
        f.add(SAME);
        PERSON.forEach(p -> f.add("legalRepresentative." + p));
        f.addAll(List.of("organisation.name", "organisation.country", "organisation.identifier", "organisation.vat"));
        ADDRESS.forEach(a -> f.add("organisation.address." + a));
        f.add("delivery.beneficiary");
        ADDRESS.forEach(a -> f.add("delivery.address." + a));
        FIELDS = List.copyOf(f);
    }

    private final Map<String, String> values;

    private OrderForm(Map<String, String> values) {
        this.values = values;
    }

    /** The form as posted: each known field's value, stripped, at most {@value #MAX_VALUE} characters. */
    static OrderForm read(Function<String, String> parameter) {
        Map<String, String> v = new LinkedHashMap<>();
        for (String name : FIELDS) {
            String value = parameter.apply(name);
            value = value == null ? "" : value.strip();
            v.put(name, value.length() > MAX_VALUE ? value.substring(0, MAX_VALUE) : value);
        }
        return new OrderForm(v);
    }

    /** An empty form with the first offer chosen and France as the country. */
    static OrderForm initial(String product, Integer validity, String medium) {
        Map<String, String> v = new LinkedHashMap<>();
        FIELDS.forEach(f -> v.put(f, ""));
        v.put("product", product == null ? "" : product);
        v.put("validityYears", validity == null ? "" : String.valueOf(validity));
        v.put("medium", medium == null ? "" : medium);
        v.put("organisation.country", "FR");
        v.put("organisation.address.country", "FR");
        v.put("delivery.address.country", "FR");
        return new OrderForm(v);
    }

    Map<String, String> values() {
        return java.util.Collections.unmodifiableMap(values);
    }

    String value(String name) {
        return values.getOrDefault(name, "");
    }

    boolean sameAsManager() {
        return "true".equals(value(SAME)) || "on".equals(value(SAME));
    }

    Optional<Medium> medium() {
        return Medium.parse(value("medium"));
    }

    /** What was read, and the errors found before the order service looks at it (a date, a number). */
    record Parsed(OrderRequest request, List<FieldError> errors) {
    }

    Parsed parse() {
        List<FieldError> errors = new ArrayList<>();
        String product = blankToNull(value("product"));
        if (product == null) {
            errors.add(new FieldError("product", "required", "Choose a product."));
        }
        int validity = 0;
        try {
            validity = Integer.parseInt(value("validityYears"));
        } catch (NumberFormatException e) {
            errors.add(new FieldError("validityYears", "required", "Choose a validity."));
        }
        Medium medium = medium().orElse(null);
        if (medium == null) {
            errors.add(new FieldError("medium", "required", "Choose a medium."));
        }
        Person manager = person("certificateManager", errors);
        Person legal = sameAsManager() ? null : person("legalRepresentative", errors);
        Organisation organisation = new Organisation(blankToNull(value("organisation.name")),
                upper(value("organisation.country")), blankToNull(value("organisation.identifier")),
                blankToNull(value("organisation.vat")), address("organisation.address"));
        Delivery delivery = medium != null && medium.token()
                ? new Delivery(blankToNull(value("delivery.beneficiary")), address("delivery.address"))
                : null;
        return new Parsed(new OrderRequest(product, validity, medium, manager, legal, organisation, delivery), errors);
    }

    private Person person(String prefix, List<FieldError> errors) {
        LocalDate birth = null;
        String b = value(prefix + ".birthDate");
        if (!b.isEmpty()) {
            try {
                birth = LocalDate.parse(b);
            } catch (DateTimeParseException e) {
                errors.add(new FieldError(prefix + ".birthDate", "date", "Give the date as YYYY-MM-DD."));
            }
        }
        return new Person(blankToNull(value(prefix + ".givenNames")), blankToNull(value(prefix + ".surname")), birth,
                blankToNull(value(prefix + ".email")), blankToNull(value(prefix + ".mobile")));
    }

    private PostalAddress address(String prefix) {
        List<String> lines = new ArrayList<>();
        lines.add(value(prefix + ".lines[0]"));
        if (!value(prefix + ".lines[1]").isEmpty()) {
            lines.add(value(prefix + ".lines[1]"));
        }
        return new PostalAddress(lines, blankToNull(value(prefix + ".postalCode")),
                blankToNull(value(prefix + ".city")), upper(value(prefix + ".country")));
    }

    /**
     * The form's own errors, then the order service's for fields not already named (a field gets one message:
     * the first), keeping their order.
     */
    static List<FieldError> merge(List<FieldError> local, List<FieldError> service) {
        Set<String> named = new LinkedHashSet<>();
        List<FieldError> out = new ArrayList<>();
        for (List<FieldError> list : List.of(local, service)) {
            for (FieldError e : list) {
                if (named.add(e.field())) {
                    out.add(e);
                }
            }
        }
        return out;
    }

    /**
     * The input an error is shown next to: its field when the form has one, else the nearest enclosing field the
     * form has ({@code organisation.address.lines} → {@code organisation.address.lines[0]}), else null (shown in
     * the summary at the top only).
     */
    static String input(String field) {
        if (field == null) {
            return null;
        }
        if (FIELDS.contains(field)) {
            return field;
        }
        if (FIELDS.contains(field + "[0]")) {
            return field + "[0]";
        }
        return switch (field) {
            case "legalRepresentative" -> SAME;
            case "certificateManager" -> "certificateManager.givenNames";
            case "organisation" -> "organisation.name";
            case "organisation.address" -> "organisation.address.lines[0]";
            case "delivery" -> "delivery.beneficiary";
            case "delivery.address" -> "delivery.address.lines[0]";
            default -> null;
        };
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }

    private static String upper(String s) {
        return s == null || s.isBlank() ? null : s.toUpperCase(java.util.Locale.ROOT);
    }
}
