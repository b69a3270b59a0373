package io.cachet.identity.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.cachet.api.identity.DocumentType;
import io.cachet.web.testing.TestPages;

/**
 * {@code /identity/documents} through the real page framework: every type of the configured catalogue by its name in
 * the page's language, with the sides to photograph; a configured catalogue replaces the built-in one while running.
 * (Needs the evidence work's catalogue merged.)
 */
class DocumentsServletTest {

    @TempDir
    Path dir;

    private static String page(DocumentsServlet servlet, String language) throws Exception {
        FakeHttp.Response r = new FakeHttp.Response();
        servlet.doGet(FakeHttp.request("GET", "/identity/documents", null, Map.of(), null, language), r.proxy);
        assertEquals(200, r.status, r.body());
        return r.body();
    }

    @Test
    void theAcceptedDocumentsAreListedWithTheirSidesInThePagesLanguage() throws Exception {
        try (Fixture f = new Fixture("h2", dir, Map.of())) {
            DocumentsServlet servlet = new DocumentsServlet(TestPages.create(new IdentityPages()), f.cases);
            String fr = page(servlet, "fr");
            assertTrue(f.cases.acceptedDocuments().size() >= 5, "the built-in catalogue");
            for (DocumentType t : f.cases.acceptedDocuments()) {
                assertTrue(fr.contains("id=\"doc-" + t.id() + "\""), t.id());
                assertTrue(fr.contains(t.name("fr").replace("'", "&#39;")), t.name("fr"));
            }
            assertTrue(fr.contains("Photographiez les deux faces"));
            assertTrue(fr.contains("Photographiez le recto"));
            String en = page(servlet, "en");
            assertTrue(en.contains("Accepted identity documents"));
            assertTrue(en.contains(f.cases.acceptedDocuments().get(0).name("en").replace("'", "&#39;")));

            f.configure(Map.of("documents", new String[] {
                    "passport; TD3; P; *; front; fr=Passeport (tout pays); en=Passport (any country)" }));
            String configured = page(servlet, "en");
            assertTrue(configured.contains("Passport (any country)"), configured);
            assertTrue(configured.contains("Photograph the front side"));
            assertEquals(1, f.cases.acceptedDocuments().size());
            IllegalArgumentException bad = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                    () -> f.configure(Map.of("documents", new String[] { "passport; TD9; P; *; front; fr=X" })));
            assertTrue(bad.getMessage().startsWith("documents of configuration PID io.cachet.identity"),
                    bad.getMessage());
        }
    }
}
