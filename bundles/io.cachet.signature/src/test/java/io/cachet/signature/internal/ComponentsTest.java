package io.cachet.signature.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.annotation.Annotation;
import java.time.Duration;

import org.junit.jupiter.api.Test;

/** The components' configuration: its default, and a refusal that names the PID for a timeout Network cannot use. */
class ComponentsTest {

    private static SignatureConfiguration timeout(int seconds) {
        return new SignatureConfiguration() {
            @Override
            public Class<? extends Annotation> annotationType() {
                return SignatureConfiguration.class;
            }

            @Override
            public int timeoutSeconds() {
                return seconds;
            }
        };
    }

    @Test
    void theDefaultIsTheTimeoutOfThePlainJavaEntryPoints() throws Exception {
        int declared = (Integer) SignatureConfiguration.class.getMethod("timeoutSeconds").getDefaultValue();
        assertEquals(io.cachet.signature.api.Signatures.DEFAULT_TIMEOUT, Duration.ofSeconds(declared));
        assertEquals(Duration.ofSeconds(7), Timeouts.of(timeout(7)));
    }

    @Test
    void aTimeoutBelowOneSecondIsRefusedNamingThePid() {
        for (int bad : new int[] {0, -5}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> new SignerComponent(timeout(bad)));
            assertTrue(e.getMessage().contains("io.cachet.signature"), e.getMessage());
            assertThrows(IllegalArgumentException.class, () -> new ValidatorComponent(timeout(bad)));
        }
    }
}
