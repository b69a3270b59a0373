package io.cachet.itest;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import java.util.Set;
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

import io.cachet.api.operator.OperatorDirectory;
import io.cachet.api.order.OrderEvent;
import io.cachet.api.order.OrderState;
import io.cachet.api.order.Orders;

/**
 * The console's order pages in the running distribution, over real HTTP with each role's account (HTTP Basic, as a
 * program would; browsers are in test/browser): who reads, who cancels and rejects, with a reason; a transition the
 * state no longer allows answers 409, nothing changed; the list filtered by state and text.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class OrderConsoleIT {

    static final String FORM = "application/x-www-form-urlencoded";
    static final Pattern TOKEN = Pattern.compile("name=\"csrf\" value=\"([0-9a-f]{64})\"");
    static final Map<String, String> ROLES = Map.of("olga", "ra-officer", "sam", "support", "audrey", "auditor",
            "carl", "operator");
    private static boolean accounts;

    @Inject
    BundleContext context;

    @Inject
    OperatorDirectory directory;

    @Inject
    Orders orders;

    private Probe probe;
    private String admin;

    @Configuration
    public Option[] config() throws Exception {
        return CachetRuntime.options(Files.createTempDirectory("cachet-it-"),
                Map.of("ds.lock.timeout.milliseconds", "60000"));
    }

    @Before
    public void ready() throws Exception {
        probe = new Probe(context);
        probe.healthy();
        admin = probe.adminApiKey();
        if (!accounts) {
            for (Map.Entry<String, String> a : ROLES.entrySet()) {
                directory.createAccount(a.getKey(), Set.of(a.getValue()), "first-itest-passphrase-5".toCharArray(),
                        "operator:itest");
                probe.changePassword(a.getKey(), "first-itest-passphrase-5", password(a.getKey()));
            }
            accounts = true;
        }
    }

    static String password(String login) {
        return "quartz-itest-passphrase-" + login.length();
    }

    private String submit(String organisation) {
        HttpResponse<String> r = probe.post("/api/v1/orders", OrdersIT.order(organisation, "552100554", "cloud"),
                "Authorization", "Bearer " + admin, "Content-Type", "application/json");
        assertEquals(r.body(), 201, r.statusCode());
        return Probe.json(r).path("id").asText();
    }

    private HttpResponse<String> get(String login, String path) {
        return probe.get(path, "Authorization", Probe.basic(login, password(login)), "Accept-Language", "en");
    }

    /** An order left open, whose page carries the forms (an ended order's page has none). */
    private static String open;

    /**
     * Posts the order form as that operator, with the token an open order's page gives (its last: the shell's logout
     * form comes first); tokens are per operator and form, so it holds for any order, as a page gone stale would.
     */
    private HttpResponse<String> post(String login, String id, String action, String reason) {
        HttpResponse<String> page = get(login, "/console/orders/" + open);
        Matcher m = TOKEN.matcher(page.body());
        String token = "";
        while (m.find()) {
            token = m.group(1);
        }
        return probe.post("/console/orders/" + id, "csrf=" + token + "&action=" + action + "&reason=" + Probe.enc(reason),
                "Authorization", Probe.basic(login, password(login)), "Content-Type", FORM, "Origin", probe.base(),
                "Accept-Language", "en");
    }

    private static List<OrderState> states(List<OrderEvent> events) {
        return events.stream().map(OrderEvent::to).toList();
    }

    @Test
    public void eachRoleDoesWhatItMayAndARefusedTransitionChangesNothing() {
        open = submit("Console Ouverte SAS");
        String first = submit("Console Un SAS");
        String second = submit("Console Deux SAS");

        // auditors read, with the timeline, and may not change anything
        HttpResponse<String> read = get("audrey", "/console/orders/" + first);
        assertEquals(read.body(), 200, read.statusCode());
        assertTrue(read.body().contains("Console Un SAS"));
        assertTrue(read.body().contains("class=\"timeline\""));
        assertFalse("no form for an auditor", read.body().contains("id=\"cancel-form\"")
                || read.body().contains("id=\"reject-form\""));
        assertEquals(403, post("audrey", first, "cancel", "not mine to cancel").statusCode());
        assertEquals(OrderState.VERIFICATION, orders.find(first).orElseThrow().state());
        // the CA's operators do not see orders
        assertEquals(403, get("carl", "/console/orders").statusCode());

        // support cancels on the customer's request, cannot reject
        HttpResponse<String> supportPage = get("sam", "/console/orders/" + first);
        assertTrue(supportPage.body().contains("Cancel on the customer&#39;s request")
                || supportPage.body().contains("Cancel on the customer's request"));
        assertFalse(supportPage.body().contains("id=\"reject-form\""));
        assertEquals(403, post("sam", first, "reject", "no").statusCode());
        HttpResponse<String> cancelled = post("sam", first, "cancel", "Asked by e-mail on 2 March");
        assertEquals(cancelled.body(), 200, cancelled.statusCode());
        List<OrderEvent> events = orders.events(first);
        OrderEvent last = events.get(events.size() - 1);
        assertEquals(OrderState.CANCELLED, last.to());
        assertEquals("operator:sam", last.actor());
        assertEquals("Asked by e-mail on 2 March", last.reason());

        // RA officers reject, with a reason; without one nothing happens
        HttpResponse<String> noReason = post("olga", second, "reject", "  ");
        assertEquals(400, noReason.statusCode());
        assertTrue(noReason.body().contains("Reason: write why"));
        assertEquals(OrderState.VERIFICATION, orders.find(second).orElseThrow().state());
        assertEquals(200, post("olga", second, "reject", "Registry extract older than 3 months").statusCode());
        assertEquals(OrderState.REJECTED, orders.find(second).orElseThrow().state());

        // a transition the state no longer allows: 409, said clearly, nothing changed
        List<OrderState> before = states(orders.events(first));
        HttpResponse<String> conflict = post("olga", first, "reject", "too late");
        assertEquals(conflict.body(), 409, conflict.statusCode());
        assertTrue(conflict.body().contains("can no longer be rejected"));
        assertEquals(before, states(orders.events(first)));

        // the list, filtered
        HttpResponse<String> rejected = get("audrey", "/console/orders?state=rejected");
        assertEquals(200, rejected.statusCode());
        assertTrue(rejected.body().contains(second));
        assertFalse(rejected.body().contains(first));
        HttpResponse<String> text = get("audrey", "/console/orders?q=" + Probe.enc("console un"));
        assertTrue(text.body().contains(first));
        assertFalse(text.body().contains(second));
        assertEquals(404, get("audrey", "/console/orders/ord_nosuchorder").statusCode());
    }
}
