package io.cachet.webhook.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Map;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class UrlPolicyTest {

    /** Names resolved from a table, so that the test does not depend on DNS. */
    private static final Map<String, String> NAMES = Map.of("hooks.example.com", "93.184.216.34",
            "intranet.example.com", "10.1.2.3", "metadata.example.com", "169.254.169.254",
            "v6.example.com", "2001:db8::1", "ula.example.com", "fd00::1", "localhost", "127.0.0.1",
            "cgnat.example.com", "100.64.0.1");

    private static UrlPolicy policy(boolean localhost, boolean privateNetworks) {
        return new UrlPolicy(localhost, privateNetworks, host -> {
            String a = NAMES.containsKey(host) ? NAMES.get(host) : host.matches("[0-9a-f:.]+") ? host : null;
            if (a == null) {
                throw new UnknownHostException(host);
            }
            return new InetAddress[] { InetAddress.getByName(a) };
        });
    }

    @ParameterizedTest
    @ValueSource(strings = { "https://hooks.example.com/cachet", "https://hooks.example.com:8443/a?b=c",
            "https://v6.example.com/x", "https://93.184.216.34/x" })
    void publicHttpsUrlsAreAccepted(String url) {
        assertEquals(url, policy(false, false).check(url).toString());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "http://hooks.example.com/x|must use https",
            "ftp://hooks.example.com/x|must use https",
            "https://intranet.example.com/x|private, loopback or link-local",
            "https://metadata.example.com/latest|private, loopback or link-local",
            "https://ula.example.com/x|private, loopback or link-local",
            "https://cgnat.example.com/x|private, loopback or link-local",
            "https://127.0.0.1/x|private, loopback or link-local",
            "https://[::1]/x|private, loopback or link-local",
            "https://0.0.0.0/x|private, loopback or link-local",
            "https://192.168.1.1/x|private, loopback or link-local",
            "http://localhost:8080/x|allowed only with allowLocalhost",
            "https://user:pw@hooks.example.com/x|without user name",
            "https://nowhere.example.com/x|does not resolve",
            "not a url|not a URL",
            "relative/path|with a host",
            "https://hooks.example.com/a b|not a URL",
            "' '|is required" })
    void everythingElseIsRefusedNamingTheField(String url, String reason) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> policy(false, false).check(url));
        assertTrue(e.getMessage().startsWith("Field 'url'"), e.getMessage());
        assertTrue(e.getMessage().contains(reason), e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = { "http://localhost:8080/hook", "http://127.0.0.1:1234/x", "https://localhost/x" })
    void thisMachineOnlyWithTheFlag(String url) {
        assertEquals(url, policy(true, false).check(url).toString());
        assertThrows(IllegalArgumentException.class, () -> policy(true, false).check("http://intranet.example.com/x"));
        assertThrows(IllegalArgumentException.class, () -> policy(true, false).check("https://intranet.example.com/x"));
    }

    @ParameterizedTest
    @ValueSource(strings = { "https://intranet.example.com/x", "https://192.168.1.1/x" })
    void privateNetworksOnlyWithTheirFlag(String url) {
        assertEquals(url, policy(false, true).check(url).toString());
    }
}
