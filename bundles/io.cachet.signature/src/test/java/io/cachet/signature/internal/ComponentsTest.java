package io.cachet.signature.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.annotation.Annotation;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.cachet.api.token.KeyAlgorithm;
import io.cachet.api.signature.Level;
import io.cachet.api.signature.SignOptions;
import io.cachet.signature.testing.Pdfs;
import io.cachet.signature.testing.TestPki;
import io.cachet.signature.testing.Tools;

/** The components' configuration: its default, and a refusal that names the PID for a timeout Network cannot use. */
class ComponentsTest {

    private static SignatureConfiguration timeout(int seconds) {
        return config(seconds, "");
    }

    private static SignatureConfiguration config(int seconds, String tsa) {
        return new SignatureConfiguration() {
            @Override
            public Class<? extends Annotation> annotationType() {
                return SignatureConfiguration.class;
            }

            @Override
            public int timeoutSeconds() {
                return seconds;
            }

            @Override
            public String tsaUrl() {
                return tsa;
            }
        };
    }

    @Test
    void theDefaultIsTheTimeoutOfThePlainJavaEntryPoints() throws Exception {
        int declared = (Integer) SignatureConfiguration.class.getMethod("timeoutSeconds").getDefaultValue();
        assertEquals(io.cachet.signature.launch.Signatures.DEFAULT_TIMEOUT, Duration.ofSeconds(declared));
        assertEquals(Duration.ofSeconds(7), Timeouts.of(timeout(7)));
    }

    @Test
    void aTimeoutBelowOneSecondIsRefusedNamingThePid() {
        for (int bad : new int[] {0, -5}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> new SignerComponent(timeout(bad), "8080"));
            assertTrue(e.getMessage().contains("io.cachet.signature"), e.getMessage());
            assertThrows(IllegalArgumentException.class, () -> new ValidatorComponent(timeout(bad)));
        }
    }

    @Test
    void levelsTAndAboveWithoutATsaUseTheServersOwnOrTheConfiguredOne(@TempDir Path dir) throws Exception {
        assertEquals(URI.create("http://127.0.0.1:18080/tsa"), new SignerComponent(timeout(5), "18080").defaultTsa());
        assertEquals(URI.create("http://127.0.0.1:8080/tsa"), new SignerComponent(timeout(5), null).defaultTsa());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new SignerComponent(config(5, "ftp://tsa.example"), "8080"));
        assertTrue(e.getMessage().contains("tsaUrl of configuration PID io.cachet.signature"), e.getMessage());

        // a configured TSA time-stamps a PAdES-T whose options name none
        TestPki pki = TestPki.get();
        SignerComponent signer = new SignerComponent(config(5, pki.tsaUrl().toString()), "8080");
        int before = pki.hits("/tsa");
        Path out = dir.resolve("t.pdf");
        signer.sign(Pdfs.pages(dir.resolve("in.pdf"), 1), out, pki.seal(KeyAlgorithm.EC_P256),
                SignOptions.pades(Level.T).withTrustAnchors(pki.trustAnchors()));
        assertTrue(pki.hits("/tsa") > before, "the configured TSA was asked");
        Tools.pdfsigValid(out, 1);
    }
}
