package io.cachet.itest;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.Set;

import javax.inject.Inject;

import org.junit.Before;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.ops4j.pax.exam.util.Filter;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;

import com.fasterxml.jackson.databind.JsonNode;

import io.cachet.api.operator.OperatorDirectory;
import io.cachet.api.order.CheckState;
import io.cachet.api.order.CheckStatus;
import io.cachet.api.order.Order;
import io.cachet.api.order.OrderCheck;
import io.cachet.api.order.OrderRequest;
import io.cachet.api.order.OrderState;
import io.cachet.api.order.Orders;

/**
 * Orders in the running distribution, over real HTTP: the public catalogue; submission (201 + Location, the order in
 * VERIFICATION with both events); validation as problem+json naming the field; Idempotency-Key; list, filters and
 * paging; cancellation and rejection; and an order driven to ACTIVE by checks the test registers, as other
 * modules will. Resellers' isolation is ResellersIT's, with the real reseller module.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class OrdersIT {

    static final String ORDERS = "/api/v1/orders";

    @Inject
    BundleContext context;

    /** The first start's key ceremony can outlast Pax Exam's default 10 s wait on a loaded machine. */
    @Inject
    @Filter(timeout = 120_000)
    Orders orders;

    @Inject
    @Filter(timeout = 120_000)
    OperatorDirectory directory;

    private Probe probe;
    private String admin;

    @Configuration
    public Option[] config() throws Exception {
        Path data = Files.createTempDirectory("cachet-it-");
        return CachetRuntime.options(data, Map.of("ds.lock.timeout.milliseconds", "60000"));
    }

    /** The Orders service now (the injected one may have been replaced when the store switched databases). */
    Orders orders() {
        return context.getService(context.getServiceReference(Orders.class));
    }

    @Before
    public void ready() throws Exception {
        probe = new Probe(context);
        probe.healthy();
        admin = probe.adminApiKey();
    }

    static String order(String organisation, String siren, String medium) {
        String delivery = medium.equals("cloud") ? "" : ", \"delivery\": {\"beneficiary\": \"Anna Maria Eriksson\","
                + " \"address\": {\"lines\": [\"8 rue des Lilas\"], \"postalCode\": \"69003\", \"city\": \"Lyon\","
                + " \"country\": \"FR\"}}";
        return "{\"product\": \"enterprise-plus\", \"validityYears\": 1, \"medium\": \"" + medium + "\","
                + " \"certificateManager\": {\"givenNames\": \"Anna Maria\", \"surname\": \"Eriksson\","
                + " \"birthDate\": \"1974-08-12\", \"email\": \"anna@example.org\", \"mobile\": \"+33612345678\"},"
                + " \"legalRepresentative\": {\"sameAsCertificateManager\": true},"
                + " \"organisation\": {\"name\": \"" + organisation + "\", \"country\": \"FR\", \"identifier\": \""
                + siren + "\", \"vat\": \"FR96552100554\", \"address\": {\"lines\": [\"1 rue de la Paix\"],"
                + " \"postalCode\": \"75002\", \"city\": \"Paris\", \"country\": \"FR\"}}" + delivery + "}";
    }

    private HttpResponse<String> post(String path, String key, String body, String... more) {
        List<String> h = new ArrayList<>(List.of("Authorization", "Bearer " + key, "Content-Type", "application/json"));
        h.addAll(List.of(more));
        return probe.post(path, body, h.toArray(String[]::new));
    }

    private HttpResponse<String> get(String path, String key) {
        return probe.get(path, "Authorization", "Bearer " + key);
    }

    @Test
    public void theCatalogueIsPublic() {
        HttpResponse<String> r = probe.get("/api/v1/catalogue");
        assertEquals(r.body(), 200, r.statusCode());
        JsonNode product = Probe.json(r).path("products").get(0);
        assertEquals("enterprise-plus", product.path("id").asText());
        assertEquals("Qualified electronic seal Enterprise+", product.path("names").path("en").asText());
        assertEquals(3, product.path("validityYears").size());
        assertEquals(9, product.path("prices").size());

        HttpResponse<String> openapi = probe.get("/api/v1/openapi.json", "Authorization", "Bearer " + admin);
        assertEquals(200, openapi.statusCode());
        JsonNode paths = Probe.json(openapi).path("paths");
        for (String p : List.of("/catalogue", "/orders", "/orders/{id}", "/orders/{id}/events",
                "/orders/{id}/cancellation", "/orders/{id}/rejection")) {
            assertTrue(p + " described in " + paths.fieldNames(), paths.has(p) || paths.has("/api/v1" + p));
        }
    }

    @Test
    public void aValidOrderIs201WithItsLocationAndWaitsInVerification() {
        HttpResponse<String> r = post(ORDERS, admin, order("ACME SAS", "552100554", "usb-c"));
        assertEquals(r.body(), 201, r.statusCode());
        JsonNode o = Probe.json(r);
        String id = o.path("id").asText();
        assertTrue(id, id.startsWith("ord_"));
        assertEquals(ORDERS + "/" + id, r.headers().firstValue("Location").orElse(""));
        assertEquals("VERIFICATION", o.path("state").asText());
        assertEquals("+33612345678", o.path("certificateManager").path("mobile").asText());
        assertTrue(o.path("legalRepresentative").path("sameAsCertificateManager").asBoolean());
        assertEquals("Lyon", o.path("delivery").path("address").path("city").asText());
        assertEquals("default", o.path("brand").asText());

        JsonNode read = Probe.json(get(ORDERS + "/" + id, admin));
        assertEquals(id, read.path("id").asText());
        JsonNode events = Probe.json(get(ORDERS + "/" + id + "/events", admin)).path("events");
        assertEquals(2, events.size());
        assertEquals("SUBMITTED", events.get(0).path("to").asText());
        assertTrue(events.get(0).path("from").isNull());
        assertEquals("VERIFICATION", events.get(1).path("to").asText());
        assertTrue(events.get(1).path("actor").asText().startsWith("api:"));
        assertEquals(404, get(ORDERS + "/ord_nosuchorder", admin).statusCode());
    }

    @Test
    public void anInvalidSirenIsAProblemNamingTheField() {
        HttpResponse<String> r = post(ORDERS, admin, order("ACME SAS", "552100555", "cloud"));
        assertEquals(r.body(), 400, r.statusCode());
        assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("application/problem+json"));
        JsonNode errors = Probe.json(r).path("errors");
        boolean named = false;
        for (JsonNode e : errors) {
            named |= e.path("field").asText().equals("organisation.identifier") && e.path("code").asText().equals("luhn");
        }
        assertTrue(r.body(), named);

        HttpResponse<String> several = post(ORDERS, admin, order("ACME SAS", "552100554", "cloud")
                .replace("+33612345678", "+3314").replace("\"FR\", \"identifier\"", "\"XX\", \"identifier\""));
        assertEquals(400, several.statusCode());
        assertTrue(several.body(), several.body().contains("certificateManager.mobile"));
        assertTrue(several.body(), several.body().contains("organisation.country"));

        HttpResponse<String> language = post(ORDERS, admin, order("ACME SAS", "552100554", "cloud")
                .replace("{\"product\"", "{\"language\": \"de\", \"product\""));
        assertEquals(400, language.statusCode());
        assertTrue(language.body(), language.body().contains("\"field\":\"language\""));

        HttpResponse<String> huge = post(ORDERS, admin, "{\"x\": \"" + "a".repeat(40_000) + "\"}");
        assertEquals(413, huge.statusCode());
    }

    @Test
    public void anIdempotencyKeyGivesBackTheFirstOrderAndRefusesAnotherBody() {
        String key = "itest-" + System.nanoTime();
        String body = order("Idem SAS", "552100554", "cloud");
        HttpResponse<String> first = post(ORDERS, admin, body, "Idempotency-Key", key);
        assertEquals(first.body(), 201, first.statusCode());
        HttpResponse<String> again = post(ORDERS, admin, body, "Idempotency-Key", key);
        assertEquals(again.body(), 200, again.statusCode());
        assertEquals(Probe.json(first).path("id").asText(), Probe.json(again).path("id").asText());
        HttpResponse<String> other = post(ORDERS, admin, body.replace("Idem SAS", "Other SAS"), "Idempotency-Key", key);
        assertEquals(other.body(), 409, other.statusCode());
    }

    @Test
    public void ordersAreListedFilteredAndPaged() {
        String tag = "Paged" + System.nanoTime();
        Set<String> made = new java.util.HashSet<>();
        for (int i = 0; i < 3; i++) {
            made.add(Probe.json(post(ORDERS, admin, order(tag + " SAS", "552100554", "cloud"))).path("id").asText());
        }
        JsonNode page1 = Probe.json(get(ORDERS + "?q=" + tag.toLowerCase() + "&limit=2", admin));
        assertEquals(2, page1.path("orders").size());
        String next = page1.path("next").asText();
        JsonNode page2 = Probe.json(get(ORDERS + "?q=" + tag + "&limit=2&after=" + next, admin));
        assertEquals(1, page2.path("orders").size());
        assertTrue(page2.path("next").isNull());
        Set<String> seen = new java.util.HashSet<>();
        page1.path("orders").forEach(o -> seen.add(o.path("id").asText()));
        page2.path("orders").forEach(o -> seen.add(o.path("id").asText()));
        assertEquals(made, seen);
        assertEquals(0, Probe.json(get(ORDERS + "?q=" + tag + "&state=ACTIVE", admin)).path("orders").size());
        assertEquals(3, Probe.json(get(ORDERS + "?q=" + tag + "&state=VERIFICATION&from="
                + Instant.now().minusSeconds(3600), admin)).path("orders").size());
        assertEquals(400, get(ORDERS + "?state=NOPE", admin).statusCode());
    }

    @Test
    public void cancellationAndRejectionAreOneWayAndAudited() {
        String a = Probe.json(post(ORDERS, admin, order("Cancel SAS", "552100554", "cloud"))).path("id").asText();
        HttpResponse<String> cancelled = post(ORDERS + "/" + a + "/cancellation", admin, "{\"reason\": \"duplicate\"}");
        assertEquals(cancelled.body(), 200, cancelled.statusCode());
        assertEquals("CANCELLED", Probe.json(cancelled).path("state").asText());
        assertEquals("duplicate", Probe.json(cancelled).path("reason").asText());
        assertEquals("asked again: the same answer", 200,
                post(ORDERS + "/" + a + "/cancellation", admin, "{}").statusCode());
        assertEquals(409, post(ORDERS + "/" + a + "/rejection", admin, "{\"reason\": \"late\"}").statusCode());

        String b = Probe.json(post(ORDERS, admin, order("Reject SAS", "552100554", "cloud"))).path("id").asText();
        HttpResponse<String> noReason = post(ORDERS + "/" + b + "/rejection", admin, "{}");
        assertEquals(400, noReason.statusCode());
        assertTrue(noReason.body().contains("\"field\":\"reason\""));
        HttpResponse<String> rejected = post(ORDERS + "/" + b + "/rejection", admin, "{\"reason\": \"forged extract\"}");
        assertEquals(rejected.body(), 200, rejected.statusCode());
        assertEquals("REJECTED", Probe.json(rejected).path("state").asText());
        JsonNode events = Probe.json(get(ORDERS + "/" + b + "/events", admin)).path("events");
        assertEquals("forged extract", events.get(2).path("reason").asText());
    }

    /** A check of one state for the orders of one organisation (so that other tests' orders are not held). */
    static final class Check implements OrderCheck {
        final String kind;
        final OrderState state;
        final String organisation;
        final List<String> entered = new java.util.concurrent.CopyOnWriteArrayList<>();

        Check(String kind, OrderState state, String organisation) {
            this.kind = kind;
            this.state = state;
            this.organisation = organisation;
        }

        @Override
        public String kind() {
            return kind;
        }

        @Override
        public OrderState state() {
            return state;
        }

        @Override
        public boolean appliesTo(OrderRequest order) {
            return order.organisation().name().equals(organisation);
        }

        @Override
        public void entered(Order order) {
            entered.add(order.id());
        }
    }

    @Test
    public void checksRegisteredAsServicesDriveAnOrderToActive() {
        String org = "Active " + System.nanoTime() + " SAS";
        List<Check> checks = List.of(new Check("itest.identity", OrderState.VERIFICATION, org),
                new Check("itest.organisation", OrderState.VERIFICATION, org),
                new Check("itest.acceptance", OrderState.ACCEPTANCE, org),
                new Check("itest.issuance", OrderState.ISSUANCE, org), new Check("itest.delivery", OrderState.DELIVERY, org));
        List<ServiceRegistration<OrderCheck>> regs = new ArrayList<>();
        try {
            for (Check c : checks) {
                regs.add(context.registerService(OrderCheck.class, c, new Hashtable<>(Map.of(OrderCheck.KIND, c.kind))));
            }
            HttpResponse<String> made = post(ORDERS, admin, order(org, "552100554", "usb-a"));
            assertEquals(made.body(), 201, made.statusCode());
            String id = Probe.json(made).path("id").asText();
            // the distribution's own VERIFICATION checks (identity proofing of each person, the organisation) are there too: they
            // pass here as their modules would report, so that only this test's checks decide what follows
            List<String> others = new ArrayList<>();
            for (JsonNode c : Probe.json(made).path("checks")) {
                if (!c.path("kind").asText().startsWith("itest.")) {
                    others.add(c.path("kind").asText());
                }
            }
            assertEquals(2 + others.size(), Probe.json(made).path("checks").size());
            assertTrue(others.toString(), others.stream().allMatch(k -> k.startsWith("identity.")
                    || k.equals("organisation")));
            assertEquals(List.of(id), checks.get(0).entered);
            for (String kind : others) {
                assertEquals(OrderState.VERIFICATION,
                        orders().report(id, kind, CheckStatus.PASSED, "", "check:" + kind).state());
            }

            Order o = orders().report(id, "itest.identity", CheckStatus.PASSED, "", "check:itest.identity");
            assertEquals("one check of two passed: still waiting", OrderState.VERIFICATION, o.state());
            o = orders().report(id, "itest.organisation", CheckStatus.FAILED, "extract too old", "check:itest.organisation");
            assertEquals(OrderState.VERIFICATION, o.state());
            o = orders().report(id, "itest.organisation", CheckStatus.PASSED, "", "check:itest.organisation");
            assertEquals(OrderState.ACCEPTANCE, o.state());
            assertEquals(List.of(id), checks.get(2).entered);
            // the distribution's own ACCEPTANCE checks (each person's acceptance) pass too, as their module would
            // report once the persons accepted
            for (CheckState c : o.checks()) {
                if (c.state() == OrderState.ACCEPTANCE && !c.kind().startsWith("itest.")) {
                    others.add(c.kind());
                    assertEquals(OrderState.ACCEPTANCE,
                            orders().report(id, c.kind(), CheckStatus.PASSED, "", "check:" + c.kind()).state());
                }
            }
            o = orders().report(id, "itest.acceptance", CheckStatus.PASSED, "", "check:itest.acceptance");
            assertEquals(OrderState.ISSUANCE, o.state());
            // the distribution's own ISSUANCE checks of a token order (issuance: the certificate from the token's
            // request; token-provisioning: the token made and its letter prepared) pass here as their modules would
            // report
            List<String> issuance = o.checks().stream().filter(c -> c.state() == OrderState.ISSUANCE
                    && !c.kind().startsWith("itest.")).map(c -> c.kind()).sorted().toList();
            assertEquals(List.of("issuance", "token-provisioning"), issuance);
            others.addAll(issuance);
            for (String kind : issuance) {
                assertEquals(OrderState.ISSUANCE,
                        orders().report(id, kind, CheckStatus.PASSED, "", "check:" + kind).state());
            }
            o = orders().report(id, "itest.issuance", CheckStatus.PASSED, "", "check:itest.issuance");
            assertEquals(OrderState.DELIVERY, o.state());
            // and its DELIVERY check (token-delivery: the holder activated the token)
            List<String> delivery = o.checks().stream().filter(c -> c.state() == OrderState.DELIVERY
                    && !c.kind().startsWith("itest.")).map(c -> c.kind()).toList();
            assertEquals(List.of("token-delivery"), delivery);
            others.addAll(delivery);
            assertEquals(OrderState.DELIVERY, orders().report(id, "token-delivery", CheckStatus.PASSED, "",
                    "check:token-delivery").state());
            o = orders().report(id, "itest.delivery", CheckStatus.PASSED, "", "check:itest.delivery");
            assertEquals(OrderState.ACTIVE, o.state());

            JsonNode read = Probe.json(get(ORDERS + "/" + id, admin));
            assertEquals("ACTIVE", read.path("state").asText());
            assertEquals(5 + others.size(), read.path("checks").size());
            JsonNode events = Probe.json(get(ORDERS + "/" + id + "/events", admin)).path("events");
            assertEquals(6, events.size());
            assertEquals("ACTIVE", events.get(5).path("to").asText());
            assertEquals("check:itest.delivery", events.get(5).path("actor").asText());
            assertEquals(409, post(ORDERS + "/" + id + "/rejection", admin, "{\"reason\": \"late\"}").statusCode());
        } finally {
            regs.forEach(ServiceRegistration::unregister);
        }
    }
}
