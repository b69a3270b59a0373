package io.cachet.cli.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class FormsTest {

    /** The shape of the phone flow's zone page (pages/identity-mobile/mrz.ftlh). */
    static final String PAGE = """
            <main><p role="alert" class="error">The check digit of the &quot;birth date&quot; is wrong.</p>
            <form method="post" action="/identity/mobile/abc/mrz">
            <input type="hidden" name="csrf" value="0f1e&amp;2d">
            <select name="type"><option value="passport">Passport</option></select>
            <textarea name="mrz" rows="2"></textarea>
            <button type="submit">Check</button></form>
            <form method="post" action="/identity/mobile/abc/submit" enctype="multipart/form-data">
            <input type="hidden" name="csrf" value="0f1e&amp;2d"><input type="file" name="document">
            <button>Send</button></form>
            <div id="flow" data-token="t0k&amp;en" data-token-header="X-Cachet-Form"></div>
            <a href="/organisation/upload/AbC_d-1?lang=en">Upload</a>
            """;

    @Test
    void readsEachFormsActionAndFields() {
        List<Forms.Form> forms = Forms.of(PAGE);
        assertEquals(2, forms.size());
        Forms.Form zone = forms.get(0);
        assertEquals("/identity/mobile/abc/mrz", zone.action());
        assertEquals("post", zone.method());
        assertEquals(Map.of("csrf", "0f1e&2d"), zone.hidden());
        assertTrue(zone.has("mrz"));
        assertEquals("select", zone.fields().get(1).type());
        assertEquals("multipart/form-data", forms.get(1).enctype());
        assertEquals("document", forms.get(1).firstOfType("file").orElseThrow().name());
        assertEquals("submit", forms.get(1).fields().get(2).type());
    }

    @Test
    void readsDataAttributesLinksAndTheAlert() {
        assertEquals("t0k&en", Forms.data(PAGE, "token").orElseThrow());
        assertEquals("X-Cachet-Form", Forms.data(PAGE, "token-header").orElseThrow());
        assertTrue(Forms.data(PAGE, "nothing").isEmpty());
        assertEquals("/organisation/upload/AbC_d-1?lang=en", Forms.link(PAGE, "/organisation/upload/").orElseThrow());
        assertEquals("The check digit of the \"birth date\" is wrong.", Journey.pageError(new Http.Answer(422,
                Map.of(), PAGE.getBytes(java.nio.charset.StandardCharsets.UTF_8))));
    }

    @Test
    void readsLinksAndCodesFromMessages() {
        String mail = "Bonjour,\nhttp://cachet.example:8080/identity/start/AbCdEf_-123.\nÀ bientôt";
        assertEquals("/identity/start/AbCdEf_-123", Outbox.path(mail, "/identity/start/").orElseThrow());
        assertEquals("042917", Outbox.code("Cachet: your code is 042917 (valid 10 min). Ref 12345678", 6)
                .orElseThrow());
        assertTrue(Outbox.code("Ref 1234567", 6).isEmpty());
    }
}
