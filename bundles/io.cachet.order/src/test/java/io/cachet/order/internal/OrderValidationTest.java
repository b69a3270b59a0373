package io.cachet.order.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.cachet.api.order.FieldError;
import io.cachet.api.order.OrderRequest;

/**
 * The validation table: one valid order changed in one or a few places, read and validated as the API does, and
 * the field and code of the error it must give (or none).
 */
class OrderValidationTest {

    /** 2026-12-02: the person born 2008-12-02 is 18 today. */
    static final Clock CLOCK = Clock.fixed(Instant.parse("2026-12-02T10:00:00Z"), ZoneOffset.UTC);
    static final OrderValidator VALIDATOR = new OrderValidator(Catalogue.of(Defaults.catalogue())::products, CLOCK);

    static final String VALID = """
            {"product": "enterprise-plus", "validityYears": 1, "medium": "cloud",
             "certificateManager": {"givenNames": "Anna Maria", "surname": "Eriksson", "birthDate": "1974-08-12",
                                    "email": "anna@example.org", "mobile": "+33612345678"},
             "legalRepresentative": {"sameAsCertificateManager": true},
             "organisation": {"name": "ACME SAS", "country": "FR", "identifier": "552100554", "vat": "FR96552100554",
                              "address": {"lines": ["1 rue de la Paix"], "postalCode": "75002", "city": "Paris", "country": "FR"}},
             "delivery": {"beneficiary": "Anna Maria Eriksson", "address": {"lines": ["8 rue des Lilas"], "postalCode": "69003", "city": "Lyon", "country": "FR"}}}
            """;

    static final String OTHER_PERSON = """
            {"givenNames": "Jean", "surname": "Dupont", "birthDate": "1960-03-01", "email": "jean@example.org",
             "mobile": "+33698765432"}""";

    /** The errors of {@code VALID} with {@code changes}: "path=json" pairs, path dotted ("a.b"), json "-" removes. */
    static List<FieldError> errors(String... changes) {
        try {
            ObjectNode body = (ObjectNode) OrderJson.MAPPER.readTree(VALID);
            for (String change : changes) {
                int eq = change.indexOf('=');
                String[] path = change.substring(0, eq).split("\\.");
                String json = change.substring(eq + 1);
                ObjectNode parent = body;
                for (int i = 0; i < path.length - 1; i++) {
                    parent = (ObjectNode) parent.get(path[i]);
                }
                String last = path[path.length - 1];
                if (json.equals("-")) {
                    parent.remove(last);
                } else {
                    parent.set(last, OrderJson.MAPPER.readTree(json));
                }
            }
            OrderJson.Parsed parsed = OrderJson.parse(body);
            return OrderJson.merge(parsed.errors(), VALIDATOR.check(parsed.request()).errors());
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException(e);
        }
    }

    static Stream<Arguments> valid() {
        return Stream.of(
                Arguments.of("the issue's example", new String[0]),
                Arguments.of("a SIRET", new String[] {"organisation.identifier=\"55210055400005\""}),
                Arguments.of("a SIREN with spaces", new String[] {"organisation.identifier=\"552 100 554\""}),
                Arguments.of("a La Poste SIRET, digit sum a multiple of 5 (not Luhn)",
                        new String[] {"organisation.identifier=\"35600000049837\"", "organisation.vat=null"}),
                Arguments.of("La Poste's head office SIRET (Luhn)",
                        new String[] {"organisation.identifier=\"35600000000048\"", "organisation.vat=null"}),
                Arguments.of("a VAT number written loosely", new String[] {"organisation.vat=\"fr 96 552 100 554\""}),
                Arguments.of("no VAT number", new String[] {"organisation.vat=-"}),
                Arguments.of("a French mobile in national form", new String[] {"certificateManager.mobile=\"06 12 34 56 78\""}),
                Arguments.of("a German organisation", new String[] {"organisation.country=\"DE\"",
                    "organisation.identifier=\"HRB 12345\"", "organisation.vat=\"DE123456789\"",
                    "organisation.address={\"lines\": [\"Unter den Linden 1\"], \"postalCode\": \"10117\", \"city\": \"Berlin\", \"country\": \"DE\"}",
                    "certificateManager.mobile=\"+4915112345678\""}),
                Arguments.of("a Belgian organisation", new String[] {"organisation.country=\"BE\"",
                    "organisation.identifier=\"0123456749\"", "organisation.vat=\"BE0123456749\"",
                    "organisation.address={\"lines\": [\"Rue Neuve 1\"], \"postalCode\": \"1000\", \"city\": \"Bruxelles\", \"country\": \"BE\"}"}),
                Arguments.of("a Greek VAT number starts with EL", new String[] {"organisation.country=\"GR\"",
                    "organisation.identifier=\"123456789\"", "organisation.vat=\"EL123456789\"",
                    "organisation.address={\"lines\": [\"Odos 1\"], \"postalCode\": \"10558\", \"city\": \"Athina\", \"country\": \"GR\"}"}),
                Arguments.of("another person as legal representative", new String[] {"legalRepresentative=" + OTHER_PERSON}),
                Arguments.of("sameAsCertificateManager with the same birth date",
                        new String[] {"legalRepresentative={\"sameAsCertificateManager\": true, \"birthDate\": \"1974-08-12\"}"}),
                Arguments.of("a token with its delivery", new String[] {"medium=\"usb-a\""}),
                Arguments.of("a delivery sent with a cloud order is ignored", new String[] {"delivery={\"beneficiary\": \"\"}"}),
                Arguments.of("unknown fields are ignored", new String[] {"colour=\"blue\"", "certificateManager.nickname=\"Ann\""}),
                Arguments.of("18 today", new String[] {"certificateManager.birthDate=\"2008-12-02\""}),
                Arguments.of("three address lines", new String[] {"organisation.address.lines=[\"a\", \"b\", \"c\"]"}),
                Arguments.of("a plus address", new String[] {"certificateManager.email=\"anna+cachet@mail.example.co.uk\""}));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource
    void valid(String name, String[] changes) {
        assertEquals(List.of(), errors(changes));
    }

    static Stream<Arguments> invalid() {
        return Stream.of(
                // SIREN, SIRET
                Arguments.of("organisation.identifier=\"552100555\"", "organisation.identifier", "luhn"),
                Arguments.of("organisation.identifier=\"55210055400006\"", "organisation.identifier", "luhn"),
                Arguments.of("organisation.identifier=\"35600000000049\"", "organisation.identifier", "luhn"),
                Arguments.of("organisation.identifier=\"12345\"", "organisation.identifier", "invalid"),
                Arguments.of("organisation.identifier=\"55210055A\"", "organisation.identifier", "invalid"),
                Arguments.of("organisation.identifier=-", "organisation.identifier", "required"),
                Arguments.of("organisation.identifier=552100554", "organisation.identifier", "invalid"),
                // VAT
                Arguments.of("organisation.vat=\"FR97552100554\"", "organisation.vat", "vat-key"),
                Arguments.of("organisation.vat=\"FR44732829320\"", "organisation.vat", "vat-mismatch"),
                Arguments.of("organisation.vat=\"DE123456789\"", "organisation.vat", "vat-country"),
                Arguments.of("organisation.vat=\"FR9655210055\"", "organisation.vat", "invalid"),
                Arguments.of("organisation.country=\"DE\"|organisation.identifier=\"HRB1\"|organisation.vat=\"DE12345678\""
                        + "|organisation.address.country=\"DE\"|organisation.address.postalCode=\"10117\"",
                        "organisation.vat", "invalid"),
                // countries and addresses
                Arguments.of("organisation.country=\"XX\"", "organisation.country", "invalid-country"),
                Arguments.of("organisation.country=\"FRA\"", "organisation.country", "invalid-country"),
                Arguments.of("organisation.address.country=\"ZZ\"", "organisation.address.country", "invalid-country"),
                Arguments.of("organisation.address.postalCode=\"7500\"", "organisation.address.postalCode", "invalid"),
                Arguments.of("organisation.address.lines=[]", "organisation.address.lines", "required"),
                Arguments.of("organisation.address.lines=[\"a\",\"b\",\"c\",\"d\"]", "organisation.address.lines", "too-many"),
                Arguments.of("organisation.address.lines=[\" \"]", "organisation.address.lines[0]", "required"),
                Arguments.of("organisation.address.city=-", "organisation.address.city", "required"),
                Arguments.of("organisation.address=-", "organisation.address", "required"),
                Arguments.of("organisation.name=\"ACME\\u0000SAS\"", "organisation.name", "invalid"),
                // phones
                Arguments.of("certificateManager.mobile=\"+33142345678\"", "certificateManager.mobile", "not-mobile"),
                Arguments.of("certificateManager.mobile=\"123\"", "certificateManager.mobile", "invalid"),
                Arguments.of("certificateManager.mobile=\"+3361234\"", "certificateManager.mobile", "invalid"),
                Arguments.of("certificateManager.mobile=\"call me\"", "certificateManager.mobile", "invalid"),
                Arguments.of("certificateManager.mobile=-", "certificateManager.mobile", "required"),
                // e-mail
                Arguments.of("certificateManager.email=\"anna@\"", "certificateManager.email", "invalid"),
                Arguments.of("certificateManager.email=\"anna@example\"", "certificateManager.email", "invalid"),
                Arguments.of("certificateManager.email=\"a..b@example.org\"", "certificateManager.email", "invalid"),
                Arguments.of("certificateManager.email=\"anna example.org\"", "certificateManager.email", "invalid"),
                // birth date, names
                Arguments.of("certificateManager.birthDate=\"12/08/1974\"", "certificateManager.birthDate", "invalid"),
                Arguments.of("certificateManager.birthDate=\"2008-12-03\"", "certificateManager.birthDate", "too-young"),
                Arguments.of("certificateManager.birthDate=\"1890-01-01\"", "certificateManager.birthDate", "implausible"),
                Arguments.of("certificateManager.givenNames=\"\"", "certificateManager.givenNames", "required"),
                Arguments.of("certificateManager.givenNames=\"R2D2\"", "certificateManager.givenNames", "invalid"),
                Arguments.of("certificateManager.surname=\"" + "x".repeat(101) + "\"", "certificateManager.surname", "too-long"),
                Arguments.of("certificateManager.surname=42", "certificateManager.surname", "invalid"),
                Arguments.of("certificateManager=-", "certificateManager", "required"),
                // catalogue
                Arguments.of("product=\"basic\"", "product", "unknown-product"),
                Arguments.of("product=-", "product", "required"),
                Arguments.of("validityYears=5", "validityYears", "not-offered"),
                Arguments.of("validityYears=\"1\"", "validityYears", "invalid"),
                Arguments.of("medium=\"usb\"", "medium", "invalid"),
                // delivery of tokens
                Arguments.of("medium=\"usb-c\"|delivery=-", "delivery", "required"),
                Arguments.of("medium=\"usb-a\"|delivery.address.postalCode=-", "delivery.address.postalCode", "required"),
                Arguments.of("medium=\"usb-a\"|delivery.beneficiary=-", "delivery.beneficiary", "required"),
                Arguments.of("medium=\"usb-a\"|delivery.address.country=\"XX\"", "delivery.address.country", "invalid-country"),
                // the legal representative
                Arguments.of("legalRepresentative=-", "legalRepresentative", "required"),
                Arguments.of("legalRepresentative={\"sameAsCertificateManager\": true, \"birthDate\": \"1975-01-01\"}",
                        "legalRepresentative.birthDate", "differs-from-manager"),
                Arguments.of("legalRepresentative={\"sameAsCertificateManager\": true, \"surname\": \"Other\"}",
                        "legalRepresentative.surname", "differs-from-manager"),
                Arguments.of("legalRepresentative={\"givenNames\": \"anna maria\", \"surname\": \"ERIKSSON\", \"birthDate\":"
                        + " \"1975-01-01\", \"email\": \"Anna@example.org\", \"mobile\": \"+33612345678\"}",
                        "legalRepresentative.birthDate", "differs-from-manager"),
                Arguments.of("legalRepresentative={\"givenNames\": \"Jean\", \"surname\": \"Dupont\", \"birthDate\":"
                        + " \"1960-03-01\", \"email\": \"jean@example.org\"}", "legalRepresentative.mobile", "required"),
                Arguments.of("legalRepresentative={\"sameAsCertificateManager\": \"yes\"}",
                        "legalRepresentative.sameAsCertificateManager", "invalid"));
    }

    @ParameterizedTest(name = "{0} -> {1} {2}")
    @MethodSource
    void invalid(String changes, String field, String code) {
        List<FieldError> errors = errors(changes.split("\\|"));
        assertTrue(errors.stream().anyMatch(e -> e.field().equals(field) && e.code().equals(code)),
                () -> "expected " + field + " " + code + " in " + errors);
        assertTrue(errors.stream().allMatch(e -> !e.message().isBlank()));
    }

    @Test
    void theRequestIsStoredNormalised() throws Exception {
        JsonNode body = OrderJson.MAPPER.readTree(VALID);
        ((ObjectNode) body.get("certificateManager")).put("mobile", "06 12 34 56 78");
        ((ObjectNode) body.get("organisation")).put("vat", "fr96 552 100 554");
        ((ObjectNode) body.get("organisation")).put("country", "fr");
        ((ArrayNode) body.get("organisation").get("address").get("lines")).set(0, "  1   rue de la Paix ");
        OrderValidator.Result r = VALIDATOR.check(OrderJson.parse(body).request());
        assertEquals(List.of(), r.errors());
        OrderRequest o = r.request();
        assertEquals("+33612345678", o.certificateManager().mobile());
        assertEquals("FR96552100554", o.organisation().vat());
        assertEquals("FR", o.organisation().country());
        assertEquals("1 rue de la Paix", o.organisation().address().lines().get(0));
        assertEquals(null, o.delivery(), "a cloud order has no delivery");
        assertTrue(o.managerIsLegalRepresentative());
        assertEquals(o, OrderJson.read(OrderJson.write(o)), "stored and read back unchanged");
    }

    @Test
    void theIdentifierChecksFollowInsee() {
        assertTrue(Identifiers.siren("552100554"));
        assertTrue(!Identifiers.siren("552100555"));
        assertEquals(96, Identifiers.frenchVatKey("552100554"));
        assertTrue(Identifiers.siret("35600000049837"), "La Poste: digit sum 45");
        assertTrue(!Identifiers.luhn("35600000049837"));
        assertTrue(!Identifiers.siret("35600000049838"));
    }
}
