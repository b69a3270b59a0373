package io.cachet.api.web;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The Content-Disposition of a download: a safe ASCII name and the exact one, RFC 8187-encoded. */
class DownloadsTest {

    @Test
    void anAsciiNameIsKeptAsItIs() {
        assertEquals("attachment; filename=\"contract-signed.pdf\"; filename*=UTF-8''contract-signed.pdf",
                Downloads.attachment("contract-signed.pdf"));
    }

    @Test
    void accentsQuotesAndBackslashesCannotBreakTheHeader() {
        assertEquals("attachment; filename=\"_t_ __.pdf\"; filename*=UTF-8''%C3%A9t%C3%A9%20%22%5C.pdf",
                Downloads.attachment("été \"\\.pdf"));
    }

    @Test
    void aHeaderInjectionIsDefused() {
        String d = Downloads.attachment("a\r\nSet-Cookie: x=1.pdf");
        assertEquals("attachment; filename=\"a__Set-Cookie: x=1.pdf\"; filename*=UTF-8''a%0D%0ASet-Cookie%3A%20x%3D1.pdf",
                d);
    }
}
