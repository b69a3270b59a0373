package io.cachet.api.link;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class PersonalLinksTest {

    @Test
    void theTokenIsThePathInfoWithoutItsSlashesWhenItCanBeOne() {
        String token = "A".repeat(20) + "b-c_d" + "9".repeat(18);
        assertEquals(token, PersonalLinks.tokenIn("/" + token));
        assertEquals(token, PersonalLinks.tokenIn("/" + token + "/"), "a trailing slash is allowed");
        assertEquals("", PersonalLinks.tokenIn(null));
        assertEquals("", PersonalLinks.tokenIn("/"));
        assertEquals("", PersonalLinks.tokenIn(""));
        assertEquals("", PersonalLinks.tokenIn(token), "a path info starts with a slash");
        assertEquals("", PersonalLinks.tokenIn("/" + token + "/more"), "one segment only");
        assertEquals("", PersonalLinks.tokenIn("/" + token + "//"));
        assertEquals("", PersonalLinks.tokenIn("/abc%2Fdef"));
        assertEquals("", PersonalLinks.tokenIn("/<script>"));
        assertEquals("", PersonalLinks.tokenIn("/" + "a".repeat(101)), "at most 100 characters");
        assertEquals("a".repeat(100), PersonalLinks.tokenIn("/" + "a".repeat(100)));
    }
}
