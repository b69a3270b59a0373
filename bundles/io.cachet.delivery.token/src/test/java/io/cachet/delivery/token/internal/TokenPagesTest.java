package io.cachet.delivery.token.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.cachet.api.order.Medium;
import io.cachet.api.order.Order;
import io.cachet.api.order.OrderRole;
import io.cachet.api.order.OrderState;
import io.cachet.api.order.StatusAction;
import io.cachet.api.web.ClientLimiter;
import io.cachet.api.web.PageSource;
import io.cachet.delivery.token.internal.Fixture.Station;
import io.cachet.web.testing.FakeHttp;
import io.cachet.web.testing.TestConsoleAccess;
import io.cachet.web.testing.TestPages;

import jakarta.servlet.http.HttpServletRequest;

/**
 * The certificate manager's PIN page, the status page's action and the console queue through the real page
 * framework: what each person sees in each state, the anti-forgery token on every post, the PIN shown once, nothing
 * of the order for a stranger, never cached.
 */
class TokenPagesTest {

    @TempDir
    Path dir;

    private static String token(String link) {
        return link.substring(link.lastIndexOf('/') + 1);
    }

    private static final class Browser {
        final TokenPinServlet servlet;
        final String token;
        String cookie;
        String page;

        Browser(TokenPinServlet servlet, String token) {
            this.servlet = servlet;
            this.token = token;
        }

        FakeHttp.Response get(String language) throws Exception {
            return get(language, "");
        }

        /** The page at {@code /token-pin/<token><rest>}. */
        FakeHttp.Response get(String language, String rest) throws Exception {
            FakeHttp.Response r = new FakeHttp.Response();
            servlet.doGet(FakeHttp.request("GET", "/token-pin/" + token + rest, "/" + token + rest, Map.of(),
                    TokenPinServlet.COOKIE, cookie, language), r.proxy);
            keep(r);
            return r;
        }

        FakeHttp.Response post(String action, Map<String, String> params) throws Exception {
            FakeHttp.Response r = new FakeHttp.Response();
            servlet.doPost(FakeHttp.request("POST", "/token-pin/" + token + "/" + action, "/" + token + "/" + action,
                    params, TokenPinServlet.COOKIE, cookie, "en"), r.proxy);
            keep(r);
            return r;
        }

        private void keep(FakeHttp.Response r) {
            if (r.cookie(TokenPinServlet.COOKIE) != null) {
                cookie = r.cookie(TokenPinServlet.COOKIE);
            }
            page = r.body();
        }

        String csrf(String action) {
            Matcher m = Pattern.compile("action=\"/token-pin/" + token + "/" + action
                    + "\"[^>]*>\\s*<input type=\"hidden\" name=\"csrf\" value=\"([^\"]+)\"").matcher(page);
            assertTrue(m.find(), "form " + action + " on " + page);
            return m.group(1);
        }
    }

    private static TokenPinServlet servlet(Fixture f) {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        return new TokenPinServlet(TestPages.create(new TokenPages()), f.links, f.service, f.revocations, key,
                new ClientLimiter(100, f.clock));
    }

    @Test
    void aLetterReturnedIsSaidALostOneIsReplacedAndNeitherGivesACode() throws Exception {
        try (Fixture f = new Fixture("h2", dir)) {
            for (var end : java.util.List.of(io.cachet.api.delivery.ShipmentState.LOST,
                    io.cachet.api.delivery.ShipmentState.RETURNED)) {
                Order o = f.inIssuance(Medium.USB_C);
                f.provisioned(o.id(), new Station("GONE-" + end), "4321");
                Browser anna = new Browser(servlet(f), token(f.statusLink(o.id(), OrderRole.CERTIFICATE_MANAGER)));
                var sent = f.letters.send(o.id());
                f.letters.move(sent.id(), end, null, null, "api:operator");
                FakeHttp.Response page = anna.get("en");
                assertEquals(200, page.status);
                // a lost token is discarded at once (its certificate revoked) and a new one prepared
                assertTrue(page.body().contains(end == io.cachet.api.delivery.ShipmentState.LOST
                        ? "Your token is being prepared" : "came back to us. Contact support"), page.body());
                assertFalse(page.body().contains("id=\"send-code\""), "no code for a token not delivered");
                assertFalse(page.body().contains("Already received"), end.name());
            }
        }
    }

    @Test
    void theManagerGetsThePinOnceAfterDeliveryWithACodeAndConfirmsTheActivation() throws Exception {
        try (Fixture f = new Fixture("h2", dir)) {
            Order o = f.inIssuance(Medium.USB_A);
            f.provisioned(o.id(), new Station("PAGE-1"), "5309");
            TokenPinServlet servlet = servlet(f);
            Browser anna = new Browser(servlet, token(f.statusLink(o.id(), OrderRole.CERTIFICATE_MANAGER)));

            FakeHttp.Response before = anna.get("en");
            assertEquals(200, before.status);
            assertEquals("no-store", before.headers.get("Cache-Control"));
            assertTrue(before.body().contains("leaves soon by registered letter"), before.body());
            assertTrue(before.body().contains("once the letter is delivered"), before.body());
            assertFalse(before.body().contains("id=\"send-code\""));
            assertFalse(before.body().contains("<script"), "no script");

            f.letters.send(o.id());
            FakeHttp.Response onItsWay = anna.get("en");
            assertTrue(onItsWay.body().contains("only once the letter is delivered"), onItsWay.body());
            assertTrue(onItsWay.body().contains("Sent on 2026-12-02 10:00 UTC. Tracking number: RR123456789FR."),
                    onItsWay.body());
            assertTrue(onItsWay.body().contains("Already received your token?"), onItsWay.body());
            assertFalse(onItsWay.body().contains("id=\"send-code\""), "still no code before delivery");
            FakeHttp.Response sentFr = anna.get("fr");
            assertTrue(sentFr.body().contains("Numéro de suivi : RR123456789FR."), sentFr.body());

            f.letters.deliver(o.id());
            FakeHttp.Response ready = anna.get("en");
            assertTrue(ready.body().contains("Send me a code by SMS to +33 6 •• •• •• 78"), ready.body());
            assertFalse(ready.body().contains("+33612345678"), "never the whole mobile");
            assertFalse(ready.body().contains("id=\"code\""), "no code field before a code was sent");

            FakeHttp.Response forged = anna.post("code", Map.of("csrf", "forged"));
            assertEquals(403, forged.status);
            assertTrue(f.notifier.sent.isEmpty(), "nothing sent");

            anna.get("en");
            FakeHttp.Response sent = anna.post("code", Map.of("csrf", anna.csrf("code")));
            assertEquals(200, sent.status);
            assertTrue(sent.body().contains("A code has been sent to your mobile."));
            String code = f.lastCode();
            String reveal = anna.csrf("reveal");
            FakeHttp.Response wrong = anna.post("reveal", Map.of("csrf", reveal, "code",
                    String.format("%06d", (Integer.parseInt(code) + 1) % 1_000_000)));
            assertEquals(422, wrong.status);
            assertTrue(wrong.body().contains("This code is wrong. Wrong codes left: 2."), wrong.body());
            assertFalse(wrong.body().contains("5309"));

            FakeHttp.Response shown = anna.post("reveal", Map.of("csrf", reveal, "code", code));
            assertEquals(200, shown.status);
            assertTrue(shown.body().contains("<strong>5309</strong>"), shown.body());
            assertTrue(shown.body().contains("shown only this once"));
            assertTrue(shown.body().contains("limited number of times (5)"));
            assertTrue(shown.body().contains("the PUK is disabled"));
            assertTrue(shown.body().contains("at its first use, the token&#39;s software asks you for this"
                    + " initialisation PIN"), shown.body());
            assertFalse(shown.body().contains("cachet-cli"), "no tool of the provider's for a holder");
            assertEquals("no-store", shown.headers.get("Cache-Control"));

            FakeHttp.Response again = anna.get("en");
            assertTrue(again.body().contains("already shown on 2026-12-02 10:00 UTC"), again.body());
            assertFalse(again.body().contains("5309"), "shown once only");
            FakeHttp.Response replay = anna.post("reveal", Map.of("csrf", reveal, "code", code));
            assertEquals(409, replay.status);
            assertFalse(replay.body().contains("5309"));

            FakeHttp.Response fr = anna.get("fr");
            assertTrue(fr.body().contains("déjà été affiché le 2026-12-02 10:00 UTC"), fr.body());

            FakeHttp.Response activated = anna.post("activated", Map.of("csrf", anna.csrf("activated")));
            assertEquals(200, activated.status);
            assertTrue(activated.body().contains("your token is activated"), activated.body());
            assertTrue(activated.body().contains("do not lose your token"), "how to keep it: " + activated.body());
            assertTrue(activated.body().contains("PDF documents (PAdES signatures)"), "what to do with it next");
            assertFalse(activated.body().contains("cachet-cli"), "no tool of the provider's for a holder");
            assertEquals(OrderState.ACTIVE, f.order(o.id()).state());
            assertTrue(f.actions(o.id()).contains("token.activated"));
        }
    }

    @Test
    void strangersSeeNoOrderAndTooManyWrongCodesLockThePage() throws Exception {
        try (Fixture f = new Fixture("h2", dir)) {
            Order o = f.inIssuance(Medium.USB_C);
            f.provisioned(o.id(), new Station("PAGE-2"), "7777");
            f.letters.deliver(o.id());
            TokenPinServlet servlet = servlet(f);

            FakeHttp.Response unknown = new Browser(servlet, "x".repeat(43)).get("en");
            assertEquals(404, unknown.status);
            assertFalse(unknown.body().contains("Eriksson"));
            FakeHttp.Response legal = new Browser(servlet, token(f.statusLink(o.id(),
                    OrderRole.LEGAL_REPRESENTATIVE))).get("en");
            assertEquals(403, legal.status);
            assertTrue(legal.body().contains("Only the Certificate Manager"), legal.body());
            assertFalse(legal.body().contains("Eriksson") || legal.body().contains(o.id()));

            Browser anna = new Browser(servlet, token(f.statusLink(o.id(), OrderRole.CERTIFICATE_MANAGER)));
            anna.get("en");
            anna.post("code", Map.of("csrf", anna.csrf("code")));
            String reveal = anna.csrf("reveal");
            FakeHttp.Response last = null;
            for (int i = 0; i < 3; i++) {
                last = anna.post("reveal", Map.of("csrf", reveal, "code", "000000".equals(f.lastCode())
                        ? "111111" : "000000"));
            }
            assertEquals(423, last.status);
            assertTrue(last.body().contains("Contact support"), last.body());
            assertTrue(anna.get("en").body().contains("id=\"locked\""));
            assertFalse(anna.page.contains("id=\"send-code\""));

            f.clock.advance(java.time.Duration.ofDays(31));
            FakeHttp.Response expired = anna.get("en");
            assertEquals(410, expired.status);
            assertFalse(expired.body().contains("Eriksson"));
        }
    }

    @Test
    void theStatusPageOffersThePinToTheManagerOnlyOnceTheTokenIsProvisioned() throws Exception {
        try (Fixture f = new Fixture("h2", dir)) {
            Order o = f.inIssuance(Medium.USB_A);
            assertTrue(PinAction.link(f.service, f.order(o.id()), OrderRole.CERTIFICATE_MANAGER, "tok", "en")
                    .isEmpty(), "in ISSUANCE: nothing yet");
            f.provisioned(o.id(), new Station("ACTION-1"), "2468");
            Order delivering = f.order(o.id());
            Optional<StatusAction.Link> waiting = PinAction.link(f.service, delivering,
                    OrderRole.CERTIFICATE_MANAGER, "tok", "en");
            assertEquals("Retrieve the initialisation PIN", waiting.orElseThrow().label());
            assertEquals("/token-pin/tok", waiting.get().url());
            assertTrue(waiting.get().hint().contains("once the registered letter"), waiting.get().hint());
            assertTrue(PinAction.link(f.service, delivering, OrderRole.LEGAL_REPRESENTATIVE, "tok", "en").isEmpty());
            f.letters.deliver(o.id());
            assertTrue(PinAction.link(f.service, delivering, OrderRole.CERTIFICATE_MANAGER, "tok", "fr").orElseThrow()
                    .hint().contains("a été livrée"));
            f.service.requestCode(o.id(), "person");
            f.service.reveal(o.id(), f.lastCode(), "person");
            assertEquals("Confirm the activation of your token", PinAction.link(f.service, delivering,
                    OrderRole.CERTIFICATE_MANAGER, "tok", "en").orElseThrow().label());
            Order cloud = f.inIssuance(Medium.CLOUD);
            assertTrue(PinAction.link(f.service, cloud, OrderRole.CERTIFICATE_MANAGER, "tok", "en").isEmpty());
        }
    }

    @Test
    void theStatusPageOffersTheRevocationOnceTheTokenLeftUsAlsoWhenTheOrderIsActive() throws Exception {
        try (Fixture f = new Fixture("h2", dir)) {
            Order o = f.inIssuance(Medium.USB_C);
            f.provisioned(o.id(), new Station("ACTION-2"), "1357");
            assertTrue(RevokeAction.link(f.revocations, f.order(o.id()), OrderRole.CERTIFICATE_MANAGER, "tok", "en")
                    .isEmpty(), "the letter not sent yet");
            f.letters.deliver(o.id());
            f.service.requestCode(o.id(), "person");
            f.service.reveal(o.id(), f.lastCode(), "person");
            f.service.activate(o.id(), null, "person");
            Order active = f.order(o.id());
            assertEquals(OrderState.ACTIVE, active.state());
            assertTrue(PinAction.link(f.service, active, OrderRole.CERTIFICATE_MANAGER, "tok", "en").isEmpty());
            StatusAction.Link link = RevokeAction.link(f.revocations, active, OrderRole.CERTIFICATE_MANAGER, "tok",
                    "en").orElseThrow();
            assertEquals("Token lost or stolen? Revoke its certificate", link.label());
            assertEquals("/token-pin/tok/revoke", link.url());
            assertTrue(RevokeAction.link(f.revocations, active, OrderRole.CERTIFICATE_MANAGER, "tok", "fr")
                    .orElseThrow().label().startsWith("Clé perdue ou volée"));
            assertTrue(RevokeAction.link(f.revocations, active, OrderRole.LEGAL_REPRESENTATIVE, "tok", "en")
                    .isEmpty());
            f.certificates.revoke(o.id(), io.cachet.api.ca.RevocationReason.SUPERSEDED, "api:operator");
            assertTrue(RevokeAction.link(f.revocations, active, OrderRole.CERTIFICATE_MANAGER, "tok", "en")
                    .isEmpty(), "revoked already");
        }
    }

    @Test
    void theManagerRevokesALostTokenFromTheirLinkWithAnSmsCode() throws Exception {
        try (Fixture f = new Fixture("h2", dir)) {
            Order o = f.inIssuance(Medium.USB_A);
            f.provisioned(o.id(), new Station("PAGE-LOST"), "8642");
            TokenPinServlet servlet = servlet(f);
            Browser anna = new Browser(servlet, token(f.statusLink(o.id(), OrderRole.CERTIFICATE_MANAGER)));
            assertFalse(anna.get("en").body().contains("id=\"revoke-link\""), "not before the token is sent");
            FakeHttp.Response early = anna.get("en", "/revoke");
            assertEquals(200, early.status);
            assertTrue(early.body().contains("id=\"not-revocable\""), early.body());
            assertFalse(early.body().contains("id=\"send-code\""));

            f.letters.send(o.id());
            FakeHttp.Response pin = anna.get("en");
            assertTrue(pin.body().contains("Token lost or stolen?"), pin.body());
            assertTrue(pin.body().contains("href=\"/token-pin/" + anna.token + "/revoke\" id=\"revoke-link\""),
                    pin.body());

            FakeHttp.Response page = anna.get("en", "/revoke");
            assertEquals(200, page.status);
            assertEquals("no-store", page.headers.get("Cache-Control"));
            String serial = f.ca.find(f.certificates.issued.get(o.id())).orElseThrow().serialHex();
            assertTrue(page.body().contains("<code id=\"serial\">" + serial + "</code>"), page.body());
            assertTrue(page.body().contains("Revocation is final"), page.body());
            assertTrue(page.body().contains("Send me a code by SMS to +33 6 •• •• •• 78"), page.body());
            assertFalse(page.body().contains("id=\"revoke-form\""), "no form before a code was sent");
            assertFalse(page.body().contains("<script"), "no script");
            FakeHttp.Response fr = anna.get("fr", "/revoke");
            assertTrue(fr.body().contains("La révocation est définitive"), fr.body());

            FakeHttp.Response forged = anna.post("revoke/code", Map.of("csrf", "forged"));
            assertEquals(403, forged.status);
            assertTrue(forged.body().contains("This form has expired"), forged.body());
            assertTrue(f.notifier.of("tokendelivery.revoke.code").isEmpty());

            anna.get("en", "/revoke");
            FakeHttp.Response sent = anna.post("revoke/code", Map.of("csrf", anna.csrf("revoke/code")));
            assertEquals(200, sent.status, sent.body());
            assertTrue(sent.body().contains("A code has been sent to your mobile."), sent.body());
            assertTrue(sent.body().contains("The token was lost or stolen, or its PIN is known to someone else"));
            String code = f.lastRevocationCode();
            String form = anna.csrf("revoke");
            FakeHttp.Response noReason = anna.post("revoke", Map.of("csrf", form, "code", code, "confirm", "yes"));
            assertEquals(422, noReason.status);
            assertTrue(noReason.body().contains("Choose why the certificate is revoked."), noReason.body());
            FakeHttp.Response wrong = anna.post("revoke", Map.of("csrf", form, "code", String.format("%06d",
                    (Integer.parseInt(code) + 1) % 1_000_000), "reason", "keyCompromise", "confirm", "yes"));
            assertEquals(422, wrong.status);
            assertTrue(wrong.body().contains("This code is wrong. Wrong codes left: 2."), wrong.body());
            assertTrue(wrong.body().contains("value=\"keyCompromise\" required"
                    + " aria-describedby=\"reason-keyCompromise-hint\" checked"), "the reason chosen is kept");
            assertFalse(f.ca.find(f.certificates.issued.get(o.id())).orElseThrow().revoked());

            FakeHttp.Response done = anna.post("revoke", Map.of("csrf", form, "code", code, "reason",
                    "keyCompromise", "confirm", "yes"));
            assertEquals(200, done.status, done.body());
            assertTrue(done.body().contains("Certificate " + serial + " is revoked (The token was lost or stolen"),
                    done.body());
            assertTrue(done.body().contains("id=\"revoked\">Revoked on 2026-12-02 10:00 UTC (The token was lost"),
                    done.body());
            assertFalse(done.body().contains("id=\"revoke-form\"") || done.body().contains("id=\"send-code\""));
            assertTrue(f.ca.find(f.certificates.issued.get(o.id())).orElseThrow().revoked());

            FakeHttp.Response replay = anna.post("revoke", Map.of("csrf", form, "code", code, "reason",
                    "keyCompromise", "confirm", "yes"));
            assertEquals(409, replay.status);
            assertTrue(replay.body().contains("This certificate is revoked already."), replay.body());

            FakeHttp.Response pinAfter = anna.get("fr");
            assertTrue(pinAfter.body().contains("id=\"cert-revoked\""), pinAfter.body());
            assertTrue(pinAfter.body().contains("a été révoqué le 2026-12-02 10:00 UTC (La clé a été perdue ou"
                    + " volée"), pinAfter.body());
            assertFalse(pinAfter.body().contains("id=\"send-code\"") || pinAfter.body().contains("revoke-link"));

            // the legal representative's link opens neither page
            Browser jean = new Browser(servlet, token(f.statusLink(o.id(), OrderRole.LEGAL_REPRESENTATIVE)));
            FakeHttp.Response legal = jean.get("en", "/revoke");
            assertEquals(403, legal.status);
            assertFalse(legal.body().contains(serial));
            assertEquals(404, anna.get("en", "/revoke/other").status);
        }
    }

    /** The queue's page asked by {@code operator} on the provider's server. */
    static HttpServletRequest console(String operator) {
        return FakeHttp.request("GET", TokensConsoleServlet.PATH).header(TestConsoleAccess.OPERATOR_HEADER, operator)
                .header("Accept-Language", "en").server("https://cachet.example.fr").build();
    }

    @Test
    void theConsoleQueueShowsEachOrderWithItsStageLastErrorAndCommandToOperatorsOnly() throws Exception {
        try (Fixture f = new Fixture("h2", dir)) {
            Order waiting = f.inIssuance(Medium.USB_A);
            f.clock.advance(java.time.Duration.ofMinutes(1));
            Order stopped = f.inIssuance(Medium.USB_C);
            Station s = new Station("Q-2");
            f.keyGenerated(stopped.id(), s, "1234");
            f.service.failure(stopped.id(), s.serial, "csr", "CA unreachable <script>", "api:olivia");
            PageSource shell = () -> "console";
            TokensConsoleServlet servlet = new TokensConsoleServlet(f.service,
                    new TestConsoleAccess().knows("olivia", "operator").knows("sam", "support"),
                    TestPages.create(new TokenPages(), shell));

            FakeHttp.Response queue = new FakeHttp.Response();
            servlet.doGet(console("olivia"), queue.proxy);
            assertEquals(200, queue.status, queue.body());
            String page = queue.body();
            assertTrue(page.contains("cachet-cli token provision --server https://cachet.example.fr --order "
                    + waiting.id() + " --module"), page);
            assertTrue(page.contains(stopped.id()) && page.contains("KEY_GENERATED") && page.contains("Q-2"));
            assertTrue(page.contains("csr: CA unreachable &lt;script&gt;"), "escaped");
            assertTrue(page.indexOf(waiting.id()) < page.indexOf(stopped.id()), "oldest first");

            FakeHttp.Response refused = new FakeHttp.Response();
            servlet.doGet(console("sam"), refused.proxy);
            assertEquals(403, refused.status);
            // the console answers (here the stand-in's default ConsoleAccess.operatorWith), naming the roles
            assertTrue(refused.body().contains("This page needs one of the roles admin, operator"), refused.body());
            assertFalse(refused.body().contains(waiting.id()));
        }
    }
}
