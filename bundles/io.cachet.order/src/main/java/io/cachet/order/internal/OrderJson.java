package io.cachet.order.internal;

import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.swagger.v3.oas.annotations.media.Schema;

import io.cachet.api.order.Delivery;
import io.cachet.api.order.FieldError;
import io.cachet.api.order.Medium;
import io.cachet.api.order.OrderRequest;
import io.cachet.api.order.Organisation;
import io.cachet.api.order.Person;
import io.cachet.api.order.PostalAddress;

/**
 * The order as JSON, both ways: the API's request body (and the stored copy) read into an {@link OrderRequest}
 * with a {@link FieldError} for every value of the wrong type, and an {@link OrderRequest} written back in the
 * same shape. Fields the API does not know are ignored (documented in the README); values of known fields must
 * have their type (a number given as a string is an error naming the field).
 */
final class OrderJson {

    static final ObjectMapper MAPPER = new ObjectMapper();

    private OrderJson() {
    }

    /** What a body gave: the request (with nulls where a value was missing or unreadable) and the errors so far. */
    record Parsed(OrderRequest request, String language, List<FieldError> errors) {
    }

    static Parsed parse(JsonNode body) {
        List<FieldError> errors = new ArrayList<>();
        if (body == null || !body.isObject()) {
            errors.add(new FieldError("", "invalid", "The order must be a JSON object."));
            return new Parsed(new OrderRequest(null, 0, null, null, null, null, null), null, errors);
        }
        Reader r = new Reader(errors);
        String product = r.text(body, "product");
        int validity = r.integer(body, "validityYears");
        String mediumText = r.text(body, "medium");
        Medium medium = null;
        if (mediumText != null) {
            medium = Medium.parse(mediumText).orElse(null);
            if (medium == null) {
                errors.add(new FieldError("medium", "invalid", "Medium must be usb-a, usb-c or cloud."));
            }
        }
        Person manager = r.person(body, "certificateManager");
        Person legal = null;
        JsonNode lr = r.object(body, "legalRepresentative");
        if (lr != null) {
            JsonNode same = lr.get("sameAsCertificateManager");
            if (same != null && !same.isNull() && !same.isBoolean()) {
                errors.add(new FieldError("legalRepresentative.sameAsCertificateManager", "invalid",
                        "sameAsCertificateManager must be true or false."));
            } else if (same != null && same.asBoolean()) {
                r.sameAsManager(lr, manager);
            } else {
                legal = r.person(body, "legalRepresentative");
            }
        }
        Organisation organisation = r.organisation(body);
        Delivery delivery = null;
        JsonNode d = r.object(body, "delivery");
        if (d != null) {
            delivery = new Delivery(r.text(d, "delivery", "beneficiary"), r.address(d, "delivery.address"));
        }
        String language = r.text(body, "language");
        return new Parsed(new OrderRequest(product, validity, medium, manager, legal, organisation, delivery),
                language, errors);
    }

    /** Reads values, recording an error for each of the wrong type. */
    private static final class Reader {
        private final List<FieldError> errors;

        Reader(List<FieldError> errors) {
            this.errors = errors;
        }

        private static String path(String parent, String field) {
            return parent == null || parent.isEmpty() ? field : parent + "." + field;
        }

        String text(JsonNode node, String field) {
            return text(node, null, field);
        }

        String text(JsonNode node, String parent, String field) {
            JsonNode v = node.get(field);
            if (v == null || v.isNull()) {
                return null;
            }
            if (!v.isTextual()) {
                errors.add(new FieldError(path(parent, field), "invalid", field + " must be a string."));
                return null;
            }
            return v.textValue();
        }

        int integer(JsonNode node, String field) {
            JsonNode v = node.get(field);
            if (v == null || v.isNull()) {
                return 0;
            }
            if (!v.isIntegralNumber() || !v.canConvertToInt()) {
                errors.add(new FieldError(field, "invalid", field + " must be a whole number, e.g. 1."));
                return -1;
            }
            return v.intValue();
        }

        /** The object at {@code path} (dotted, under the body), or null when absent or not an object (then an error). */
        JsonNode object(JsonNode body, String path) {
            JsonNode v = body;
            for (String part : path.split("\\.")) {
                v = v == null ? null : v.get(part);
            }
            if (v == null || v.isNull()) {
                return null;
            }
            if (!v.isObject()) {
                errors.add(new FieldError(path, "invalid", path + " must be an object."));
                return null;
            }
            return v;
        }

        Person person(JsonNode body, String path) {
            JsonNode p = object(body, path);
            if (p == null) {
                return null;
            }
            return new Person(text(p, path, "givenNames"), text(p, path, "surname"), date(p, path, "birthDate"),
                    text(p, path, "email"), text(p, path, "mobile"));
        }

        LocalDate date(JsonNode node, String parent, String field) {
            String s = text(node, parent, field);
            if (s == null) {
                return null;
            }
            try {
                return LocalDate.parse(s.strip());
            } catch (DateTimeParseException e) {
                errors.add(new FieldError(path(parent, field), "invalid",
                        "The date must be written YYYY-MM-DD, e.g. 1974-08-12."));
                return null;
            }
        }

        /**
         * {@code "sameAsCertificateManager": true} with person fields: each must say the same as the certificate
         * manager's (one person, one identification), else it is an error naming the field.
         */
        void sameAsManager(JsonNode lr, Person manager) {
            String p = "legalRepresentative";
            Iterator<String> names = lr.fieldNames();
            while (names.hasNext()) {
                String f = names.next();
                if (f.equals("sameAsCertificateManager") || lr.get(f).isNull()) {
                    continue;
                }
                boolean differs;
                switch (f) {
                case "givenNames" -> differs = manager == null || !sameText(text(lr, p, f), manager.givenNames());
                case "surname" -> differs = manager == null || !sameText(text(lr, p, f), manager.surname());
                case "email" -> differs = manager == null || !sameText(text(lr, p, f), manager.email());
                case "mobile" -> differs = manager == null || !sameText(digitsOf(text(lr, p, f)), digitsOf(manager.mobile()));
                case "birthDate" -> differs = manager == null || !Objects.equals(date(lr, p, f), manager.birthDate());
                default -> differs = false;
                }
                if (differs) {
                    errors.add(new FieldError(p + "." + f, "differs-from-manager", "The legal representative is said"
                            + " to be the certificate manager (sameAsCertificateManager) but " + f + " differs from"
                            + " the certificate manager's: give the same value, or describe the legal representative"
                            + " as another person without sameAsCertificateManager."));
                }
            }
        }

        Organisation organisation(JsonNode body) {
            JsonNode o = object(body, "organisation");
            if (o == null) {
                return null;
            }
            String p = "organisation";
            return new Organisation(text(o, p, "name"), text(o, p, "country"), text(o, p, "identifier"),
                    text(o, p, "vat"), address(o, "organisation.address"));
        }

        /** The {@code address} object of {@code parent}, whose path is {@code path}. */
        PostalAddress address(JsonNode parent, String path) {
            JsonNode a = parent.get("address");
            if (a == null || a.isNull()) {
                return null;
            }
            if (!a.isObject()) {
                errors.add(new FieldError(path, "invalid", path + " must be an object."));
                return null;
            }
            List<String> lines = new ArrayList<>();
            JsonNode l = a.get("lines");
            if (l != null && !l.isNull()) {
                if (!l.isArray()) {
                    errors.add(new FieldError(path + ".lines", "invalid", "lines must be an array of strings."));
                } else {
                    for (int i = 0; i < l.size(); i++) {
                        JsonNode line = l.get(i);
                        if (line.isNull() || !line.isTextual()) {
                            errors.add(new FieldError(path + ".lines[" + i + "]", "invalid", "Each line must be a string."));
                            lines.add("");
                        } else {
                            lines.add(line.textValue());
                        }
                    }
                }
            }
            return new PostalAddress(lines, text(a, path, "postalCode"), text(a, path, "city"), text(a, path, "country"));
        }
    }

    static boolean sameText(String a, String b) {
        return a != null && b != null && norm(a).equals(norm(b));
    }

    static String norm(String s) {
        return s.strip().replaceAll("\\s+", " ").toLowerCase(Locale.ROOT);
    }

    private static String digitsOf(String s) {
        return s == null ? null : s.replaceAll("[^0-9]", "");
    }

    // ---- writing: the same shape as the input

    @Schema(name = "OrderPerson", description = "A person named by an order")
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record PersonView(String givenNames, String surname, @Schema(format = "date") String birthDate, String email,
            @Schema(description = "E.164, e.g. +33612345678") String mobile) {
        static PersonView of(Person p) {
            return p == null ? null : new PersonView(p.givenNames(), p.surname(),
                    p.birthDate() == null ? null : p.birthDate().toString(), p.email(), p.mobile());
        }
    }

    @Schema(name = "OrderLegalRepresentative", description = "Either {\"sameAsCertificateManager\": true} or a person")
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record LegalView(Boolean sameAsCertificateManager, String givenNames, String surname,
            @Schema(format = "date") String birthDate, String email, String mobile) {
        static LegalView of(OrderRequest r) {
            if (r.managerIsLegalRepresentative()) {
                return new LegalView(Boolean.TRUE, null, null, null, null, null);
            }
            PersonView p = PersonView.of(r.legalRepresentative());
            return new LegalView(null, p.givenNames(), p.surname(), p.birthDate(), p.email(), p.mobile());
        }
    }

    @Schema(name = "PostalAddress")
    record AddressView(List<String> lines, String postalCode, String city,
            @Schema(description = "ISO 3166-1 alpha-2") String country) {
        static AddressView of(PostalAddress a) {
            return a == null ? null : new AddressView(a.lines(), a.postalCode(), a.city(), a.country());
        }
    }

    @Schema(name = "OrderOrganisation")
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record OrganisationView(String name, @Schema(description = "ISO 3166-1 alpha-2") String country,
            @Schema(description = "France: SIREN (9 digits) or SIRET (14 digits)") String identifier, String vat,
            AddressView address) {
        static OrganisationView of(Organisation o) {
            return o == null ? null
                    : new OrganisationView(o.name(), o.country(), o.identifier(), o.vat(), AddressView.of(o.address()));
        }
    }

    @Schema(name = "OrderDelivery")
    record DeliveryView(String beneficiary, AddressView address) {
        static DeliveryView of(Delivery d) {
            return d == null ? null : new DeliveryView(d.beneficiary(), AddressView.of(d.address()));
        }
    }

    /** The request as the API takes it (stored as such too). */
    @Schema(name = "OrderRequest", description = "An order as submitted")
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record RequestView(@Schema(example = "enterprise-plus") String product,
            @Schema(allowableValues = { "1", "2", "3" }) int validityYears,
            @Schema(allowableValues = { "usb-a", "usb-c", "cloud" }) String medium, PersonView certificateManager,
            LegalView legalRepresentative, OrganisationView organisation,
            @Schema(description = "Required for usb-a and usb-c; ignored for cloud") DeliveryView delivery,
            @Schema(allowableValues = { "fr", "en" }, description = "the customer's language; default fr") String language) {
        static RequestView of(OrderRequest r, String language) {
            return new RequestView(r.product(), r.validityYears(), r.medium() == null ? null : r.medium().id(),
                    PersonView.of(r.certificateManager()), LegalView.of(r), OrganisationView.of(r.organisation()),
                    DeliveryView.of(r.delivery()), language);
        }
    }

    /** The stored form of a validated request. */
    static String write(OrderRequest r) {
        try {
            return MAPPER.writeValueAsString(RequestView.of(r, null));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Reads a stored request back (it was valid when stored). */
    static OrderRequest read(String json) {
        try {
            return parse(MAPPER.readTree(json)).request();
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("unreadable stored order", e);
        }
    }
}
