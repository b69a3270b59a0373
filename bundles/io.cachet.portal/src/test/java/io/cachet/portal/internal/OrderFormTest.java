package io.cachet.portal.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.LocalDate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.cachet.api.order.FieldError;
import io.cachet.api.order.Medium;
import io.cachet.api.order.OrderRequest;

/** The order page's fields become the order the API takes, named by the same paths. */
class OrderFormTest {

    static Map<String, String> filled() {
        Map<String, String> p = new HashMap<>();
        p.put("product", "enterprise-plus");
        p.put("validityYears", "2");
        p.put("medium", "usb-c");
        p.put("certificateManager.givenNames", " Anna Maria ");
        p.put("certificateManager.surname", "Eriksson");
        p.put("certificateManager.birthDate", "1974-08-12");
        p.put("certificateManager.email", "anna@example.org");
        p.put("certificateManager.mobile", "06 12 34 56 78");
        p.put("legalRepresentative.sameAsCertificateManager", "true");
        p.put("legalRepresentative.givenNames", "ignored");
        p.put("organisation.name", "ACME SAS");
        p.put("organisation.country", "fr");
        p.put("organisation.identifier", "552100554");
        p.put("organisation.vat", "");
        p.put("organisation.address.lines[0]", "1 rue de la Paix");
        p.put("organisation.address.postalCode", "75002");
        p.put("organisation.address.city", "Paris");
        p.put("organisation.address.country", "FR");
        p.put("delivery.beneficiary", "Anna Maria Eriksson");
        p.put("delivery.address.lines[0]", "2 rue X");
        p.put("delivery.address.lines[1]", "Bâtiment B");
        p.put("delivery.address.postalCode", "75001");
        p.put("delivery.address.city", "Paris");
        p.put("delivery.address.country", "FR");
        p.put("unknown.field", "dropped");
        return p;
    }

    @Test
    void aFilledFormIsTheOrder() {
        OrderForm.Parsed parsed = OrderForm.read(filled()::get).parse();
        assertEquals(List.of(), parsed.errors());
        OrderRequest r = parsed.request();
        assertEquals("enterprise-plus", r.product());
        assertEquals(2, r.validityYears());
        assertEquals(Medium.USB_C, r.medium());
        assertEquals("Anna Maria", r.certificateManager().givenNames());
        assertEquals(LocalDate.parse("1974-08-12"), r.certificateManager().birthDate());
        assertTrue(r.managerIsLegalRepresentative(), "the box ticked: the legal representative's fields are ignored");
        assertEquals("FR", r.organisation().country());
        assertNull(r.organisation().vat(), "empty VAT is none");
        assertEquals(List.of("1 rue de la Paix"), r.organisation().address().lines());
        assertEquals(List.of("2 rue X", "Bâtiment B"), r.delivery().address().lines());
        assertEquals("Anna Maria Eriksson", r.delivery().beneficiary());
    }

    @Test
    void theCloudMediumHasNoDeliveryAndAnotherLegalRepresentativeIsRead() {
        Map<String, String> p = filled();
        p.put("medium", "cloud");
        p.remove("legalRepresentative.sameAsCertificateManager");
        p.put("legalRepresentative.givenNames", "Bob");
        p.put("legalRepresentative.birthDate", "03/02/1968");
        OrderForm.Parsed parsed = OrderForm.read(p::get).parse();
        assertNull(parsed.request().delivery());
        assertEquals("Bob", parsed.request().legalRepresentative().givenNames());
        assertEquals(List.of(new FieldError("legalRepresentative.birthDate", "date", "Give the date as YYYY-MM-DD.")),
                parsed.errors());
    }

    @Test
    void missingChoicesAreNamedAndEachFieldGetsOneMessage() {
        Map<String, String> p = filled();
        p.remove("medium");
        p.put("validityYears", "two");
        OrderForm.Parsed parsed = OrderForm.read(p::get).parse();
        assertEquals(List.of("validityYears", "medium"), parsed.errors().stream().map(FieldError::field).toList());
        List<FieldError> merged = OrderForm.merge(parsed.errors(), List.of(
                new FieldError("medium", "required", "medium is required."),
                new FieldError("organisation.identifier", "luhn", "bad check digit")));
        assertEquals(List.of("validityYears", "medium", "organisation.identifier"),
                merged.stream().map(FieldError::field).toList());
    }

    @Test
    void everyErrorPathFindsItsInput() {
        assertEquals("organisation.identifier", OrderForm.input("organisation.identifier"));
        assertEquals("organisation.address.lines[0]", OrderForm.input("organisation.address.lines"));
        assertEquals("delivery.address.lines[1]", OrderForm.input("delivery.address.lines[1]"));
        assertEquals("delivery.beneficiary", OrderForm.input("delivery"));
        assertEquals(OrderForm.SAME, OrderForm.input("legalRepresentative"));
        assertNull(OrderForm.input("something.else"));
        assertEquals("f-organisation-address-lines-0", OrderServlet.id("organisation.address.lines[0]"));
    }

    @Test
    void overlongValuesAreCut() {
        Map<String, String> p = filled();
        p.put("organisation.name", "x".repeat(5000));
        assertEquals(OrderForm.MAX_VALUE, OrderForm.read(p::get).value("organisation.name").length());
    }
}
