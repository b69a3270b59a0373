package io.cachet.itest;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.inject.Inject;

import org.junit.Before;
import org.junit.FixMethodOrder;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.junit.runners.MethodSorters;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;

import io.cachet.api.audit.AuditLog;
import io.cachet.api.audit.AuditRecord;
import io.cachet.api.operator.OperatorDirectory;
import io.cachet.api.web.ConsolePage;

/**
 * The console shell in the running distribution: a page another bundle contributes (here the test's
 * {@link ConsolePage} service) appears in the navigation of the operators whose roles it names, and only theirs,
 * and goes with its service; an administrator creates an account on the operators page, whose owner must then
 * replace the first password before getting in.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
@FixMethodOrder(MethodSorters.NAME_ASCENDING)
public class ConsoleShellIT {

    static final String FORM = "application/x-www-form-urlencoded";
    static final Pattern TOKEN = Pattern.compile("name=\"csrf\" value=\"([0-9a-f]{64})\"");

    @Inject
    BundleContext context;

    @Inject
    OperatorDirectory directory;

    @Inject
    AuditLog audit;

    private Probe probe;

    @Configuration
    public Option[] config() throws Exception {
        return CachetRuntime.options(Files.createTempDirectory("cachet-it-"),
                Map.of("ds.lock.timeout.milliseconds", "60000"));
    }

    @Before
    public void ready() throws Exception {
        probe = new Probe(context);
        probe.healthy();
        probe.adminApiKey(); // takes the first administrator's account over: password Probe.ADMIN_PASSWORD
    }

    /** Logs in on the form; returns the session cookie ("name=value"). */
    private String logIn(String login, String password) {
        HttpResponse<String> in = probe.post("/console/login", "login=" + Probe.enc(login) + "&password="
                + Probe.enc(password), "Content-Type", FORM, "Origin", probe.base());
        assertEquals(in.body(), 303, in.statusCode());
        assertEquals("the login leads to the console's home", "/console", in.headers().firstValue("Location").orElse(""));
        String setCookie = in.headers().firstValue("Set-Cookie").orElse("");
        assertTrue(setCookie, setCookie.startsWith("cachet_console="));
        return setCookie.substring(0, setCookie.indexOf(';'));
    }

    private HttpResponse<String> page(String path, String cookie) {
        return probe.get(path, "Cookie", cookie, "Accept", "text/html", "Accept-Language", "en");
    }

    /** An account with these roles whose first password its owner has already replaced. */
    private void account(String login, String role, String password) {
        directory.createAccount(login, Set.of(role), "first-itest-passphrase-5".toCharArray(), "operator:itest");
        probe.changePassword(login, "first-itest-passphrase-5", password);
    }

    @Test
    public void a_aContributedPageShowsForItsRolesOnlyAndGoesWithItsService() throws Exception {
        account("audrey", "auditor", "violet-itest-passphrase-1");
        account("sam", "support", "amber-itest-passphrase-2");
        ServiceRegistration<ConsolePage> reg = context.registerService(ConsolePage.class, new ConsolePage() {
            @Override
            public String path() {
                return "/console/itest-audit";
            }

            @Override
            public String titleKey() {
                return "console.nav.home";
            }

            @Override
            public Set<String> roles() {
                return Set.of("auditor");
            }
        }, null);
        String entry = "href=\"/console/itest-audit\"";
        try {
            String audrey = logIn("audrey", "violet-itest-passphrase-1");
            String sam = logIn("sam", "amber-itest-passphrase-2");
            HttpResponse<String> audreyHome = page("/console", audrey);
            assertEquals(audreyHome.body(), 200, audreyHome.statusCode());
            assertTrue("the auditor sees the page", audreyHome.body().contains(entry));
            assertTrue(audreyHome.body().contains("Logged in as audrey"));
            assertTrue("the home entry is current", audreyHome.body().contains("<a href=\"/console\" aria-current=\"page\">"));
            assertFalse("no administrator's entry", audreyHome.body().contains("href=\"/console/operators\""));
            HttpResponse<String> samHome = page("/console", sam);
            assertEquals(200, samHome.statusCode());
            assertFalse("support does not", samHome.body().contains(entry));
            assertTrue("every operator's own pages", samHome.body().contains("href=\"/console/api-keys\""));
            assertFalse("the outbox is for admin and operator", samHome.body().contains("href=\"/console/outbox\""));
            assertEquals("the operators page refuses support", 403, page("/console/operators", sam).statusCode());
        } finally {
            reg.unregister();
        }
        String audrey = logIn("audrey", "violet-itest-passphrase-1");
        assertFalse("gone with its service", page("/console", audrey).body().contains(entry));
    }

    @Test
    public void b_anAdministratorCreatesAnAccountWhoseOwnerMustReplaceTheFirstPassword() throws Exception {
        String admin = logIn("admin", Probe.ADMIN_PASSWORD);
        HttpResponse<String> operators = page("/console/operators", admin);
        assertEquals(operators.body(), 200, operators.statusCode());
        assertTrue(operators.body().contains("<a href=\"/console/operators\" aria-current=\"page\">"));
        Matcher m = TOKEN.matcher(operators.body());
        String token = null;
        while (m.find()) {
            token = m.group(1); // the page's own form comes after the shell's logout form
        }
        String form = "csrf=" + token + "&action=create&login=rita&role=ra-officer&role=auditor&password="
                + Probe.enc("first-umber-passphrase-3");
        assertEquals("another site's post is refused", 403, probe.post("/console/operators", form, "Cookie", admin,
                "Content-Type", FORM, "Origin", "http://evil.example").statusCode());
        HttpResponse<String> created = probe.post("/console/operators", form, "Cookie", admin, "Content-Type", FORM,
                "Origin", probe.base(), "Accept-Language", "en");
        assertEquals(created.body(), 200, created.statusCode());
        assertTrue(created.body(), created.body().contains("Account rita created."));
        assertTrue(created.body().contains("<code>rita</code>"));
        assertTrue(audit.read(1, 100_000).stream().map(AuditRecord::action).anyMatch("operator.created"::equals));

        HttpResponse<String> first = probe.post("/console/login", "login=rita&password="
                + Probe.enc("first-umber-passphrase-3"), "Content-Type", FORM, "Origin", probe.base());
        assertEquals(303, first.statusCode());
        assertEquals("the first password must be replaced first", "/console/password",
                first.headers().firstValue("Location").orElse(""));
        assertFalse("no session before", first.headers().firstValue("Set-Cookie").orElse("").startsWith("cachet_console="));
        probe.changePassword("rita", "first-umber-passphrase-3", "own-umber-passphrase-4");
        String rita = logIn("rita", "own-umber-passphrase-4");
        assertEquals(200, page("/console", rita).statusCode());

        // disabled: refused at once
        HttpResponse<String> again = page("/console/operators", admin);
        Matcher t = TOKEN.matcher(again.body());
        String token2 = null;
        while (t.find()) {
            token2 = t.group(1);
        }
        HttpResponse<String> disabled = probe.post("/console/operators", "csrf=" + token2 + "&action=disable&login=rita",
                "Cookie", admin, "Content-Type", FORM, "Origin", probe.base());
        assertEquals(disabled.body(), 200, disabled.statusCode());
        assertEquals("the session of a disabled account ends", 303, page("/console", rita).statusCode());
    }
}
