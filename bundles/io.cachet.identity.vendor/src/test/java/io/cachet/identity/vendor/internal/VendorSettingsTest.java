package io.cachet.identity.vendor.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Configuration checks: every mistake names its field and never shows a secret. */
class VendorSettingsTest {

    @TempDir
    Path dir;

    String refused(Map<String, Object> set) {
        String m = assertThrows(IllegalArgumentException.class, () -> Configs.settings(set)).getMessage();
        assertFalse(m.contains(Configs.API_KEY) || m.contains(Configs.SECRET), m);
        return m;
    }

    @Test
    void defaults() {
        VendorSettings s = Configs.settings(Map.of("baseUrl", "https://vendor.example/api/"));
        assertEquals("vendor", s.providerId);
        assertEquals("https://vendor.example/api", s.baseUrl.toString());
        assertEquals(List.of(Configs.SECRET), s.webhookSecrets);
        assertEquals(300, s.tolerance.toSeconds());
        assertEquals("X-Vendor-Signature", s.signatureHeader);
        assertFalse(s.toString().contains(Configs.API_KEY));
        assertFalse(s.toString().contains(Configs.SECRET));
    }

    @Test
    void httpsOnlyHttpToThisMachineWhenAllowed() {
        assertTrue(refused(Map.of("baseUrl", "http://vendor.example")).startsWith("baseUrl must use https"));
        assertTrue(refused(Map.of("baseUrl", "http://127.0.0.1:8080")).startsWith("baseUrl must use https"));
        assertTrue(refused(Map.of("baseUrl", "ftp://vendor.example")).startsWith("baseUrl must use https"));
        assertTrue(refused(Map.of("baseUrl", "https://user:pw@vendor.example")).startsWith("baseUrl must be"));
        assertTrue(refused(Map.of("baseUrl", "vendor.example")).startsWith("baseUrl must be"));
        assertTrue(refused(Map.of("baseUrl", "")).startsWith("baseUrl is required"));
        assertTrue(refused(Map.of("baseUrl", "http://10.0.0.1", "allowLocalhost", true)).startsWith("baseUrl must use https"));
        assertEquals("http://127.0.0.1:8080",
                Configs.settings(Map.of("baseUrl", "http://127.0.0.1:8080", "allowLocalhost", true)).baseUrl.toString());
        assertTrue(refused(Map.of("callbackUrl", "http://cachet.example/x")).startsWith("callbackUrl must use https"));
    }

    @Test
    void secretsFromFilesOrTheEnvironment() throws Exception {
        Path key = dir.resolve("api-key");
        Files.writeString(key, "from-file\nsecond line ignored\n");
        Map<String, Object> set = new HashMap<>(Map.of("apiKey", "file:" + key, "webhookSecret", "env:VENDOR_SECRET",
                "previousWebhookSecret", "env:VENDOR_OLD"));
        VendorSettings s = new VendorSettings(Configs.config(set),
                name -> Map.of("VENDOR_SECRET", "from-env", "VENDOR_OLD", "old-from-env").get(name));
        assertEquals("from-file", s.apiKey);
        assertEquals(List.of("from-env", "old-from-env"), s.webhookSecrets);
        String m = assertThrows(IllegalArgumentException.class,
                () -> new VendorSettings(Configs.config(set), name -> null)).getMessage();
        assertEquals("webhookSecret: the environment variable VENDOR_SECRET is not set", m);
        assertTrue(refused(Map.of("apiKey", "file:" + dir.resolve("missing"))).startsWith("apiKey: cannot read"));
        assertEquals("webhookSecret is required (file:/path, env:NAME)", refused(Map.of("webhookSecret", " ")));
    }

    @Test
    void badValuesNameTheirField() {
        assertTrue(refused(Map.of("cachet.identity.provider", "x", "cachet_identity_provider", "Vendor!"))
                .startsWith("cachet.identity.provider"));
        assertTrue(refused(Map.of("toleranceSeconds", 0)).startsWith("toleranceSeconds"));
        assertTrue(refused(Map.of("maxBodyBytes", 10)).startsWith("maxBodyBytes"));
        assertTrue(refused(Map.of("outcomeMapping", new String[] { "approved=YES" })).startsWith("outcomeMapping"));
        assertTrue(refused(Map.of("documentTypeMapping", new String[] { "passport" })).startsWith("documentTypeMapping"));
        assertTrue(refused(Map.of("eventIdField", "")).startsWith("eventIdField is required"));
        assertTrue(refused(Map.of("surnameField", "a..b")).startsWith("surnameField"));
        assertTrue(refused(Map.of("signatureHeader", "X Sig")).startsWith("signatureHeader"));
    }
}
