package io.cachet.delivery.token.internal;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Properties;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The status page names this module's checks and tells what to do for the delivery (the portal reads
 * {@code portal.check.<kind>} and {@code portal.todo.<kind>} from its messages), in both languages; and the pages'
 * own messages have the same keys in both.
 */
class PortalMessagesTest {

    private static Properties load(String resource) throws Exception {
        Properties p = new Properties();
        try (InputStream in = PortalMessagesTest.class.getClassLoader().getResourceAsStream(resource)) {
            assertNotNull(in, resource);
            p.load(new InputStreamReader(in, StandardCharsets.UTF_8));
        }
        return p;
    }

    @ParameterizedTest
    @ValueSource(strings = { "en", "fr" })
    void theStatusPageNamesTheChecksAndTheDeliverysTodo(String language) throws Exception {
        Properties portal = load("pages/portal/messages_" + language + ".properties");
        for (String key : new String[] { "portal.check." + TokenDeliveryService.PROVISIONING,
            "portal.check." + TokenDeliveryService.DELIVERY, "portal.todo." + TokenDeliveryService.DELIVERY }) {
            assertFalse(portal.getProperty(key, "").isBlank(), key + " in " + language);
        }
        Properties mine = load("pages/token-delivery/messages_" + language + ".properties");
        Properties other = load("pages/token-delivery/messages_" + ("en".equals(language) ? "fr" : "en")
                + ".properties");
        for (String key : other.stringPropertyNames()) {
            assertFalse(mine.getProperty(key, "").isBlank(), key + " missing in " + language);
        }
    }
}
