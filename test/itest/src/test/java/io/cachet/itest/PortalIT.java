package io.cachet.itest;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.inject.Inject;

import org.junit.Before;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.BundleContext;

import io.cachet.api.audit.AuditLog;
import io.cachet.api.link.PersonalLinks;
import io.cachet.api.notify.Channel;
import io.cachet.api.notify.NotificationRecord;
import io.cachet.api.notify.Outbox;
import io.cachet.api.order.Medium;
import io.cachet.api.order.Order;
import io.cachet.api.order.OrderRequest;
import io.cachet.api.order.OrderState;
import io.cachet.api.order.Orders;
import io.cachet.api.order.Organisation;
import io.cachet.api.order.Person;
import io.cachet.api.order.PostalAddress;
import io.cachet.api.order.Submission;

/**
 * The customer's side in the distribution: a submitted order puts one e-mail per person in the outbox (the
 * embedded default), each with a personal link that opens the order's status page over HTTP; cancelling the order
 * revokes the links (the page then shows no order data) and tells each person. Forged tokens and cross-site posts
 * are refused. The status page of an order of another installed brand shows that brand. An open order whose
 * deadline is near gets its reminders from the job (7 days and 1 day before, by default), with a fresh link that
 * opens.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class PortalIT {

    private static final Pattern LINK = Pattern.compile("http://localhost:\\d+(/order/status/[A-Za-z0-9_-]{43})");

    @Inject
    BundleContext context;

    @Inject
    Orders orders;

    @Inject
    PersonalLinks links;

    @Inject
    Outbox outbox;

    @Inject
    AuditLog audit;

    @Inject
    io.cachet.api.store.Database database;

    @Configuration
    public Option[] config() throws Exception {
        java.nio.file.Path data = Files.createTempDirectory("cachet-it-portal-");
        // the reminder job looks every 10 s instead of every hour, as an operator would configure it
        Files.createDirectories(data.resolve("deploy"));
        Files.writeString(data.resolve("deploy/io.cachet.portal.cfg"), "reminderSweepSeconds=10\n");
        return CachetRuntime.options(data, Map.of("ds.lock.timeout.milliseconds", "60000"));
    }

    @Before
    public void ready() {
        new Probe(context).healthy();
    }

    static OrderRequest request(String organisation, String manager, String legal) {
        Person m = new Person("Anna", "Eriksson", LocalDate.parse("1974-08-12"), manager, "+33612345678");
        Person l = legal == null ? null
                : new Person("Bob", "Martin", LocalDate.parse("1968-02-03"), legal, "+33698765432");
        return new OrderRequest("enterprise-plus", 1, Medium.CLOUD, m, l, new Organisation(organisation, "FR",
                "552100554", "FR96552100554", new PostalAddress(List.of("1 rue de la Paix"), "75002", "Paris", "FR")),
                null);
    }

    private List<NotificationRecord> mail(String to, String template) {
        return outbox.list(Channel.EMAIL, 0, 500).stream()
                .filter(m -> m.recipient().equals(to) && m.template().equals(template)).toList();
    }

    private String link(String to) {
        Probe.await("the status e-mail to " + to + " in the outbox", () -> !mail(to, "portal.order.submitted").isEmpty());
        NotificationRecord m = mail(to, "portal.order.submitted").get(0);
        Matcher found = LINK.matcher(m.body());
        assertTrue(m.body(), found.find());
        return found.group(1);
    }

    @Test
    public void eachPersonGetsAWorkingLinkWhichCancellationRevokes() {
        Probe probe = new Probe(context);
        Order order = orders.submit(request("Portal IT SAS", "anna.it@example.org", "bob.it@example.org"),
                new Submission("customer", null, null, "en", null));
        assertEquals(OrderState.VERIFICATION, order.state());
        String anna = link("anna.it@example.org");
        String bob = link("bob.it@example.org");
        assertFalse(anna.equals(bob));
        assertEquals(1, mail("anna.it@example.org", "portal.order.submitted").size());
        assertTrue(mail("anna.it@example.org", "portal.order.submitted").get(0).subject().contains(order.id()));

        HttpResponse<String> page = probe.get(anna, "Accept-Language", "en");
        assertEquals(page.body(), 200, page.statusCode());
        assertTrue(page.body(), page.body().contains("Portal IT SAS"));
        assertTrue(page.body(), page.body().contains(order.id()));
        assertTrue(page.body(), page.body().contains("Bob Martin"));
        assertFalse("the other person's address is not shown", page.body().contains("bob.it@example.org"));
        assertTrue(page.headers().firstValue("Cache-Control").orElse("").contains("no-store"));
        // the status links of both persons (the identity proofing sends links of its own, purpose "identity")
        assertEquals(2, links.links(order.id()).stream().filter(l -> l.purpose().equals("status")).count());
        assertTrue(audit.read(1, 100_000).stream().anyMatch(r -> r.action().equals("portal.link.issued")
                && r.subject().equals("order:" + order.id())));

        // a newer link for Anna shuts the first; the page of the first sends a fresh one to her address
        links.issue(order.id(), io.cachet.api.order.OrderRole.CERTIFICATE_MANAGER, "status", "anna.it@example.org",
                "/order/status", java.time.Duration.ofDays(1), "operator:it");
        HttpResponse<String> shut = probe.get(anna, "Accept-Language", "en");
        assertEquals(410, shut.statusCode());
        String cookie = shut.headers().allValues("Set-Cookie").stream().filter(c -> c.startsWith("cachet_form="))
                .findFirst().orElseThrow().split(";")[0];
        Matcher csrf = Pattern.compile("name=\"csrf\" value=\"([^\"]+)\"").matcher(shut.body());
        assertTrue(shut.body(), csrf.find());
        HttpResponse<String> renewed = probe.post(anna, "csrf=" + csrf.group(1), "Content-Type",
                "application/x-www-form-urlencoded", "Cookie", cookie, "Origin", probe.base(), "Accept-Language", "en");
        assertEquals(renewed.body(), 200, renewed.statusCode());
        Probe.await("the fresh link in the outbox", () -> mail("anna.it@example.org", "portal.order.link").size() == 1);
        Matcher fresh = LINK.matcher(mail("anna.it@example.org", "portal.order.link").get(0).body());
        assertTrue(fresh.find());
        assertEquals(200, probe.get(fresh.group(1)).statusCode());

        orders.cancel(order.id(), "operator:it", "asked by phone", false);
        assertTrue(links.links(order.id()).stream().allMatch(l -> l.revokedAt() != null));
        HttpResponse<String> revoked = probe.get(anna, "Accept-Language", "en");
        assertEquals(410, revoked.statusCode());
        assertFalse(revoked.body(), revoked.body().contains("Portal IT SAS"));
        Probe.await("both told of the cancellation", () -> mail("anna.it@example.org", "portal.order.cancelled").size()
                == 1 && mail("bob.it@example.org", "portal.order.cancelled").size() == 1);
    }

    @Test
    public void aForgedLinkIsA404WithoutDataAndACrossSitePostIsRefused() {
        Probe probe = new Probe(context);
        HttpResponse<String> forged = probe.get("/order/status/" + "x".repeat(43));
        assertEquals(404, forged.statusCode());
        assertFalse(forged.body().contains("Eriksson"));
        assertEquals(404, probe.get("/order/status/").statusCode());

        HttpResponse<String> form = probe.get("/order", "Accept-Language", "en");
        assertEquals(form.body(), 200, form.statusCode());
        assertTrue(form.body().contains("name=\"organisation.identifier\""));
        assertTrue(form.headers().allValues("Set-Cookie").toString(),
                form.headers().allValues("Set-Cookie").stream().anyMatch(c -> c.startsWith("cachet_form=")
                        && c.contains("HttpOnly") && c.contains("SameSite=Lax")));

        int before = orders.list(new io.cachet.api.order.OrderQuery(null, null, null, null, null, null, 100))
                .orders().size();
        HttpResponse<String> post = probe.post("/order", "step=confirm&product=enterprise-plus&csrf=guess",
                "Content-Type", "application/x-www-form-urlencoded", "Origin", "https://evil.example");
        assertEquals(403, post.statusCode());
        assertEquals(before, orders.list(new io.cachet.api.order.OrderQuery(null, null, null, null, null, null, 100))
                .orders().size());
    }

    @Test
    public void theStatusPageOfAnOrderOfTheExampleBrandShowsThatBrandWhileTheDefaultIsActive() throws Exception {
        Probe probe = new Probe(context);
        org.osgi.framework.Bundle example = context.installBundle(java.nio.file.Path.of(
                System.getProperty("cachet.itest.samples"), "io.cachet.brand.example.jar").toUri().toString());
        try {
            example.start();
            Probe.await("the example brand registered", this::exampleBrandRegistered);
            Order order = orders.submit(request("Example Brand IT SAS", "eva.it@example.org", null),
                    new Submission("customer", null, "example", "en", null));
            assertEquals("example", order.brand());

            HttpResponse<String> page = probe.get(link("eva.it@example.org"), "Accept-Language", "en");
            assertEquals(page.body(), 200, page.statusCode());
            assertTrue(page.body(), page.body().contains("Example Brand IT SAS"));
            assertTrue(page.body(), page.body().contains("<span class=\"brand-name\">Example Trust Services</span>"));
            assertTrue(page.body(), page.body().contains("Example Trust Services — trust services, a Cachet partner"));
            Matcher theme = Pattern.compile("href=\"(/assets/brand/example/[0-9a-f]+/theme\\.css)\"")
                    .matcher(page.body());
            assertTrue(page.body(), theme.find());
            HttpResponse<String> css = probe.get(theme.group(1));
            assertEquals(200, css.statusCode());
            assertTrue(css.body(), css.body().contains("#7a1f5c"));

            HttpResponse<String> form = probe.get("/order", "Accept-Language", "en");
            assertTrue("the order form stays in the active brand",
                    form.body().contains("<span class=\"brand-name\">Cachet</span>"));
        } finally {
            example.uninstall();
        }
    }

    private boolean exampleBrandRegistered() {
        try {
            return !context.getServiceReferences(io.cachet.api.brand.Brand.class,
                    "(" + io.cachet.api.brand.Brand.ID + "=example)").isEmpty();
        } catch (org.osgi.framework.InvalidSyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    public void theJobRemindsEachPersonOfAnOrderWhoseDeadlineIsNearWithAFreshLink() {
        Probe probe = new Probe(context);
        Order order = orders.submit(request("Reminder IT SAS", "rita.it@example.org", "remy.it@example.org"),
                new Submission("customer", null, null, "fr", null));
        String first = link("rita.it@example.org");
        // time passes: the order was submitted 25 days ago and its deadline is 5 days away
        java.time.Instant now = java.time.Instant.now();
        database.inTransaction(c -> {
            try (java.sql.PreparedStatement ps = c.prepareStatement(
                    "UPDATE cachet_order SET created_at = ?, expires_at = ? WHERE id = ?")) {
                ps.setObject(1, io.cachet.api.store.Columns.time(now.minus(java.time.Duration.ofDays(25))));
                ps.setObject(2, io.cachet.api.store.Columns.time(now.plus(java.time.Duration.ofDays(5))));
                ps.setString(3, order.id());
                assertEquals(1, ps.executeUpdate());
            }
            return null;
        });
        Probe.await("both reminded", () -> mail("rita.it@example.org", "portal.order.reminder").size() == 1
                && mail("remy.it@example.org", "portal.order.reminder").size() == 1);
        NotificationRecord reminder = mail("rita.it@example.org", "portal.order.reminder").get(0);
        assertTrue(reminder.subject(), reminder.subject().contains(order.id()) && reminder.subject().contains("expire"));
        Matcher fresh = LINK.matcher(reminder.body());
        assertTrue(reminder.body(), fresh.find());
        HttpResponse<String> page = probe.get(fresh.group(1), "Accept-Language", "fr");
        assertEquals(page.body(), 200, page.statusCode());
        assertTrue(page.body(), page.body().contains("Reminder IT SAS"));
        assertEquals("the reminder's link replaces the first", 410, probe.get(first).statusCode());
        assertTrue(audit.read(1, 100_000).stream().anyMatch(r -> r.action().equals("portal.order.reminded")
                && r.subject().equals("order:" + order.id())));

        // the default's second reminder, a day before the deadline
        database.inTransaction(c -> {
            try (java.sql.PreparedStatement ps = c.prepareStatement(
                    "UPDATE cachet_order SET expires_at = ? WHERE id = ?")) {
                ps.setObject(1, io.cachet.api.store.Columns.time(now.plus(java.time.Duration.ofHours(12))));
                ps.setString(2, order.id());
                assertEquals(1, ps.executeUpdate());
            }
            return null;
        });
        Probe.await("both reminded again, a day before", () -> mail("rita.it@example.org", "portal.order.reminder")
                .size() == 2 && mail("remy.it@example.org", "portal.order.reminder").size() == 2);
        assertEquals(2, audit.read(1, 100_000).stream().filter(r -> r.action().equals("portal.order.reminded")
                && r.subject().equals("order:" + order.id())).count());
        orders.cancel(order.id(), "operator:it", "test over", false);
    }

    @Test
    public void supportSendsAFreshStatusLinkOverTheApiWithoutSeeingIt() throws Exception {
        Probe probe = new Probe(context);
        Order order = orders.submit(request("Lost Mail IT SAS", "lena.it@example.org", "leo.it@example.org"),
                new Submission("customer", null, null, "en", null));
        String first = link("lena.it@example.org");
        String key = probe.adminApiKey();
        HttpResponse<String> sent = probe.post("/api/v1/orders/" + order.id() + "/status-links",
                "{\"role\": \"certificate-manager\"}", "Content-Type", "application/json", "Authorization",
                "Bearer " + key);
        assertEquals(sent.body(), 200, sent.statusCode());
        assertEquals("lena.it@example.org", Probe.json(sent).path("sent").path(0).path("email").asText());
        Probe.await("the fresh link in the outbox", () -> mail("lena.it@example.org", "portal.order.link").size() == 1);
        Matcher fresh = LINK.matcher(mail("lena.it@example.org", "portal.order.link").get(0).body());
        assertTrue(fresh.find());
        assertFalse("the answer does not carry the link", sent.body().contains(fresh.group(1).substring(
                fresh.group(1).lastIndexOf('/') + 1)));
        assertEquals(200, probe.get(fresh.group(1)).statusCode());
        assertEquals(410, probe.get(first).statusCode());
        assertEquals(400, probe.post("/api/v1/orders/" + order.id() + "/status-links", "{\"role\": 3}",
                "Content-Type", "application/json", "Authorization", "Bearer " + key).statusCode());
        assertEquals(401, probe.post("/api/v1/orders/" + order.id() + "/status-links", "{}", "Content-Type",
                "application/json").statusCode());
        orders.cancel(order.id(), "operator:it", "test over", false);
        assertEquals(409, probe.post("/api/v1/orders/" + order.id() + "/status-links", "{}", "Content-Type",
                "application/json", "Authorization", "Bearer " + key).statusCode());
    }
}
