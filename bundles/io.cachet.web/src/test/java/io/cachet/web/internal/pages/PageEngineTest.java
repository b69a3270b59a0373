package io.cachet.web.internal.pages;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import io.cachet.api.brand.Brand;
import io.cachet.api.web.PageSource;

/** The page framework as plain Java: messages and their fallback, brand overrides, assets, escaping. */
class PageEngineTest {

    record PlainBrand(String id, String displayName, String primaryColour, String supportEmail) implements Brand {
    }

    /** A brand bundle that replaces a message, a template, the logo and the colours. */
    record AcmeBrand() implements Brand {
        @Override
        public String id() {
            return "acme";
        }

        @Override
        public String displayName() {
            return "ACME Trust";
        }

        @Override
        public String primaryColour() {
            return "#ffff00";
        }

        @Override
        public String supportEmail() {
            return "help@acme.example";
        }

        @Override
        public URL template(String name) {
            return getClass().getResource("/testbrand/templates/" + name);
        }

        @Override
        public URL messages(String language) {
            return getClass().getResource("/testbrand/messages_" + language + ".properties");
        }

        @Override
        public URL logo() {
            return getClass().getResource("/testbrand/logo.svg");
        }
    }

    static final class Demo implements PageSource {
        @Override
        public String namespace() {
            return "demo";
        }
    }

    static final Brand DEFAULT = new PlainBrand("default", "Cachet", "#0b3d91", "support@cachet.example");
    static final PageEngine.Context HERE = new PageEngine.Context("", "/demo", "x=1&lang=fr");

    final AtomicReference<Brand> shown = new AtomicReference<>(DEFAULT);
    final PageEngine engine = new PageEngine(shown::get);
    final Demo demo = new Demo();

    PageEngineTest() {
        engine.addSource(demo);
    }

    String hello(Locale language, String who) throws Exception {
        return engine.render("demo/hello.ftlh", Map.of("who", who), language, HERE);
    }

    static String element(String html, String id) {
        Matcher m = Pattern.compile("id=\"" + id + "\">(.*?)</").matcher(html);
        assertTrue(m.find(), id + " in " + html);
        return m.group(1);
    }

    @Test
    void aPageOfASourceRendersInTheLayoutInEachLanguage() throws Exception {
        String en = hello(Locale.ENGLISH, "Ana");
        assertTrue(en.contains("<html lang=\"en\">"), en);
        assertTrue(en.contains("<h1>Hello Ana!</h1>"), en);
        assertTrue(en.contains("<title>Demo</title>"), en);
        assertTrue(en.contains("<main id=\"main\""), "the layout's landmarks");
        assertTrue(en.contains("<a class=\"skip-link\" href=\"#main\">Skip to content</a>"), en);
        String fr = hello(Locale.FRENCH, "Ana");
        assertTrue(fr.contains("<html lang=\"fr\">"), fr);
        assertTrue(fr.contains("<h1>Bonjour Ana !</h1>"), fr);
        assertTrue(fr.contains("Aller au contenu"), fr);
        assertFalse(fr.contains("<script") || fr.contains("style="), "no inline script or style: " + fr);
    }

    @Test
    void aMessageMissingInEnglishFallsBackToFrenchThenShowsItsKey() throws Exception {
        String en = hello(Locale.ENGLISH, "Ana");
        assertEquals("Seulement en français", element(en, "only-fr"));
        assertEquals("Skip to content", element(en, "shared"), "the framework's messages reach every namespace");
        assertEquals("??demo.nowhere??", element(en, "missing"));
        assertEquals("??demo.nowhere??", engine.message("demo", "demo.nowhere", Locale.FRENCH));
        assertEquals("Operation 7 is done.", engine.message("demo", "demo.notice", Locale.ENGLISH, 7));
        assertEquals("L’opération 7 est faite.", engine.message("demo", "demo.notice", Locale.FRENCH, 7),
                "apostrophes are plain text");
        assertEquals("??demo.title??", engine.message("other", "demo.title", Locale.FRENCH),
                "a namespace sees its own messages and the framework's only");
    }

    @Test
    void theLanguageSwitchKeepsThePageAndItsOtherParameters() throws Exception {
        String fr = hello(Locale.FRENCH, "Ana");
        assertTrue(fr.contains("<a href=\"/demo?lang=en&amp;x=1\" hreflang=\"en\" lang=\"en\">English</a>"), fr);
        assertTrue(fr.contains("<span aria-current=\"true\" lang=\"fr\">Français</span>"), fr);
        assertEquals("?lang=fr", PageEngine.switchQuery(null, Locale.FRENCH));
        assertEquals("?lang=en&a=b", PageEngine.switchQuery("lang=fr&a=b&lang", Locale.ENGLISH));
    }

    @Test
    void theBrandOverridesAMessageATemplateTheLogoAndTheColours() throws Exception {
        shown.set(new AcmeBrand());
        assertEquals("Welcome, Ana, to ACME!", engine.message("demo", "demo.greeting", Locale.ENGLISH, "Ana"));
        assertEquals("Bonjour Ana !", engine.message("demo", "demo.greeting", Locale.FRENCH, "Ana"),
                "the brand changed the English message only");
        String page = hello(Locale.ENGLISH, "Ana");
        assertEquals("ACME's own page for Ana", element(page, "acme"), page);
        assertTrue(page.contains("<span class=\"brand-name\">ACME Trust</span>"), page);
        assertTrue(page.contains("href=\"mailto:help@acme.example\""), page);

        Matcher logo = Pattern.compile("<img src=\"(/assets/brand/acme/[0-9a-f]{12}/logo\\.svg)\" alt=\"\"").matcher(page);
        assertTrue(logo.find(), page);
        Asset svg = engine.asset(logo.group(1).substring("/assets".length()));
        assertEquals("image/svg+xml", svg.contentType());
        assertTrue(new String(svg.bytes(), StandardCharsets.UTF_8).startsWith("<svg"));

        Matcher theme = Pattern.compile("href=\"/assets(/brand/acme/[0-9a-f]{12}/theme\\.css)\"").matcher(page);
        assertTrue(theme.find(), page);
        String css = new String(engine.asset(theme.group(1)).bytes(), StandardCharsets.UTF_8);
        assertTrue(css.contains("--brand-primary: #ffff00;") && css.contains("--brand-on-primary: #1a1a1a;"), css);

        shown.set(DEFAULT);
        assertTrue(hello(Locale.ENGLISH, "Ana").contains("<h1>Hello Ana!</h1>"), "back to the page's own template");
        assertNull(engine.asset(logo.group(1).substring("/assets".length())), "only the brand shown is served");
    }

    @Test
    void valuesAreEscapedWhereverTheyComeFrom() throws Exception {
        shown.set(new PlainBrand("x", "<script>alert(1)</script>", "#000000", "a\"@b"));
        String page = hello(Locale.ENGLISH, "<img src=x onerror=alert(2)>");
        assertFalse(page.contains("<script>alert") || page.contains("<img src=x"), page);
        assertTrue(page.contains("&lt;script&gt;alert(1)&lt;/script&gt;"), page);
        assertTrue(page.contains("Hello &lt;img src=x onerror=alert(2)&gt;!"), page);
    }

    @Test
    void assetsHaveVersionedUrlsAndOnlyKnownFilesAreServed() throws Exception {
        String url = engine.assetUrl("demo", "demo.css");
        assertTrue(url.matches("/assets/demo/[0-9a-f]{12}/demo\\.css"), url);
        assertTrue(hello(Locale.ENGLISH, "Ana").contains("<link rel=\"stylesheet\" href=\"" + url + "\">"));
        Asset css = engine.asset(url.substring("/assets".length()));
        assertEquals("text/css;charset=UTF-8", css.contentType());
        assertNotNull(engine.asset("/demo/000000000000/demo.css"), "an older URL still finds today's file");
        assertNotNull(engine.asset(engine.assetUrl("cachet", "cachet.css").substring("/assets".length())));
        for (String bad : new String[] {"/demo/x/../demo.css", "/demo/x/%2e%2e", "/demo/x/messages_fr.properties",
                "/nowhere/x/demo.css", "/demo/x/", "/brand/other/x/theme.css", null, ""}) {
            assertNull(engine.asset(bad), bad);
        }
    }

    @Test
    void sourcesComeAndGoAndANamespaceHasOneOwner() throws Exception {
        engine.addSource(new Demo()); // a second "demo": refused, the first stays
        assertTrue(hello(Locale.ENGLISH, "Ana").contains("Hello Ana!"));
        engine.removeSource(demo);
        assertThrows(IOException.class, () -> hello(Locale.ENGLISH, "Ana"), "its templates went with it");
        assertEquals("??demo.title??", engine.message("demo", "demo.title", Locale.ENGLISH));
    }

    @Test
    void theHomePageIsTheBrandsInBothLanguages() throws Exception {
        PageEngine.Context home = new PageEngine.Context("", "/", null);
        String fr = engine.render("cachet/home.ftlh", Map.of(), Locale.FRENCH, home);
        assertTrue(fr.contains("<h1>Cachet</h1>") && fr.contains("Comment ça marche"), fr);
        String en = engine.render("cachet/home.ftlh", Map.of(), Locale.ENGLISH, home);
        assertTrue(en.contains("<h1>Cachet</h1>") && en.contains("How it works"), en);
    }
}
