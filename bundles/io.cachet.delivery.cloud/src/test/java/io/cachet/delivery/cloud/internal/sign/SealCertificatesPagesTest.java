package io.cachet.delivery.cloud.internal.sign;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.cachet.api.web.ClientLimiter;
import io.cachet.api.web.Pages;
import io.cachet.delivery.cloud.internal.HolderAccess;
import io.cachet.delivery.cloud.internal.HolderSession;
import io.cachet.web.testing.FakeHttp;
import io.cachet.web.testing.TestPages;

/**
 * The holder's certificates page and its revocation form through the real page framework, in French and English,
 * without script: the list, the form (a subscriber's reasons only, the confirmation, the password), the anti-forgery
 * field, each refusal shown with the form kept and nothing revoked, the revocation done, another holder's seal not
 * found, the login redirect, the page policy.
 */
class SealCertificatesPagesTest {

    @TempDir
    Path dir;

    private static SealCertificatesServlet servlet(Fixture f) {
        Pages pages = TestPages.create(new ClickCertPages());
        return new SealCertificatesServlet(f.service, f.revocations, f.holders, pages, new ClientLimiter(1000,
                f.clock));
    }

    private static FakeHttp.Request request(HolderSession s, String language, String method, String path) {
        FakeHttp.Request r = FakeHttp.request(method, path).header("Accept-Language", language);
        if (s != null) {
            r.cookie(HolderAccess.SESSION_COOKIE, Fixture.Holders.cookie(s));
        }
        return r;
    }

    private static FakeHttp.Response get(SealCertificatesServlet servlet, FakeHttp.Request r) throws Exception {
        FakeHttp.Response resp = new FakeHttp.Response();
        servlet.doGet(r.build(), resp.proxy);
        return resp;
    }

    private static FakeHttp.Response post(SealCertificatesServlet servlet, FakeHttp.Request r) throws Exception {
        FakeHttp.Response resp = new FakeHttp.Response();
        servlet.doPost(r.build(), resp.proxy);
        return resp;
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = { "en", "fr" })
    void theHolderRevokesTheirSealFromTheFormAfterEachMistakeIsExplained(String language) throws Exception {
        boolean en = language.equals("en");
        try (Fixture f = new Fixture("h2", dir)) {
            f.holderWithSeal("h1", "ord_page");
            HolderSession s = f.holders.login("h1");
            SealCertificatesServlet servlet = servlet(f);
            String serial = f.keys.keys.get("ord_page").certificate().getSerialNumber().toString(16);

            FakeHttp.Response list = get(servlet, request(s, language, "GET", "/space/certificates"));
            assertEquals(200, list.status, list.body());
            ClickCertPagesTest.policed(list);
            assertTrue(list.body().contains(serial), "the serial is listed");
            assertTrue(list.body().contains(en ? ">Valid<" : ">Valide<"), list.body());
            assertTrue(list.body().contains("href=\"/space/certificates/ord_page\""), "the way to revoke it");
            assertTrue(list.body().contains("aria-current=\"page\">" + (en ? "Certificates" : "Certificats")),
                    "the navigation marks the page");

            FakeHttp.Response form = get(servlet, request(s, language, "GET", "/space/certificates/ord_page"));
            assertEquals(200, form.status, form.body());
            ClickCertPagesTest.policed(form);
            String page = form.body();
            assertTrue(page.contains("action=\"/space/certificates/ord_page/revoke\""), page);
            assertTrue(page.contains("name=\"csrf\" value=\"" + s.csrf() + "\""));
            for (String reason : new String[] { "unspecified", "keyCompromise", "affiliationChanged", "superseded",
                "cessationOfOperation" }) {
                assertTrue(page.contains("value=\"" + reason + "\""), reason);
            }
            assertFalse(page.contains("value=\"cACompromise\""), "the CA's own reason is not offered");
            assertFalse(page.contains("value=\"privilegeWithdrawn\""), "nor the provider's decision");
            assertTrue(page.contains("name=\"confirm\" value=\"yes\" required"));
            assertTrue(page.contains("autocomplete=\"current-password\" required"));
            assertTrue(page.contains(en ? "Revocation is final" : "La révocation est définitive"), page);
            assertFalse(page.contains("name=\"totp\""), "no code asked of a holder without an authenticator app");

            // a form that did not come from the page: refused, nothing revoked
            FakeHttp.Response forged = post(servlet, request(s, language, "POST",
                    "/space/certificates/ord_page/revoke").param("reason", "keyCompromise").param("confirm", "yes")
                    .param("password", Fixture.PASSWORD).param("csrf", "not-the-token"));
            assertEquals(403, forged.status, forged.body());
            assertTrue(forged.body().contains(en ? "nothing was done" : "rien n’a été fait"), forged.body());

            // not confirmed: the form again, the reason kept
            FakeHttp.Response unconfirmed = post(servlet, request(s, language, "POST",
                    "/space/certificates/ord_page/revoke").param("csrf", s.csrf()).param("reason", "superseded")
                    .param("password", Fixture.PASSWORD));
            assertEquals(400, unconfirmed.status, unconfirmed.body());
            assertTrue(unconfirmed.body().contains(en ? "Tick the box" : "Cochez la case"), unconfirmed.body());
            assertTrue(unconfirmed.body().contains("value=\"superseded\" required aria-describedby="
                    + "\"reason-superseded-hint\" checked"), "the chosen reason is kept");

            FakeHttp.Response wrong = post(servlet, request(s, language, "POST",
                    "/space/certificates/ord_page/revoke").param("csrf", s.csrf()).param("reason", "superseded")
                    .param("confirm", "yes").param("password", "not my password"));
            assertEquals(401, wrong.status, wrong.body());
            assertTrue(wrong.body().contains(en ? "Your password is wrong; nothing was revoked"
                    : "Votre mot de passe est faux ; rien n’a été révoqué"), wrong.body());
            assertTrue(f.keys.revoked.isEmpty());

            FakeHttp.Response done = post(servlet, request(s, language, "POST",
                    "/space/certificates/ord_page/revoke").param("csrf", s.csrf()).param("reason", "superseded")
                    .param("confirm", "yes").param("password", Fixture.PASSWORD));
            assertEquals(200, done.status, done.body());
            ClickCertPagesTest.policed(done);
            assertTrue(done.body().contains(en ? "Certificate " + serial + " was revoked on"
                    : "Le certificat " + serial + " a été révoqué le"), done.body());
            assertTrue(done.body().contains(en ? ">Revoked<" : ">Révoqué<"), done.body());
            assertFalse(done.body().contains("href=\"/space/certificates/ord_page\""), "nothing left to revoke");
            assertEquals(1, f.keys.revocations.size());
            assertTrue(f.keys.revocations.get(0).startsWith("ord_page:superseded:customer:h1"));

            // its page now says so, without a form
            FakeHttp.Response after = get(servlet, request(s, language, "GET", "/space/certificates/ord_page"));
            assertEquals(200, after.status);
            assertFalse(after.body().contains("id=\"revoke-form\""), after.body());
            assertTrue(after.body().contains(en ? "Revoked on" : "Révoqué le"), after.body());
        }
    }

    @Test
    void anotherHoldersSealIsNotFoundAndNoSessionGoesToTheLogin() throws Exception {
        try (Fixture f = new Fixture("h2", dir)) {
            f.holderWithSeal("h1", "ord_1");
            f.holderWithSeal("h2", "ord_2");
            f.holders.factors.get("h1").add("totp");
            HolderSession anna = f.holders.login("h1");
            SealCertificatesServlet servlet = servlet(f);

            FakeHttp.Response other = get(servlet, request(anna, "en", "GET", "/space/certificates/ord_2"));
            assertEquals(404, other.status, other.body());
            String bobs = f.keys.keys.get("ord_2").certificate().getSerialNumber().toString(16);
            assertFalse(other.body().contains(bobs), "nothing of Bob's seal is shown");
            assertTrue(other.body().contains("No such certificate in your space."), other.body());
            FakeHttp.Response revokeOther = post(servlet, request(anna, "en", "POST",
                    "/space/certificates/ord_2/revoke").param("csrf", anna.csrf()).param("reason", "keyCompromise")
                    .param("confirm", "yes").param("password", Fixture.PASSWORD).param("totp", Fixture.TOTP));
            assertEquals(403, revokeOther.status, revokeOther.body());
            assertTrue(revokeOther.body().contains("not one of yours"), revokeOther.body());
            assertTrue(f.keys.revoked.isEmpty());

            // Anna's form asks for her app's code
            FakeHttp.Response form = get(servlet, request(anna, "en", "GET", "/space/certificates/ord_1"));
            assertTrue(form.body().contains("name=\"totp\""), form.body());

            FakeHttp.Response anonymous = get(servlet, request(null, "en", "GET", "/space/certificates"));
            assertEquals(302, anonymous.status);
            assertEquals("/space/login", anonymous.headers.get("Location"));
            FakeHttp.Response anonymousPost = post(servlet, request(null, "en", "POST",
                    "/space/certificates/ord_1/revoke").param("reason", "keyCompromise").param("confirm", "yes"));
            assertEquals(302, anonymousPost.status);
            assertTrue(f.keys.revoked.isEmpty());
        }
    }
}
